import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { buyOne, openRealtime } from './realtime-client.js';
import { ThrowawayRedis } from './throwaway-redis.js';

/**
 * Restarting the shared Redis would disturb every other test running meanwhile, so this file
 * runs a throwaway redis-server of its own and kills it under a live realtime server.
 */
describe.runIf(testBackends().redisUrl)('a Redis restart under live connections', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let rt: RealtimeServer;
  const logLines: string[] = [];
  const startRedis = () => redis.start();
  const stopRedis = () => redis.kill();

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await createTestApp({ config: { REDIS_URL: redis.url, REDIS_PREFIX: 'restart:' }, logLines });
    rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await t?.close();
    await redis?.kill();
  });

  it('reconnects by itself, delivers what happened meanwhile from the outbox, then live events; the API keeps answering', async () => {
    const [a, b] = await Promise.all([newPilot(t), newPilot(t)]);
    const sb = await openRealtime(t, rt.port, b.token);
    await buyOne(t, a.token);
    await sb.waitFor((f) => f.type === 'port.traded' && f.data.trader === a.username);

    await stopRedis();
    // Redis is gone: the game goes on (the publish after commit fails, the outbox keeps the event).
    const started = Date.now();
    await buyOne(t, a.token);
    expect((await t.call('GET', '/api/v1/player/state', { token: a.token })).status).toBe(200);
    // Promptly, too: bus commands fail at once while Redis is away instead of waiting for it.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await t.call('POST', '/api/v1/realtime/ticket', { token: a.token })).body.code).toBe('realtime_unavailable');

    await startRedis();
    // Without any reconnect of ours: the trade made during the outage arrives, then a new one live.
    await sb.waitFor(() => sb.of('port.traded').length === 2, 'the trade made during the outage', 15_000);
    await buyOne(t, a.token);
    await sb.waitFor(() => sb.of('port.traded').length === 3, 'the trade made after the restart', 10_000);
    const ids = sb.of('port.traded').map((f) => f.id as number);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(3);
    expect(sb.ws.readyState).toBe(sb.ws.OPEN);
    expect((await rt.metrics.busReconnects.get()).values[0]!.value).toBe(1);
    const messages = logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('bus subscription lost; delivering again once it is back');
    expect(messages).toContain('bus subscription restored; catching up from the outbox');
    sb.close();
  }, 60_000);
});
