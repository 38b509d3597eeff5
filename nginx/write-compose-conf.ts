import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMPOSE_GATEWAY } from './compose-gateway.js';
import { gatewayPoolsFromRegistry } from './registry.js';
import { type GatewayOptions, renderNginxConfig } from './render.js';

/**
 * `npm run render:nginx`: refresh nginx/compose.conf (a test fails when it is stale).
 * `npm run render:nginx -- --registry --out FILE`: the same template with the pools of the region
 * registry that DATABASE_URL (the accounts database) holds, for a multi-regional gateway; reload
 * nginx after (`nginx -s reload`) when a region was added or its addresses changed.
 * `--http-port`, `--https-port`, `--api host:port …`, `--realtime host:port …`: the listeners and
 * pools where service names do not resolve and every process has a port of its own (compose on
 * the host network, compose.local.yaml). In the image this runs as `node dist/nginx/write-compose-conf.js`.
 */
const { values } = parseArgs({
  options: {
    registry: { type: 'boolean' },
    out: { type: 'string' },
    'http-port': { type: 'string' },
    'https-port': { type: 'string' },
    api: { type: 'string', multiple: true },
    realtime: { type: 'string', multiple: true },
  },
});

function overrides(): Partial<GatewayOptions> {
  return {
    ...(values['http-port'] ? { httpPort: Number(values['http-port']) } : {}),
    ...(values['https-port'] ? { httpsPort: Number(values['https-port']) } : {}),
    ...(values.api ? { apiServers: values.api } : {}),
    ...(values.realtime ? { realtimeServers: values.realtime } : {}),
  };
}

if (values.registry) {
  const accountsUrl = process.env.DATABASE_URL;
  if (!accountsUrl) throw new Error('--registry reads the region registry from DATABASE_URL (the accounts database)');
  const text = renderNginxConfig({ ...COMPOSE_GATEWAY, ...overrides(), ...(await gatewayPoolsFromRegistry(accountsUrl)) });
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
} else {
  writeFileSync(values.out ?? new URL('./compose.conf', import.meta.url), renderNginxConfig({ ...COMPOSE_GATEWAY, ...overrides() }));
}
