import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { OPENAPI_TYPES_FILE, renderOpenApiTypes, serverOpenApiDocument } from './generate.js';

it("the client's contract types match the routes the server mounts (else: npm run client:generate)", async () => {
  const committed = await readFile(OPENAPI_TYPES_FILE, 'utf8');
  const current = await renderOpenApiTypes(await serverOpenApiDocument());
  expect(current === committed, 'client/openapi.d.ts is stale: run `npm run client:generate`').toBe(true);
});
