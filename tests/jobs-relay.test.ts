import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRelayJob } from '../jobs/outbox-relay.js';
import { EVENTS_CHANNEL, type EventEnvelope } from '../platform/events.js';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { findTradingPort, newPilot, placePilot } from './game-helpers.js';
import { createTestApp, TEST_SECRET, testBackends, type TestApp } from './harness.js';
import { jobDeps, runWindow } from './job-helpers.js';
import { openRealtime, type TestSocket } from './realtime-client.js';

/**
 * The transactional outbox end to end: an API process dies between committing a trade and
 * publishing its events; the relay publishes them, once, and a connected client sees them once.
 * Needs PostgreSQL, as the dying process and this one share the database.
 */
const { databaseUrl, redisUrl, redisPrefix } = testBackends();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(databaseUrl)('outbox relay after a crash between commit and publish', () => {
  let t: TestApp;
  let rt: RealtimeServer;
  beforeAll(async () => {
    // A bus prefix of its own: other files' processes publish events with ids from other databases.
    t = await createTestApp({ config: { REDIS_PREFIX: `${redisPrefix}relay-${randomBytes(3).toString('hex')}:` } });
    rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await rt.close();
    await t.close();
  });

  it('publishes the dead process’s events exactly once, and the client sees each once', async () => {
    const pilot = await newPilot(t);
    const port = await findTradingPort(t);
    await placePilot(t, pilot.userId, port.sector_id);
    const socket: TestSocket = await openRealtime(t, rt.port, pilot.token);
    const onBus: EventEnvelope[] = [];
    const unsubscribe = await t.bus.subscribe(EVENTS_CHANNEL, (message) => onBus.push(JSON.parse(message) as EventEnvelope));

    const died = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/trade-then-die.ts'], {
        env: {
          ...process.env,
          DATABASE_URL: t.config.databaseUrl,
          REDIS_URL: redisUrl ?? '',
          REDIS_PREFIX: t.config.redisPrefix,
          JWT_SECRET: TEST_SECRET,
          LOG_LEVEL: 'silent',
          TRADE_TOKEN: pilot.token,
          TRADE_GOOD: port.sells,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code, signal) => resolve({ code, signal, out }));
    });
    expect(died, died.out).toMatchObject({ signal: 'SIGKILL' });

    // The trade committed; its events did not go out.
    const bought = await t.db.selectFrom('credit_ledger').select('delta').where('user_id', '=', pilot.userId).where('reason', '=', 'trade_buy').execute();
    expect(bought).toHaveLength(1);
    const pending = await t.db.selectFrom('outbox').select(['id', 'type', 'topic']).where('published_at', 'is', null).orderBy('id').execute();
    expect(pending.map((e) => e.type)).toEqual(['trade.completed', 'port.traded']);
    const ids = pending.map((e) => e.id);
    await sleep(200);
    expect(socket.frames.filter((f) => typeof f.id === 'number' && ids.includes(f.id))).toEqual([]);

    // Two relays at once (say, a leader and one that just lost its lease), then a later window.
    const deps = jobDeps(t);
    const W = Date.now() + 10_000;
    const runs = await Promise.all([runWindow(deps, outboxRelayJob, new Date(W), 'relay-a'), runWindow(deps, outboxRelayJob, new Date(W + 5_000), 'relay-b')]);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(runs.reduce((n, r) => n + Number(r.stats!.published), 0)).toBe(2);
    expect((await runWindow(deps, outboxRelayJob, new Date(W + 10_000))).stats).toMatchObject({ published: 0 });

    await socket.waitFor((f) => f.id === ids[0], 'the relayed trade.completed');
    await sleep(300);
    expect(
      onBus
        .filter((e) => ids.includes(e.id))
        .map((e) => e.id)
        .sort(),
    ).toEqual(ids);
    const seen = socket.frames.filter((f) => typeof f.id === 'number' && ids.includes(f.id));
    expect(seen.map((f) => f.id)).toEqual(ids);
    expect(seen.map((f) => f.type)).toEqual(['trade.completed', 'port.traded']);

    // The resume feed has each event once as well.
    const feed = await t.call('GET', '/api/v1/events?after=0', { token: pilot.token });
    expect(feed.body.events.filter((e: { id: number }) => ids.includes(e.id)).map((e: { id: number }) => e.id)).toEqual(ids);
    await unsubscribe();
    socket.close();
  });
});
