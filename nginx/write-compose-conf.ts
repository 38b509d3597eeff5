import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMPOSE_GATEWAY } from './compose-gateway.js';
import { gatewayPoolsFromRegistry, managerPool } from './registry.js';
import { type GatewayOptions, renderNginxConfig } from './render.js';

/**
 * `npm run render:nginx`: refresh nginx/compose.conf (a test fails when it is stale).
 * `npm run render:nginx -- --registry --out FILE`: the same template with the pools of the region
 * registry that DATABASE_URL (the accounts database) holds, for a multi-regional gateway; reload
 * nginx after (`nginx -s reload`) when a region was added or its addresses changed.
 * `--manager host:port`: /api/v1/admin/regions to the region manager (`sectorwars regions`).
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
    'require-regions': { type: 'string' },
    manager: { type: 'string' },
  },
});

function overrides(): Partial<GatewayOptions> {
  return {
    ...(values['http-port'] ? { httpPort: Number(values['http-port']) } : {}),
    ...(values['https-port'] ? { httpsPort: Number(values['https-port']) } : {}),
    ...(values.api ? { apiServers: values.api } : {}),
    ...(values.realtime ? { realtimeServers: values.realtime } : {}),
    ...(values.manager ? { bundlePools: [managerPool(values.manager)] } : {}),
  };
}

/** Written beside and renamed into place: a gateway waiting for the file never reads half of it. */
function writeWhole(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

if (values.registry) {
  const accountsUrl = process.env.DATABASE_URL;
  if (!accountsUrl) throw new Error('--registry reads the region registry from DATABASE_URL (the accounts database)');
  const pools = await gatewayPoolsFromRegistry(accountsUrl);
  const missing = (values['require-regions']?.split(',') ?? []).filter((slug) => !pools.regions?.some((r) => r.slug === slug));
  if (missing.length > 0) {
    process.stderr.write(`the region registry does not route ${missing.join(', ')} yet\n`);
    process.exit(1);
  }
  const text = renderNginxConfig({ ...COMPOSE_GATEWAY, ...overrides(), ...pools });
  if (values.out) writeWhole(values.out, text);
  else process.stdout.write(text);
} else {
  const text = renderNginxConfig({ ...COMPOSE_GATEWAY, ...overrides() });
  if (values.out) writeWhole(values.out, text);
  else writeFileSync(new URL('./compose.conf', import.meta.url), text);
}
