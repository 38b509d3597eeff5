#!/bin/sh
# The gateway container: make a self-signed certificate on first start unless one is mounted
# (production mounts real ones at /certs), then run nginx in the foreground, on the config
# SECTORWARS_NGINX_CONF names (compose renders one from the region registry) or the baked-in one.
set -eu
if [ ! -f /certs/tls.crt ] || [ ! -f /certs/tls.key ]; then
  [ -d /certs ] || mkdir -p /certs
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=${PUBLIC_HOST:-localhost}" \
    -keyout /certs/tls.key -out /certs/tls.crt 2>/dev/null
fi
exec nginx -c "${SECTORWARS_NGINX_CONF:-/etc/nginx/sectorwars.conf}" -g 'daemon off;'
