import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMPOSE_GATEWAY } from './compose-gateway.js';
import { gatewayPoolsFromRegistry } from './registry.js';
import { renderNginxConfig } from './render.js';

/**
 * `npm run render:nginx`: refresh nginx/compose.conf (a test fails when it is stale).
 * `npm run render:nginx -- --registry --out FILE`: the same template with the pools of the region
 * registry that DATABASE_URL (the accounts database) holds, for a multi-regional gateway; reload
 * nginx after (`nginx -s reload`) when a region was added or its addresses changed.
 */
const { values } = parseArgs({ options: { registry: { type: 'boolean' }, out: { type: 'string' } } });
if (values.registry) {
  const accountsUrl = process.env.DATABASE_URL;
  if (!accountsUrl) throw new Error('--registry reads the region registry from DATABASE_URL (the accounts database)');
  const text = renderNginxConfig({ ...COMPOSE_GATEWAY, ...(await gatewayPoolsFromRegistry(accountsUrl)) });
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
} else {
  writeFileSync(values.out ?? new URL('./compose.conf', import.meta.url), renderNginxConfig(COMPOSE_GATEWAY));
}
