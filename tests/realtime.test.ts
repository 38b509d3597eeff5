import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBus } from '../platform/bus/memory-bus.js';
import { EVENTS_CHANNEL } from '../platform/outbox.js';
import { createMetrics } from '../platform/metrics.js';
import { issueTicket } from '../platform/realtime-tickets.js';
import { CHAT } from '../realtime/chat.js';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { TestSocket, buyOne, move, neighbourOf, openRealtime, type Frame } from './realtime-client.js';
import { sectorDeliveryScenario } from './realtime-scenarios.js';

const HOLD_MS = 300;
let t: TestApp;
let rt: RealtimeServer;
/** Holds a new connection's frames long enough for a slow test to send `resume` (a loaded CI machine takes seconds). */
let patient: RealtimeServer;

beforeAll(async () => {
  // A bus prefix of its own: other test files publish outbox events whose ids mean nothing here.
  t = await createTestApp({ config: { REDIS_PREFIX: `${testBackends().redisPrefix}rt-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200, holdMs: HOLD_MS });
  patient = await startRealtimeServer({ ...t, metrics: createMetrics('rt-patient') }, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200, holdMs: 60_000 });
});
afterAll(async () => {
  await patient?.close();
  await rt?.close();
  await t?.close();
});

const wsUrl = (path: string) => `ws://127.0.0.1:${rt.port}${path}`;
const refusal = (url: string, headers?: Record<string, string>) =>
  TestSocket.connect(url, headers).then(
    (s) => {
      s.close();
      throw new Error('the upgrade was accepted');
    },
    (err: { status: number; body: { code: string } }) => ({ status: err.status, code: err.body?.code }),
  );
const eventIds = (frames: Frame[]) => frames.filter((f) => typeof f.id === 'number').map((f) => f.id as number);

describe('tickets', () => {
  it('are issued to signed-in players only, single use, for 30 s', async () => {
    expect((await t.call('POST', '/api/v1/realtime/ticket')).status).toBe(401);
    const p = await newPilot(t);
    const res = await t.call('POST', '/api/v1/realtime/ticket', { token: p.token });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), url: `/ws?ticket=${res.body.ticket}`, expires_in: 30 });
  });

  it('refuse a missing, reused or expired ticket with 401, a foreign Origin with 403', async () => {
    const p = await newPilot(t);
    expect(await refusal(wsUrl('/ws'))).toEqual({ status: 401, code: 'ticket_required' });

    const { body } = await t.call('POST', '/api/v1/realtime/ticket', { token: p.token });
    // A refused Origin does not spend the ticket.
    expect(await refusal(wsUrl(body.url), { origin: 'https://evil.example' })).toEqual({ status: 403, code: 'origin_not_allowed' });
    const first = await TestSocket.connect(wsUrl(body.url), { origin: t.config.allowedOrigins[0]! });
    await first.waitForType('welcome');
    expect(await refusal(wsUrl(body.url))).toEqual({ status: 401, code: 'invalid_ticket' });
    first.close();

    const shortLived = await issueTicket(t.bus, { userId: p.userId, sessionId: randomUUID(), scopes: [] }, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await refusal(wsUrl(`/ws?ticket=${shortLived}`))).toEqual({ status: 401, code: 'invalid_ticket' });
    expect(await refusal(wsUrl('/ws?ticket=not-a-ticket'))).toEqual({ status: 401, code: 'invalid_ticket' });
  });
});

describe('delivery', () => {
  it('sends sector events to who is there, and moves the subscription with the pilot', async () => {
    await sectorDeliveryScenario(t, { a: rt.port, b: rt.port, c: rt.port });
  });

  it('replays what a reconnecting client missed once, in order, before live events', async () => {
    const [a, b] = await Promise.all([newPilot(t), newPilot(t)]);
    const first = await openRealtime(t, rt.port, a.token);
    await buyOne(t, a.token);
    await first.waitForType('port.traded');
    const cursor = Math.max(...eventIds(first.frames));
    first.close();
    await first.closed;

    // Missed while away: two trades of A's, one of B's in the same sector.
    await buyOne(t, a.token);
    await buyOne(t, b.token);
    await buyOne(t, a.token);
    const missed = (await t.call('GET', `/api/v1/events?after=${cursor}`, { token: a.token })).body.events.map((e: { id: number }) => e.id);
    expect(missed).toHaveLength(5);

    // Connected but not yet resumed: B's next trade is held for A, and is also in the outbox.
    const again = await openRealtime(t, patient.port, a.token, { resume: 'none' });
    const sb = await openRealtime(t, rt.port, b.token);
    await buyOne(t, b.token);
    const held = await sb.waitFor((f) => f.type === 'port.traded' && f.data.trader === b.username);
    again.send({ type: 'resume', after: cursor, ref: 'r1' });
    const resumed = await again.waitForType('resumed');
    expect(resumed.data).toEqual({ ref: 'r1', after: cursor, replayed: 6, complete: true });

    await buyOne(t, b.token);
    await again.waitFor((f) => f.type === 'port.traded' && (f.id as number) > (held.id as number), 'the live trade after the resume');
    const ids = eventIds(again.frames);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids.slice(0, 5)).toEqual(missed);
    expect(ids).toHaveLength(7);
    // Replayed events come before `resumed`, live ones after it.
    const resumedAt = again.frames.indexOf(resumed);
    expect(eventIds(again.frames.slice(0, resumedAt))).toHaveLength(6);
    again.close();
    sb.close();
  });

  it('lets a client that never resumes go live once the hold ends', async () => {
    const a = await newPilot(t);
    const s = await openRealtime(t, rt.port, a.token, { resume: 'none' });
    const welcome = s.of('welcome')[0]!;
    expect(welcome.data).toMatchObject({ user_id: a.userId, sector_id: 1, hold_ms: HOLD_MS, last_event_id: expect.any(Number) });
    const resumed = await s.waitForType('resumed', 2_000);
    expect(resumed.data).toEqual({ after: null, replayed: 0, complete: true });
    await buyOne(t, a.token);
    await s.waitForType('trade.completed');
    s.send({ type: 'resume', after: 0 });
    expect((await s.waitForType('error')).data.code).toBe('already_live');
    s.close();
  });

  it('closes the older connection when the same account connects again', async () => {
    const a = await newPilot(t);
    const older = await openRealtime(t, rt.port, a.token);
    const newer = await openRealtime(t, rt.port, a.token);
    expect(await older.closed).toEqual({ code: 4009, reason: 'superseded' });
    newer.send({ type: 'ping', ref: 'still-here' });
    expect((await newer.waitForType('pong')).data.ref).toBe('still-here');
    newer.close();
  });

  it('refuses a ticket issued before its session logged out', async () => {
    const a = await newPilot(t);
    const { body } = await t.call('POST', '/api/v1/realtime/ticket', { token: a.token });
    expect((await t.call('POST', '/api/v1/auth/logout', { token: a.token })).status).toBe(204);
    expect(await refusal(wsUrl(body.url))).toEqual({ status: 401, code: 'session_revoked' });
  });

  it('closes the socket of a session that logs out', async () => {
    const a = await newPilot(t);
    const s = await openRealtime(t, rt.port, a.token);
    expect((await t.call('POST', '/api/v1/auth/logout', { token: a.token })).status).toBe(204);
    expect(await s.closed).toEqual({ code: 4001, reason: 'auth_revoked' });
  });
});

describe('protocol', () => {
  it('answers bad frames with error frames and keeps the connection', async () => {
    const a = await newPilot(t);
    const s = await openRealtime(t, rt.port, a.token);
    s.ws.send('not json');
    s.send({ type: 'dance', ref: 'd' });
    s.send({ type: 'chat', channel: 'direct', text: 'to whom?', ref: 'c' });
    s.send({ type: 'chat', channel: 'global', text: 'x', colour: 'red' });
    s.send({ type: 'ping', ref: 'p' });
    await s.waitForType('pong');
    expect(s.of('error').map((f) => [f.data.code, f.data.ref])).toEqual([
      ['malformed_frame', undefined],
      ['unknown_type', 'd'],
      ['invalid_frame', 'c'],
      ['invalid_frame', undefined],
    ]);
    expect(s.of('pong')[0]!.data).toEqual({ ref: 'p', server_time: expect.any(String) });
    s.close();
  });
});

describe('chat', () => {
  it('reaches the sector, everyone, or one player; cleaned; kept for clients that reconnect', async () => {
    const [a, b, c] = await Promise.all([newPilot(t), newPilot(t), newPilot(t)]);
    const n = await neighbourOf(t, 1);
    await move(t, c.token, n);
    const [sa, sb, sc] = await Promise.all([openRealtime(t, rt.port, a.token), openRealtime(t, rt.port, b.token), openRealtime(t, rt.port, c.token)]);

    sa.send({ type: 'chat', channel: 'sector', text: '  hello\u0000 sector\u202E\nnext line ' });
    const line = await sb.waitFor((f) => f.type === 'chat.message' && f.data.from.id === a.userId);
    expect(line).toMatchObject({
      id: expect.stringMatching(/^c/),
      topic: 'sector:1',
      data: { channel: 'sector', from: { id: a.userId, name: a.username }, text: 'hello sector next line' },
    });
    await sa.waitFor((f) => f.id === line.id, 'the echo of its own line');

    sa.send({ type: 'chat', channel: 'global', text: 'hello galaxy' });
    await sc.waitFor((f) => f.type === 'chat.message' && f.data.channel === 'global');
    expect(sc.of('chat.message').filter((f) => f.data.channel === 'sector')).toEqual([]);

    sa.send({ type: 'chat', channel: 'direct', to: c.userId, text: 'psst' });
    const direct = await sc.waitFor((f) => f.type === 'chat.message' && f.data.channel === 'direct');
    expect(direct).toMatchObject({ topic: `player:${c.userId}`, data: { to: c.userId, text: 'psst' } });
    await sa.waitFor((f) => f.id === direct.id && f.topic === `player:${a.userId}`, 'the direct echo');
    expect(sb.of('chat.message').filter((f) => f.data.channel === 'direct')).toEqual([]);

    sa.send({ type: 'chat', channel: 'sector', text: 'x'.repeat(CHAT.maxLength + 1), ref: 'long' });
    sa.send({ type: 'chat', channel: 'sector', text: '\u0001\u0002 \t', ref: 'empty' });
    sa.send({ type: 'chat', channel: 'team', text: 'team?', ref: 'team' });
    sa.send({ type: 'chat', channel: 'direct', to: randomUUID(), text: 'anyone?', ref: 'nobody' });
    await sa.waitFor((f) => f.type === 'error' && f.data.ref === 'nobody');
    expect(sa.of('error').map((f) => [f.data.ref, f.data.code])).toEqual([
      ['long', 'message_too_long'],
      ['empty', 'empty_message'],
      ['team', 'not_in_team'],
      ['nobody', 'unknown_recipient'],
    ]);
    sa.send({ type: 'chat', channel: 'sector', text: 'y'.repeat(CHAT.maxLength) });
    await sb.waitFor((f) => f.type === 'chat.message' && f.data.text.length === CHAT.maxLength);

    sc.close();
    await sc.closed;
    const back = await openRealtime(t, rt.port, c.token);
    const history = back.of('chat.history');
    const global = history.find((f) => f.data.channel === 'global')!;
    expect(global.data.messages.map((m: { text: string }) => m.text)).toContain('hello galaxy');
    expect(history.find((f) => f.data.channel === 'direct')!.data.messages).toEqual([
      expect.objectContaining({ id: direct.id, text: 'psst', from: { id: a.userId, name: a.username } }),
    ]);
    // C is in sector n, so it is not given sector 1's history.
    expect(history.find((f) => f.data.channel === 'sector')?.data.messages ?? []).toEqual([]);
    for (const s of [sa, sb, back]) s.close();
  });

  it('limits a flood: error frames first, then the rate_limited close', async () => {
    const a = await newPilot(t);
    const s = await openRealtime(t, rt.port, a.token);
    for (let i = 0; i < 20; i++) s.send({ type: 'chat', channel: 'global', text: `spam ${i}`, ref: `m${i}` });
    const answered = () => s.of('error').length + s.of('chat.message').filter((f) => f.data.from.id === a.userId).length;
    await s.waitFor(() => answered() === 20, 'an answer to every line');
    expect(s.of('chat.message').filter((f) => f.data.from.id === a.userId)).toHaveLength(CHAT.rate.limit);
    const limited = s.of('error');
    expect(limited).toHaveLength(20 - CHAT.rate.limit);
    expect(limited.every((f) => f.data.code === 'rate_limited' && f.data.retry_after > 0)).toBe(true);

    // Past the frame limit the server stops answering and closes.
    for (let i = 0; i < 30; i++) s.send({ type: 'ping' });
    expect(await s.closed).toEqual({ code: 4029, reason: 'rate_limited' });
  });
});

describe('presence', () => {
  it('shows, in the sector view, the players present who are online', async () => {
    const [a, b] = await Promise.all([newPilot(t), newPilot(t)]);
    const names = async () => (await t.call('GET', '/api/v1/sectors/1', { token: a.token })).body.players.map((p: { name: string }) => p.name);
    const eventually = async (check: (list: string[]) => boolean) => {
      for (let i = 0; i < 50; i++) {
        const list = await names();
        if (check(list)) return list;
        await new Promise((r) => setTimeout(r, 50));
      }
      return names();
    };
    expect(await names()).not.toContain(b.username);
    const sb = await openRealtime(t, rt.port, b.token);
    expect(await eventually((l) => l.includes(b.username))).toContain(b.username);
    sb.close();
    expect(await eventually((l) => !l.includes(b.username))).not.toContain(b.username);
  });

  it('lists only online pilots in the sector a move arrives in, as the sector view does', async () => {
    const [mover, online, offline] = await Promise.all([newPilot(t), newPilot(t), newPilot(t)]);
    const so = await openRealtime(t, rt.port, online.token);
    const sector1 = (await t.call('GET', '/api/v1/sectors/1', { token: mover.token })).body as { warps: Array<{ to: number; one_way: boolean }> };
    const out = sector1.warps.find((w) => !w.one_way)!.to;
    const move = (to: number) => t.call('POST', '/api/v1/player/move', { token: mover.token, body: { to } });
    expect((await move(out)).status).toBe(200);
    const back = await move(1);
    expect(back.status).toBe(200);
    const names = (back.body.sector.players as Array<{ name: string }>).map((p) => p.name);
    expect(names).toContain(online.username);
    expect(names).not.toContain(offline.username);
    // Each pilot says whether it is connected (the cockpit's presence dot) and whether it is an NPC.
    const listed = back.body.sector.players as Array<{ name: string; npc: boolean; online: boolean }>;
    expect(listed.find((p) => p.name === online.username)).toMatchObject({ npc: false, online: true });
    expect(listed.filter((p) => p.npc).every((p) => !p.online)).toBe(true);
    so.close();
  });
});

describe('operations', () => {
  it('serves health, readiness and metrics on the realtime port', async () => {
    const base = `http://127.0.0.1:${rt.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', database: 'ok', bus: 'ok' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'sectorwars_realtime_connections',
      'sectorwars_realtime_messages_in_total',
      'sectorwars_realtime_messages_out_total',
      'sectorwars_realtime_delivery_lag_seconds_bucket',
      'sectorwars_realtime_connections_closed_total',
    ]) {
      expect(metrics).toContain(name);
    }
    const missing = await fetch(`${base}/api/v1/player/state`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('not_found');
  });

  it('drops a dead socket on the heartbeat and a slow one at the backpressure limit', async () => {
    // A server of its own, on a bus of its own: this test pushes made-up events. Its heartbeat is
    // short, but not so short that a healthy socket misses it on a loaded machine: uWS splits a
    // 16 s idle timeout into 8 s of silence before a ping and 8 s for the pong (each on a 4 s
    // timer tick). At 8 s it was 4 s and 4 s, and a socket still waiting for its `resumed` frame
    // was cut once in CI (1006) when the test process did not get the CPU to answer in time.
    const bus = new MemoryBus();
    const own = await startRealtimeServer(
      { ...t, bus, metrics: createMetrics('rt-drops') },
      { host: '127.0.0.1', port: 0, idleTimeoutSeconds: 16, holdMs: 50 },
    );
    try {
      const connect = async () => {
        const a = await newPilot(t);
        const ticket = await issueTicket(bus, { userId: a.userId, sessionId: t.tokens.verify(a.token)!.sid, scopes: [] });
        const s = await TestSocket.connect(`ws://127.0.0.1:${own.port}/ws?ticket=${ticket}`);
        await s.waitForType('resumed');
        return { s, a };
      };
      const slow = await connect();
      const dead = await connect();
      // Neither reads anything any more: the dead one gets nothing and stops answering pings; ~40 MB
      // are sent to the slow one, far past what the kernel buffers and the backpressure limit hold.
      for (const { s } of [slow, dead]) (s.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const pad = 'x'.repeat(20_000);
      for (let i = 0; i < 2_000; i++) {
        await bus.publish(
          EVENTS_CHANNEL,
          JSON.stringify({ id: 1e9 + i, topic: `player:${slow.a.userId}`, type: 'test.bulk', at: new Date().toISOString(), data: { pad } }),
        );
      }
      const closed = async (reason: string) => (await own.metrics.closed.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
      const within = async (ms: number, check: () => Promise<boolean>) => {
        for (const started = Date.now(); Date.now() - started < ms; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
        return false;
      };
      // The slow one goes long before the heartbeat could have cut it (12 s at the soonest); the
      // dead one goes on it (12 to 16 s after it last answered).
      expect(await within(3_000, async () => (await closed('dropped')) === 1)).toBe(true);
      expect(own.connections()).toBe(1);
      expect(await within(24_000, async () => (await closed('idle')) === 1)).toBe(true);
      expect(own.connections()).toBe(0);
      expect(await closed('dropped')).toBe(1);
    } finally {
      await own.close();
      await bus.close();
    }
  }, 45_000);

  it('closes every socket with server_shutdown when it stops', async () => {
    const own = await startRealtimeServer({ ...t, metrics: createMetrics('rt-shutdown') }, { host: '127.0.0.1', port: 0 });
    const a = await newPilot(t);
    const s = await openRealtime(t, own.port, a.token);
    await own.close();
    expect(await s.closed).toEqual({ code: 1001, reason: 'server_shutdown' });
    expect(await TestSocket.connect(`ws://127.0.0.1:${own.port}/ws?ticket=x`).catch((err: Error) => err.message)).toMatch(/ECONNREFUSED/);
  });
});
