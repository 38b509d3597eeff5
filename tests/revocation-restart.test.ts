import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { authBundle } from '../handlers/auth/index.js';
import { loadConfig } from '../platform/config.js';
import { MemoryBus } from '../platform/bus/memory-bus.js';
import { migrateToLatest, openDatabase } from '../platform/db/database.js';
import { createApp } from '../platform/http/app.js';
import { createLogger } from '../platform/logger.js';
import { createMetrics } from '../platform/metrics.js';
import { OutboxPublisher } from '../platform/outbox.js';
import { accessTokensFor } from '../platform/tokens.js';
import { TEST_SECRET, randomIp, uniqueName } from './harness.js';

/**
 * The embedded mode keeps its bus in memory: a restart forgets every mark on it. Whether a session
 * was logged out must survive that, since the access token (same secret, still unexpired) does.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-revocation-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startEmbedded() {
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
  const database = await openDatabase(config);
  await migrateToLatest(database);
  const bus = new MemoryBus();
  const tokens = accessTokensFor(config);
  const logger = createLogger(config, 'test');
  const outbox = new OutboxPublisher(database.region, bus, logger);
  const app = createApp({ config, accounts: database.accounts, region: database.region, bus, outbox, logger, metrics: createMetrics('test'), tokens }, [
    authBundle,
  ]);
  const call = async (method: string, route: string, options: { token?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = options.body ? { 'content-type': 'application/json' } : {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await app.request(
      route,
      { method, headers, ...(options.body ? { body: JSON.stringify(options.body) } : {}) },
      { incoming: { socket: { remoteAddress: randomIp() } } },
    );
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    async stop() {
      await bus.close();
      await database.close();
    },
  };
}

it('keeps a logged-out session logged out across a restart of the embedded server', async () => {
  let server = await startEmbedded();
  const register = async () => {
    const name = uniqueName('rr');
    const res = await server.call('POST', '/api/v1/auth/register', {
      body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' },
    });
    expect(res.status).toBe(201);
    return res.body.access_token as string;
  };
  const [loggedOut, kept] = [await register(), await register()];
  expect((await server.call('POST', '/api/v1/auth/logout', { token: loggedOut })).status).toBe(204);
  expect((await server.call('GET', '/api/v1/auth/me', { token: loggedOut })).status).toBe(401);
  await server.stop();

  server = await startEmbedded();
  try {
    const after = await server.call('GET', '/api/v1/auth/me', { token: loggedOut });
    expect([after.status, after.body.code]).toEqual([401, 'session_revoked']);
    expect((await server.call('GET', '/api/v1/auth/me', { token: kept })).status).toBe(200);
  } finally {
    await server.stop();
  }
}, 60_000);
