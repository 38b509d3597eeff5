import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { adminRegionsBundle } from '../handlers/admin-regions/index.js';
import { bundles } from '../handlers/index.js';
import { loadConfig } from '../platform/config.js';
import { openBus } from '../platform/bus/index.js';
import { openDatabase } from '../platform/db/database.js';
import { createApp } from '../platform/http/app.js';
import { createLogger } from '../platform/logger.js';
import { createMetrics } from '../platform/metrics.js';
import { OutboxPublisher } from '../platform/outbox.js';
import { accessTokensFor } from '../platform/tokens.js';
import type { RegionManager } from '../regions/manager.js';

/**
 * The API client's types come from the server's own OpenAPI document (which the handlers build
 * from their zod schemas), so the client cannot drift from the routes: `client/contract.test.ts`
 * fails when this file's output no longer matches `client/openapi.d.ts`.
 *
 *   npm run client:generate
 */
export const OPENAPI_TYPES_FILE = fileURLToPath(new URL('./openapi.d.ts', import.meta.url));

const HEADER =
  "/* The SectorWars API contract, generated from the server's OpenAPI document by client/generate.ts. Do not edit: run `npm run client:generate`. */\n\n";

/** The OpenAPI document every bundle mounts, exactly as `GET /api/openapi.json` serves it. */
export async function serverOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({ JWT_SECRET: 'contract-generation-only-secret-0123456789', DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
  const database = await openDatabase(config, { inMemory: true });
  const bus = openBus(config);
  try {
    const app = createApp(
      {
        config,
        accounts: database.accounts,
        region: database.region,
        bus,
        outbox: new OutboxPublisher(database.region, bus, createLogger(config, 'contract')),
        logger: createLogger(config, 'contract'),
        metrics: createMetrics('contract'),
        tokens: accessTokensFor(config),
      },
      // The region manager's API too (served where the manager runs): its routes, not its work, make the document.
      [...bundles, adminRegionsBundle({} as RegionManager)],
    );
    const res = await app.request('/api/openapi.json');
    if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  } finally {
    await bus.close();
    await database.close();
  }
}

export async function renderOpenApiTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const types = await renderOpenApiTypes(await serverOpenApiDocument());
  await writeFile(OPENAPI_TYPES_FILE, types);
  process.stdout.write(`wrote ${OPENAPI_TYPES_FILE}\n`);
}
