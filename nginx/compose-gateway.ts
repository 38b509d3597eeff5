import type { GatewayOptions } from './render.js';

/** The gateway as compose runs it: service names resolve to every replica of a service. */
export const COMPOSE_GATEWAY: GatewayOptions = {
  prefix: '/var/cache/sectorwars',
  httpPort: 80,
  httpsPort: 443,
  certificate: '/certs/tls.crt',
  certificateKey: '/certs/tls.key',
  apiServers: ['api:8080'],
  realtimeServers: ['realtime:8081'],
  webRoot: '/srv/web',
  adminRoot: '/srv/admin',
  logTo: 'stdout',
};
