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
import { chartOver } from './chart.js';

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
// Below the ephemeral range (32768 on), where outgoing connections take their ports.
const BASE_PORT = 22000 + (process.pid % 100) * 100;
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

/** The shortest way over a shard's plain warps (tests/chart.ts). */
async function chart(slug: string, from: number, isGoal: (sector: number) => boolean): Promise<number[]> {
  const warps = await query<{ from: number; to: number }>(regionDb(slug), 'select from_sector_id as from, to_sector_id as to from warps where not gate');
  return chartOver(warps, from, isGoal);
}

async function fly(api: ApiClient, path: number[]): Promise<void> {
  for (const hop of path) expect((await api.player.move(hop, newActionKey())).player.sector_id).toBe(hop);
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
      // No pirates: a raid on the trader would be a coin toss in a flow about something else. Small
      // pools: nine processes share the test server's connections with the other suites.
      extraEnv: { LOG_LEVEL: 'warn', ALLOWED_ORIGINS: ORIGIN, RATE_LIMITS: 'false', NPC_PIRATES_PER_REGION: '0', DATABASE_POOL_SIZE: '4' },
      // What a process logged as an error is what a failure here needs first.
      onLine: (service, line) => {
        if (/"level":(50|60)/.test(line)) process.stderr.write(`${service}| ${line}\n`);
      },
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
    // The gateway an operator renders by hand comes from the same rows.
    const rendered = spawnSync(process.execPath, ['--import', 'tsx', 'nginx/write-compose-conf.ts', '--registry'], {
      env: { ...process.env, DATABASE_URL: stack.accountsUrl! },
      encoding: 'utf8',
    });
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain(`upstream api_r_nexus {\n    server 127.0.0.1:${BASE_PORT + 20} max_fails=1 fail_timeout=5s;`);
    expect(rendered.stdout).toContain('location = /r/nexus/ws {');
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

  it('takes the Central Nexus database away and back: its processes report it, Terran Space plays on', async () => {
    const { api } = await signUp();
    const ready = async (service: string) => (await fetch(`http://127.0.0.1:${stack.services.get(service)!.port}/readyz`)).status;
    expect([await ready('nexus/api-1'), await ready('terran/api-1')]).toEqual([200, 200]);
    await stack.secondPostgres!.pause();
    try {
      await expect.poll(() => ready('nexus/api-1'), { timeout: 10_000 }).toBe(503);
      expect(await ready('terran/api-1')).toBe(200);
      expect((await api.player.state()).player.sector_id).toBe(1);
    } finally {
      await stack.secondPostgres!.resume();
    }
    await expect.poll(() => ready('nexus/api-1'), { timeout: 15_000 }).toBe(200);
    api.dispose();
  });

  it('trades in Terran Space, crosses the gate into the Central Nexus on the other server, trades and chats there, and comes back', async () => {
    const a = await signUp();
    const b = await signUp();
    // b stays in Terran Space with its socket on the start region; a's link follows a.
    await b.api.player.state();
    const bLink = openLink(b.api);
    const aLink = openLink(a.api);
    await expect.poll(() => [aLink.link.state().status, bLink.link.state().status], { timeout: 15_000 }).toEqual(['live', 'live']);

    // Buy at Terra's port.
    const terra = await a.api.sectors.get(1);
    const good = terra.port?.goods.find((g) => g.port_action === 'sells' && g.tradable >= 5);
    expect(good, 'Terra sells something').toBeDefined();
    const bought = await a.api.trade.buy({ good: good!.good, quantity: 5 }, newActionKey());
    expect(bought.ship.cargo[good!.good]).toBe(5);

    // Fly to the gate: the sector whose warp out is a gate, its far end in the other shard.
    const [gate] = await query<{ from: number; to: number }>(
      regionDb('terran'),
      'select from_sector_id as from, to_sector_id as to from warps where gate and from_sector_id <= $1',
      [TEST_GALAXY.terranSectors],
    );
    expect(gate!.to).toBeGreaterThan(TEST_GALAXY.terranSectors);
    await fly(a.api, await chart('terran', 1, (sector) => sector === gate!.from));
    const gateSector = await a.api.sectors.get(gate!.from);
    expect(gateSector.warps).toContainEqual(expect.objectContaining({ to: gate!.to, gate: true }));

    // Through the gate: the answer names the region it arrived in, and the client goes there.
    const crossed = await a.api.player.move(gate!.to, newActionKey());
    expect(crossed.player.sector_id).toBe(gate!.to);
    expect(a.api.region.current()).toMatchObject({ slug: 'nexus', base_path: '/r/nexus' });
    const there = await a.api.player.state();
    expect(a.sent.at(-1)).toBe('GET /r/nexus/api/v1/player/state');
    expect(there.player.sector_id).toBe(gate!.to);
    expect(there.ship.cargo[good!.good]).toBe(5);
    // The pilot lives in the nexus shard on the second server now, and no longer in Terran Space's.
    const pilotIn = async (slug: string) =>
      (await query<{ n: number }>(regionDb(slug), 'select count(*)::int as n from players where name = $1', [a.name]))[0]?.n;
    expect([await pilotIn('terran'), await pilotIn('nexus')]).toEqual([0, 1]);
    // The credits left Terran Space's ledger and arrived in the Central Nexus's, the same amount.
    const gateEntries = async (slug: string) =>
      query<{ reason: string; delta: string }>(
        regionDb(slug),
        "select reason, delta::text from credit_ledger where user_id = $1 and reason like 'gate_%' order by id",
        [a.api.session.user()!.id],
      );
    const [departure] = await gateEntries('terran');
    const [arrival] = await gateEntries('nexus');
    expect(departure?.reason).toBe('gate_departure');
    expect(arrival).toEqual({ reason: 'gate_arrival', delta: String(-Number(departure!.delta)) });

    // Trade in the Central Nexus, through /r/nexus/api/v1: buy at the nearest port that sells.
    const ports = await query<{ sector_id: number; good: string }>(
      regionDb('nexus'),
      "select p.sector_id, g.good from ports p join port_goods g on g.port_id = p.id where g.mode = 'sell' and g.stock >= 5 and p.port_class between 1 and 8",
    );
    const toPort = await chart('nexus', gate!.to, (sector) => ports.some((p) => p.sector_id === sector));
    await fly(a.api, toPort);
    const nearest = ports.find((p) => p.sector_id === (toPort.at(-1) ?? gate!.to))!;
    const before = (await a.api.player.state()).player.credits;
    const nexusTrade = await a.api.trade.buy({ good: nearest.good as NonNullable<typeof good>['good'], quantity: 1 }, newActionKey());
    expect(nexusTrade.player.credits).toBeLessThan(before);
    expect(a.sent.at(-1)).toBe('POST /r/nexus/api/v1/trade/buy');

    // Global chat from the nexus reaches a pilot in Terran Space; a's socket moved to the nexus.
    await expect
      .poll(() => aLink.link.state().status === 'live' && aLink.urls.at(-1), { timeout: 15_000 })
      .toMatch(new RegExp(`^wss://127\\.0\\.0\\.1:${HTTPS_PORT}/r/nexus/ws\\?ticket=`));
    const text = `hello from the nexus ${uniqueName('line')}`;
    expect(aLink.link.send({ type: 'chat', channel: 'global', text })).toBe(true);
    const heard = (frames: RealtimeFrame[]) =>
      frames.some((f) => f.type === 'chat.message' && f.data.text === text && (f.data.from as { name: string }).name === a.name);
    // The echo is a's confirmation from the nexus realtime; b's copy crossed the nexus bus.
    await expect.poll(() => heard(aLink.frames), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => heard(bLink.frames), { timeout: 10_000 }).toBe(true);

    // And back through the gate, into Terran Space again.
    await fly(a.api, await chart('nexus', nearest.sector_id, (sector) => sector === gate!.to));
    const home = await a.api.player.move(gate!.from, newActionKey());
    expect(home.player.sector_id).toBe(gate!.from);
    expect(a.api.region.current()).toMatchObject({ slug: 'terran' });
    expect((await a.api.player.state()).player.sector_id).toBe(gate!.from);
    expect(a.sent.at(-1)).toBe('GET /r/terran/api/v1/player/state');
    expect([await pilotIn('terran'), await pilotIn('nexus')]).toEqual([1, 0]);
    await expect
      .poll(() => aLink.link.state().status === 'live' && aLink.urls.at(-1), { timeout: 15_000 })
      .toMatch(new RegExp(`^wss://127\\.0\\.0\\.1:${HTTPS_PORT}/r/terran/ws\\?ticket=`));

    aLink.link.close();
    bLink.link.close();
    a.api.dispose();
    b.api.dispose();
  }, 120_000);
});
