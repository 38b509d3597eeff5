import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, connectRealtime, createApiClient, newActionKey, type RealtimeFrame, type RealtimeLink, type SocketLike } from '../client/index.js';
import { type RunningStack, startStack } from '../nginx/stack.js';
import { testBackends, uniqueName } from './harness.js';
import { hasPostgresServer } from './second-postgres.js';
import { TEST_GALAXY } from './test-galaxy.js';

/**
 * Multi-regional mode end to end, through real nginx: `startStack({ regions: 2 })` (what `npm run
 * stack -- --regions 2` starts) with Terran Space next to the accounts database and the Central
 * Nexus on a second PostgreSQL server. Pilots use the typed client as the web client does: it
 * follows them through the gate to /r/nexus/ and back, REST and realtime alike.
 */
const { databaseUrl, redisUrl, redisPrefix } = testBackends();
const hasNginx = spawnSync('nginx', ['-v']).status === 0;

const HTTP_PORT = 21080 + (process.pid % 400);
const HTTPS_PORT = HTTP_PORT + 500;
const BASE_PORT = 30000 + (process.pid % 300) * 100;
const ORIGIN = `https://127.0.0.1:${HTTPS_PORT}`;
const DB_PREFIX = `sw_mr${process.pid}_`;
const insecure = new Agent({ connect: { rejectUnauthorized: false } });
let stack: RunningStack;

const onServer = (server: string, database: string) => {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
};

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const regionDb = (slug: string) => stack.regions.find((r) => r.slug === slug)!.databaseUrl;

/** A pilot's client as a browser page would hold it, with the paths it called. */
function pilotClient() {
  const sent: string[] = [];
  const api = createApiClient({
    baseUrl: ORIGIN,
    refreshTokenIn: 'memory',
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return undiciFetch(String(input), { ...(init as object), dispatcher: insecure });
    }) as typeof fetch,
  });
  return { api, sent };
}

async function signUp(): Promise<{ api: ApiClient; sent: string[]; name: string }> {
  const { api, sent } = pilotClient();
  const name = uniqueName('mr');
  await api.auth.register({ username: name, email: `${name}@example.test`, password: 'correct horse battery' });
  return { api, sent, name };
}

/** The realtime link as the web client opens it, with every frame it received and the URLs it opened. */
function openLink(api: ApiClient) {
  const frames: RealtimeFrame[] = [];
  const urls: string[] = [];
  const link: RealtimeLink = connectRealtime({
    api,
    origin: ORIGIN,
    onFrame: (frame) => frames.push(frame),
    openSocket: (url) => {
      urls.push(url);
      return new WebSocket(url, { rejectUnauthorized: false, headers: { origin: ORIGIN } }) as unknown as SocketLike;
    },
  });
  return { link, frames, urls };
}

function requestsServedBy(port: number, route: string): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/metrics`)
    .then((r) => r.text())
    .then((text) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('sectorwars_http_requests_total{') && l.includes(`route="${route}"`))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0),
    );
}

const portsOf = (prefix: string) => [...stack.services.values()].filter((s) => s.name.startsWith(prefix)).map((s) => s.port);
const servedBy = async (prefix: string, route: string) =>
  (await Promise.all(portsOf(prefix).map((p) => requestsServedBy(p, route)))).reduce((a, b) => a + b, 0);

describe.skipIf(!databaseUrl || !redisUrl || !hasNginx || !hasPostgresServer)('two regions behind the gateway', () => {
  beforeAll(async () => {
    stack = await startStack({
      dir: mkdtempSync(path.join(tmpdir(), 'sw-stack-mr-')),
      databaseUrl: databaseUrl!,
      redisUrl: redisUrl!,
      redisPrefix: `${redisPrefix}mr:`,
      httpPort: HTTP_PORT,
      httpsPort: HTTPS_PORT,
      apiReplicas: 2,
      basePort: BASE_PORT,
      webRoot: path.resolve('web/dist'),
      adminRoot: path.resolve('admin/dist'),
      regions: 2,
      databasePrefix: DB_PREFIX,
      galaxy: TEST_GALAXY,
      extraEnv: { LOG_LEVEL: 'warn', ALLOWED_ORIGINS: ORIGIN, RATE_LIMITS: 'false' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await insecure.close();
    for (const name of ['accounts', 'terran', 'nexus']) {
      await query(onServer(databaseUrl!, 'postgres'), `drop database if exists ${DB_PREFIX}${name} with (force)`);
    }
  });

  it('runs each region on its own processes and database, registered on the nexus', async () => {
    expect([...stack.services.keys()].sort()).toEqual(
      ['nexus/api-1', 'nexus/api-2', 'nexus/jobs', 'nexus/realtime', 'nginx', 'terran/api-1', 'terran/api-2', 'terran/jobs', 'terran/realtime'].sort(),
    );
    const registry = await query<{ slug: string; api_urls: string[]; realtime_urls: string[] }>(
      stack.accountsUrl!,
      'select slug, api_urls, realtime_urls from region_registry order by id',
    );
    expect(registry).toEqual([
      { slug: 'terran', api_urls: [`127.0.0.1:${BASE_PORT}`, `127.0.0.1:${BASE_PORT + 1}`], realtime_urls: [`127.0.0.1:${BASE_PORT + 10}`] },
      { slug: 'nexus', api_urls: [`127.0.0.1:${BASE_PORT + 20}`, `127.0.0.1:${BASE_PORT + 21}`], realtime_urls: [`127.0.0.1:${BASE_PORT + 30}`] },
    ]);
    // Terran Space next to the accounts database, the Central Nexus on the second server: each only its own sectors.
    expect(regionDb('terran')).toBe(onServer(databaseUrl!, `${DB_PREFIX}terran`));
    expect(new URL(regionDb('nexus')).port).toBe(String(stack.secondPostgres!.port));
    const [terran] = await query<{ low: number; high: number }>(regionDb('terran'), 'select min(id)::int as low, max(id)::int as high from sectors');
    const [nexus] = await query<{ low: number; high: number }>(regionDb('nexus'), 'select min(id)::int as low, max(id)::int as high from sectors');
    expect(terran).toEqual({ low: 1, high: TEST_GALAXY.terranSectors });
    expect(nexus).toEqual({ low: TEST_GALAXY.terranSectors + 1, high: TEST_GALAXY.terranSectors + TEST_GALAXY.nexusSectors });
    expect((await query(stack.accountsUrl!, "select 1 from information_schema.tables where table_name = 'sectors'")).length).toBe(0);
  });

  it('routes /r/<slug>/ to that region, and the unprefixed API to the start region', async () => {
    const { api } = await signUp();
    const before = { terran: await servedBy('terran/api', '/api/v1/auth/me'), nexus: await servedBy('nexus/api', '/api/v1/auth/me') };
    const me = async (prefix: string) => {
      const res = await undiciFetch(`${ORIGIN}${prefix}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${await api.session.accessToken()}` },
        dispatcher: insecure,
      });
      expect(res.status).toBe(200);
    };
    await me('/r/nexus');
    await me('/r/nexus');
    await me('/r/terran');
    await me('');
    expect(await servedBy('nexus/api', '/api/v1/auth/me')).toBe(before.nexus + 2);
    expect(await servedBy('terran/api', '/api/v1/auth/me')).toBe(before.terran + 2);
    api.dispose();
  });

  it('signs a pilot up on the nexus and starts them at Terra, in Terran Space', async () => {
    const { api, sent } = await signUp();
    const state = await api.player.state();
    expect(state.player).toMatchObject({ sector_id: 1, credits: 20_000 });
    expect(api.region.current()).toBeNull();
    expect(sent.at(-1)).toBe('GET /api/v1/player/state');
    const [row] = await query<{ n: number }>(regionDb('terran'), 'select count(*)::int as n from players where name = $1', [state.player.name]);
    expect(row?.n).toBe(1);
    api.dispose();
  });
});

export const _forCrossing = { newActionKey };
