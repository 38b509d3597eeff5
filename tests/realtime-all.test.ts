import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CallOptions, TestResponse } from './harness.js';
import { uniqueName } from './harness.js';
import { buyOne, openRealtime } from './realtime-client.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

/** `sectorwars all` serves the API and /ws on one port: uWS takes the upgrades, Hono the rest. */
let all: RunningRole;
beforeAll(async () => {
  all = await spawnRole('all', { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sw-all-rt-')) });
}, 60_000);
afterAll(async () => {
  await all?.stop();
});

async function call(method: string, route: string, options: CallOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const res = await fetch(`${all.url}${route}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined };
}

it('answers HTTP through the Hono app on the realtime listener', async () => {
  expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
  const head = await call('HEAD', '/healthz');
  expect([head.status, head.text]).toEqual([200, '']);
  const missing = await call('GET', '/api/v1/nowhere');
  expect([missing.status, missing.headers.get('content-type'), missing.body.code]).toEqual([404, 'application/problem+json', 'not_found']);
  const tooBig = await call('POST', '/api/v1/auth/login', { rawBody: 'x'.repeat(70_000), headers: { 'content-type': 'application/json' } });
  expect([tooBig.status, tooBig.body.code]).toEqual([413, 'payload_too_large']);

  const name = uniqueName('all');
  const reg = await call('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' } });
  expect(reg.status).toBe(201);
  expect(reg.headers.getSetCookie()).toEqual([expect.stringMatching(/^sw_refresh=.+; HttpOnly; SameSite=Strict$/)]);
  expect(reg.headers.get('x-request-id')).toBeTruthy();
});

it('opens /ws on the same port with a ticket and delivers the game’s events', async () => {
  const name = uniqueName('allws');
  const reg = await call('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' } });
  const token = reg.body.access_token as string;
  expect((await call('GET', '/api/v1/player/state', { token })).status).toBe(200);
  const socket = await openRealtime({ call }, all.port, token);
  await buyOne({ call }, token);
  await socket.waitFor((f) => f.type === 'trade.completed');
  await socket.waitFor((f) => f.type === 'port.traded' && f.data.trader === name);
  const metrics = (await call('GET', '/metrics')).text;
  expect(metrics).toMatch(/sectorwars_realtime_connections\{role="all"\} 1/);
  expect(metrics).toContain('sectorwars_http_requests_total');
  socket.close();
});
