/**
 * The gateway's configuration, rendered from one template for every topology: the no-Docker
 * stack (`sectorwars stack`), compose, and the tests. Rendering in code keeps the upstream pools
 * (one default pool, optional per-bundle pools) and paths as data instead of sed scripts.
 */
export interface GatewayOptions {
  /** nginx `-p` prefix: logs, temp files and the pid live here */
  prefix: string;
  httpPort: number;
  httpsPort: number;
  /** host name used in the HTTP→HTTPS redirect; `$host` keeps the requested one */
  publicHost?: string;
  certificate: string;
  certificateKey: string;
  /** every handler bundle, e.g. ['127.0.0.1:8101', '127.0.0.1:8102'] */
  apiServers: string[];
  /**
   * Bundles served by their own pools (`sectorwars api --bundle <name>`), each at its real base
   * path (a bundle's `basePath`, e.g. /api/v1/events), so nothing it serves falls to the default pool.
   */
  bundlePools?: BundlePool[];
  realtimeServers: string[];
  webRoot: string;
  adminRoot: string;
  /** run in the foreground with logs to files under prefix (stack, tests) or to stdout (containers) */
  logTo: 'files' | 'stdout';
  /** whether nginx runs as a daemon (containers: off) */
  user?: string;
  /** auth endpoints: requests per second per client address, and the burst allowed */
  authRate?: { perSecond: number; burst: number };
  apiRate?: { perSecond: number; burst: number };
  /**
   * Multi-regional mode: each region's own pools at its public prefix `/r/<slug>/` (api and
   * realtime). The unprefixed `/api/` and `/ws` stay on apiServers/realtimeServers, the start region's.
   */
  regions?: RegionRoute[];
}

export interface RegionRoute {
  slug: string;
  apiServers: string[];
  realtimeServers: string[];
}

export interface BundlePool {
  name: string;
  basePath: string;
  servers: string[];
}

/** The pools for bundles given by name, at the base paths the bundles themselves declare. */
export function bundlePoolsFor(bundles: ReadonlyArray<{ name: string; basePath: string }>, servers: Record<string, string[]>): BundlePool[] {
  return Object.entries(servers).map(([name, list]) => {
    const bundle = bundles.find((b) => b.name === name);
    if (!bundle) throw new Error(`no bundle named ${name}`);
    return { name, basePath: bundle.basePath, servers: list };
  });
}

/** A registry row as the accounts database holds it (region_registry). */
export interface RegistryRow {
  slug: string;
  api_urls: string[];
  realtime_urls: string[];
}

/**
 * The gateway's region routes, rendered from the registry: every region that lists at least one
 * api and one realtime address. A row without them (a region registered but not started) would
 * be an upstream with no server, which nginx refuses, so it is left out until it has some.
 */
export function regionRoutesFromRegistry(rows: ReadonlyArray<RegistryRow>): RegionRoute[] {
  return rows
    .filter((row) => row.api_urls.length > 0 && row.realtime_urls.length > 0)
    .map((row) => {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(row.slug)) throw new Error(`region slug ${JSON.stringify(row.slug)} cannot be a path segment`);
      return { slug: row.slug, apiServers: [...row.api_urls], realtimeServers: [...row.realtime_urls] };
    });
}

const SECURITY_HEADERS = `
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    add_header X-Content-Type-Options "nosniff" always;
    add_header X-Frame-Options "DENY" always;
    add_header Referrer-Policy "strict-origin-when-cross-origin" always;
    add_header Content-Security-Policy "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'" always;`;

function upstream(name: string, servers: string[], keepalive: number): string {
  // max_fails/fail_timeout: passive health — a replica that refuses or times out is taken out
  // for a while and the request is retried on the next one.
  const lines = servers.map((s) => `    server ${s} max_fails=1 fail_timeout=5s;`).join('\n');
  return `  upstream ${name} {\n${lines}\n    keepalive ${keepalive};\n  }`;
}

/** A realtime pool: no keepalive (each socket is its own long connection). */
function realtimeUpstream(name: string, servers: string[]): string {
  return upstream(name, servers, 0).replace('    keepalive 0;\n', '');
}

/** The websocket upgrade, for /ws and each region's /r/<slug>/ws (`target`: what proxy_pass names). */
function websocketLocation(path: string, target: string): string {
  return `    location = ${path} {
      proxy_pass http://${target};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header Origin $http_origin;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Request-Id $request_id;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }`;
}

/**
 * A region's routes: its API (auth under the auth zone, the rest under the api zone) and its
 * socket, at /r/<slug>/. proxy_pass with a URI part replaces the matched prefix, so the region's
 * processes see /api/... and /ws as they do unprefixed; errors fall to the same named locations.
 */
function regionLocations(region: RegionRoute, auth: { burst: number }, api: { burst: number }): string {
  const prefix = `/r/${region.slug}`;
  const pool = `api_r_${region.slug}`;
  return `
    # region ${region.slug}
    location ${prefix}/api/v1/auth/ {
      limit_req zone=auth burst=${auth.burst} nodelay;
      proxy_pass http://${pool}/api/v1/auth/;${PROXY_API}
    }
    location ${prefix}/api/ {
      limit_req zone=api burst=${api.burst} nodelay;
      proxy_pass http://${pool}/api/;${PROXY_API}
    }
${websocketLocation(`${prefix}/ws`, `realtime_r_${region.slug}/ws`)}
`;
}

/**
 * Under /r/ but no region's routes: a region stopped, deleted or not started yet. Its pilots get
 * the API's 503 with a code (the client retries), not the SPA's index.html.
 */
const REGION_CLOSED = `
    location /r/ {
      default_type application/problem+json;
      add_header Retry-After 5 always;
      return 503 '{"type":"https://sectorwars.dev/problems/region_unavailable","title":"That region cannot be reached right now; try again shortly","status":503,"code":"region_unavailable","request_id":"$request_id"}';
    }
`;

const PROXY_API = `
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      # The gateway owns the security headers; the app's own copies would be duplicates.
      proxy_hide_header Strict-Transport-Security;
      proxy_hide_header X-Content-Type-Options;
      proxy_hide_header X-Frame-Options;
      proxy_hide_header Referrer-Policy;
      proxy_hide_header Content-Security-Policy;`;

export function renderNginxConfig(o: GatewayOptions): string {
  const auth = o.authRate ?? { perSecond: 5, burst: 10 };
  const api = o.apiRate ?? { perSecond: 200, burst: 400 };
  const pools = o.bundlePools ?? [];
  const regions = o.regions ?? [];
  const authPool = pools.find((p) => p.name === 'auth');
  const errorLog = o.logTo === 'files' ? `${o.prefix}/logs/error.log warn` : '/dev/stderr warn';
  const accessLog = o.logTo === 'files' ? `${o.prefix}/logs/access.log sectorwars` : '/dev/stdout sectorwars';
  const redirectHost = o.publicHost ? `${o.publicHost}:${o.httpsPort}` : '$host';

  return `# Rendered by nginx/render.ts — edit the template, not this file.
${o.user ? `user ${o.user};\n` : ''}worker_processes auto;
pid ${o.prefix}/nginx.pid;
error_log ${errorLog};

events {
  worker_connections 4096;
}

http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  server_tokens off;
  client_max_body_size 64k;
  client_body_temp_path ${o.prefix}/tmp/body;
  proxy_temp_path ${o.prefix}/tmp/proxy;
  fastcgi_temp_path ${o.prefix}/tmp/fastcgi;
  uwsgi_temp_path ${o.prefix}/tmp/uwsgi;
  scgi_temp_path ${o.prefix}/tmp/scgi;

  log_format sectorwars '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent '
                        '$request_time $upstream_addr req_id=$request_id';
  access_log ${accessLog};

  gzip on;
  gzip_comp_level 5;
  gzip_min_length 512;
  gzip_types text/css application/javascript application/json application/problem+json image/svg+xml text/plain;

  # Rate limits per client address: a general API budget, a much smaller one for auth.
  limit_req_zone $binary_remote_addr zone=api:10m rate=${api.perSecond}r/s;
  limit_req_zone $binary_remote_addr zone=auth:10m rate=${auth.perSecond}r/s;
  limit_conn_zone $binary_remote_addr zone=perip:10m;
  limit_req_status 429;
  limit_conn_status 429;

  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }

${upstream('api_all', o.apiServers, 32)}
${pools.map((pool) => upstream(`api_${pool.name}`, pool.servers, 16)).join('\n')}
${realtimeUpstream('realtime', o.realtimeServers)}
${regions.map((r) => `${upstream(`api_r_${r.slug}`, r.apiServers, 16)}\n${realtimeUpstream(`realtime_r_${r.slug}`, r.realtimeServers)}\n`).join('')}
  server {
    listen ${o.httpPort};
    server_name _;
    location = /healthz { access_log off; return 200 "ok\\n"; }
    location / { return 301 https://${redirectHost}$request_uri; }
  }

  server {
    listen ${o.httpsPort} ssl http2;
    server_name _;
    ssl_certificate ${o.certificate};
    ssl_certificate_key ${o.certificateKey};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    limit_conn perip 100;
${SECURITY_HEADERS}

    location = /healthz { access_log off; default_type text/plain; return 200 "ok\\n"; }

    # Refusals by the gateway speak the API's error model too.
    error_page 429 = @rate_limited;
    location @rate_limited {
      default_type application/problem+json;
      add_header Retry-After 1 always;
      return 429 '{"type":"https://sectorwars.dev/problems/rate_limited","title":"Too many requests","status":429,"code":"rate_limited","request_id":"$request_id"}';
    }
    error_page 502 503 504 = @unavailable;
    location @unavailable {
      default_type application/problem+json;
      add_header Retry-After 1 always;
      return 503 '{"type":"https://sectorwars.dev/problems/service_unavailable","title":"The game servers are unavailable","status":503,"code":"service_unavailable","request_id":"$request_id"}';
    }

    location /api/v1/auth/ {
      limit_req zone=auth burst=${auth.burst} nodelay;
      proxy_pass http://${authPool ? 'api_auth' : 'api_all'};${PROXY_API}
    }
${pools
  .filter((pool) => pool.name !== 'auth')
  .map(
    (pool) => `
    # ${pool.name}: ${pool.basePath} itself and everything under it
    location = ${pool.basePath} {
      limit_req zone=api burst=${api.burst} nodelay;
      proxy_pass http://api_${pool.name};${PROXY_API}
    }
    location ${pool.basePath}/ {
      limit_req zone=api burst=${api.burst} nodelay;
      proxy_pass http://api_${pool.name};${PROXY_API}
    }`,
  )
  .join('\n')}
    location /api/ {
      limit_req zone=api burst=${api.burst} nodelay;
      proxy_pass http://api_all;${PROXY_API}
    }

${websocketLocation('/ws', 'realtime')}
${regions.map((r) => regionLocations(r, auth, api)).join('')}${regions.length > 0 ? REGION_CLOSED : ''}
    # Hashed assets never change under the same name: cache them for a year.
    location /admin/assets/ {
      alias ${o.adminRoot}/assets/;
      expires 1y;
      add_header Cache-Control "public, max-age=31536000, immutable" always;
${SECURITY_HEADERS}
    }
    location /admin/ {
      alias ${o.adminRoot}/;
      try_files $uri $uri/ /admin/index.html;
      add_header Cache-Control "no-cache" always;
${SECURITY_HEADERS}
    }
    location /assets/ {
      root ${o.webRoot};
      expires 1y;
      add_header Cache-Control "public, max-age=31536000, immutable" always;
${SECURITY_HEADERS}
    }
    location / {
      root ${o.webRoot};
      try_files $uri /index.html;
      add_header Cache-Control "no-cache" always;
${SECURITY_HEADERS}
    }
  }
}
`;
}
