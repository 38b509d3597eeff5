import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../nginx/stack.js';
import { testBackends, uniqueName } from './harness.js';

/**
 * The production topology through real nginx: two api replicas, realtime and jobs behind the
 * gateway on this run's PostgreSQL and Redis. Needs nginx, PostgreSQL and Redis (CI has them).
 */
const { databaseUrl, redisUrl, redisPrefix } = testBackends();
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const enabled = Boolean(hasNginx && databaseUrl && redisUrl);

const HTTP_PORT = 18080 + (process.pid % 500);
const HTTPS_PORT = HTTP_PORT + 1000;
const agent = new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false });
let stack: RunningStack;
let dbName: string;
const serverUrl = (name: string) => {
  const url = new URL(databaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

function call(method: string, pathname: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port: HTTPS_PORT,
        method,
        path: pathname,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          if (/json/.test(String(res.headers['content-type']))) body = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    if (payload) req.write(payload);
    req.end();
  });
}

async function register() {
  const name = uniqueName('gw');
  const res = await call('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' } });
  expect(res.status).toBe(201);
  return { name, token: res.body.access_token as string };
}

function requestsServedBy(port: number): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/metrics`)
    .then((r) => r.text())
    .then((text) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('sectorwars_http_requests_total{') && l.includes('route="/api/v1/player/state"'))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0),
    );
}

describe.runIf(enabled)('the gateway in front of the topology', () => {
  beforeAll(async () => {
    dbName = `sectorwars_gateway_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl('postgres') });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    stack = await startStack({
      dir: mkdtempSync(path.join(tmpdir(), 'sw-stack-')),
      databaseUrl: serverUrl(dbName),
      redisUrl: redisUrl!,
      redisPrefix: `${redisPrefix}gw:`,
      httpPort: HTTP_PORT,
      httpsPort: HTTPS_PORT,
      apiReplicas: 2,
      basePort: 19100 + (process.pid % 500) * 2,
      webRoot: path.resolve('web/dist'),
      adminRoot: path.resolve('admin/dist'),
      // The steady loop below is one client address (and one session) far above a player's pace.
      extraEnv: { LOG_LEVEL: 'warn', ALLOWED_ORIGINS: `https://127.0.0.1:${HTTPS_PORT}`, API_LIMIT_SESSION_PER_MINUTE: '1000000' },
      apiRate: { perSecond: 5_000, burst: 5_000 },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    agent.destroy();
    const admin = new pg.Client({ connectionString: serverUrl('postgres') });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await fetch(`http://127.0.0.1:${HTTP_PORT}/api/v1/player/state`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toMatch(/^https:\/\//);
  });

  it('plays a trade through nginx and delivers its event over /ws', async () => {
    const player = await register();
    const ticket = await call('POST', '/api/v1/realtime/ticket', { token: player.token });
    expect(ticket.status).toBe(201);
    const ws = new WebSocket(`wss://127.0.0.1:${HTTPS_PORT}/ws?ticket=${encodeURIComponent(ticket.body.ticket)}`, {
      rejectUnauthorized: false,
      headers: { origin: `https://127.0.0.1:${HTTPS_PORT}` },
    });
    const frames: Array<{ id: unknown; type: string; data: Record<string, unknown> }> = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    // Events reach the connection from its welcome on (the server reads where the pilot is first).
    const welcomed = Date.now() + 10_000;
    while (!frames.some((f) => f.type === 'welcome') && Date.now() < welcomed) await new Promise((r) => setTimeout(r, 20));
    expect(frames.map((f) => f.type)).toContain('welcome');
    // Earth Station in sector 1 sells ore at a fixed price.
    const bought = await call('POST', '/api/v1/trade/buy', { token: player.token, body: { good: 'ore', quantity: 5 }, headers: { 'idempotency-key': 'gw-1' } });
    expect(bought.status).toBe(200);
    expect(bought.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const deadline = Date.now() + 10_000;
    while (!frames.some((f) => f.type === 'trade.completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const event = frames.find((f) => f.type === 'trade.completed');
    expect(event?.data).toMatchObject({ side: 'buy', good: 'ore', quantity: 5 });
    expect(typeof event?.id).toBe('number');
    ws.close();
  });

  it('serves the SPA: index not cached, hashed assets cached for a year, security headers set', async () => {
    const index = await call('GET', '/');
    expect(index.status).toBe(200);
    expect(String(index.headers['content-type'])).toContain('text/html');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    const assets = existsSync('web/dist/assets') ? readdirSync('web/dist/assets').filter((f) => f.endsWith('.js')) : [];
    expect(assets.length).toBeGreaterThan(0);
    const asset = await call('GET', `/assets/${assets[0]}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-encoding']).toBe('gzip');
    const deep = await call('GET', '/map');
    expect(deep.status).toBe(200);
  });

  it('limits a burst on /api/v1/auth/login with 429 problems', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () => call('POST', '/api/v1/auth/login', { body: { username: 'nobody_here', password: 'wrong password' } })),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.code).toBe('rate_limited');
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  });

  it('keeps serving when an api replica dies, and sends traffic back when it returns', async () => {
    const player = await register();
    const loop = async (ms: number) => {
      const outcomes: Array<{ at: number; ok: boolean }> = [];
      const end = Date.now() + ms;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() < end) {
            const at = Date.now();
            const res = await call('GET', '/api/v1/player/state', { token: player.token }).catch(() => ({ status: 0 }));
            outcomes.push({ at, ok: res.status === 200 });
          }
        }),
      );
      return outcomes;
    };
    const killedAt = Date.now() + 1_500;
    const running = loop(6_000);
    await new Promise((r) => setTimeout(r, 1_500));
    await stack.kill('api-1', 'SIGKILL');
    const outcomes = await running;
    const failed = outcomes.filter((o) => !o.ok);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(failed.length / outcomes.length).toBeLessThan(0.01);
    // Once nginx has marked the replica down, nothing fails at all.
    expect(failed.filter((o) => o.at > killedAt + 1_000)).toEqual([]);

    const replica = await stack.restart('api-1');
    const before = await requestsServedBy(replica.port);
    const after = await loop(7_000); // longer than fail_timeout, so nginx tries the replica again
    expect(after.every((o) => o.ok)).toBe(true);
    expect(await requestsServedBy(replica.port)).toBeGreaterThan(before);
  }, 60_000);

  it('exposes /metrics on every role, and the dashboard only uses metrics that exist', async () => {
    const names = new Set<string>();
    for (const service of stack.services.values()) {
      if (service.name === 'nginx') continue;
      const res = await fetch(`http://127.0.0.1:${service.port}/metrics`);
      expect(res.status, service.name).toBe(200);
      for (const line of (await res.text()).split('\n')) {
        const match = /^# TYPE (\S+) (\w+)/.exec(line);
        if (!match) continue;
        names.add(match[1]!);
        if (match[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(match[1]! + suffix);
      }
    }
    const dashboard = (await import('../monitoring/grafana/dashboards/sectorwars.json', { with: { type: 'json' } })).default;
    const used = new Set<string>();
    for (const panel of dashboard.panels) for (const target of panel.targets) for (const m of target.expr.matchAll(/sectorwars_[a-z0-9_]+/g)) used.add(m[0]);
    expect([...used].filter((name) => !names.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThan(8);
  });
});
