import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../platform/config.js';
import { openBuses } from '../platform/bus/index.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../platform/db/database.js';
import { createApp } from '../platform/http/app.js';
import type { Bundle, Deps } from '../platform/http/context.js';
import { createLogger } from '../platform/logger.js';
import { createMetrics } from '../platform/metrics.js';
import { OutboxPublisher } from '../platform/outbox.js';
import { accessTokensFor } from '../platform/tokens.js';
import { bundles as allBundles } from '../handlers/index.js';
import pg from 'pg';
import { generateUniverse } from '../regions/default-world.js';
import { TEST_GALAXY } from './test-galaxy.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

/** Which backends this run talks to: real PostgreSQL/Redis when CI provides them, embedded otherwise. */
export function testBackends() {
  const databaseUrl = inject('testDatabaseUrl') || undefined;
  const redisUrl = inject('testRedisUrl') || undefined;
  return { databaseUrl, redisUrl, redisPrefix: inject('testRedisPrefix') };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const { databaseUrl, redisUrl, redisPrefix } = testBackends();
  return loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: TEST_SECRET,
    DATA_DIR: '/tmp/sectorwars-test-unused',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_SIZE: '20',
    ...overrides,
  });
}

export interface TestApp extends Deps {
  database: DatabaseHandle;
  app: ReturnType<typeof createApp>;
  call(method: string, path: string, options?: CallOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/**
 * The app wired to this run's database and bus, driven in-process with `app.request()`. Each
 * call comes from a random address unless `ip` is given, so per-IP limits only bite on purpose.
 */
export async function createTestApp(options: { config?: Record<string, string>; bundles?: Bundle[]; logLines?: string[] } = {}): Promise<TestApp> {
  // A test that names its own databases has prepared them.
  const clone = options.config?.DATABASE_URL ? undefined : await cloneTestDatabase();
  const config = testConfig({ ...(clone ? { DATABASE_URL: clone.url } : {}), ...options.config });
  const database = await openDatabase(config, { inMemory: true });
  if (database.backend === 'pglite') {
    await migrateToLatest(database);
    await generateUniverse(database.region, createLogger({ logLevel: 'silent' }, 'test'), TEST_GALAXY);
  }
  const { bus, nexusBus } = openBuses(config);
  const logger = options.logLines
    ? createLogger({ logLevel: 'info' }, 'test', { write: (line: string) => void options.logLines!.push(line) })
    : createLogger(config, 'test');
  const deps: Deps = {
    config,
    accounts: database.accounts,
    region: database.region,
    bus,
    nexusBus,
    outbox: new OutboxPublisher(database.region, bus, logger, { stamps: config.eventStamps, nexusBus, origin: config.regions.region }),
    logger,
    metrics: createMetrics('test'),
    tokens: accessTokensFor(config),
  };
  const app = createApp(deps, options.bundles ?? allBundles);

  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await app.request(
      path,
      { method, headers, ...(body !== undefined ? { body } : {}) },
      { incoming: { socket: { remoteAddress: opts.ip ?? randomIp() } } },
    );
    const text = await res.text();
    let parsed: unknown;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return {
    ...deps,
    database,
    app,
    call,
    close: async () => {
      await deps.outbox.close();
      await bus.close();
      if (nexusBus !== bus) await nexusBus.close();
      await database.close();
      await clone?.drop();
    },
  };
}

export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

/** A username no other test (or earlier run on the same server) has used. */
export function uniqueName(prefix = 'p'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`.slice(0, 24);
}

export async function registerPlayer(t: TestApp, name = uniqueName()) {
  const res = await t.call('POST', '/api/v1/auth/register', {
    body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    username: name,
    password: 'correct horse battery',
    token: res.body.access_token as string,
    refreshToken: res.body.refresh_token as string,
    userId: res.body.user.id as string,
  };
}

/**
 * On PostgreSQL every test app gets its own copy of the run's template database (migrated, with
 * the test galaxy), so concurrent files never share ports, players or stock.
 */
async function cloneTestDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const { databaseUrl } = testBackends();
  if (!databaseUrl) return undefined;
  const template = new URL(databaseUrl).pathname.slice(1);
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const server = new URL(databaseUrl);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    // The template must have no other session at the moment of the copy; a concurrent copy can collide.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server.toString() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
