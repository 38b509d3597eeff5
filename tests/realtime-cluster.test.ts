import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESENCE_TTL_MS } from '../platform/presence.js';
import { newPilot } from './game-helpers.js';
import { TEST_SECRET, createTestApp, testBackends, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';
import { sectorDeliveryScenario } from './realtime-scenarios.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

const { redisUrl, redisPrefix } = testBackends();
const prefix = `${redisPrefix}cluster-${randomBytes(3).toString('hex')}:`;

/** One API (in-process) and two `sectorwars realtime` processes, on this run's PostgreSQL and Redis. */
describe.runIf(redisUrl)('two realtime processes', () => {
  let t: TestApp;
  let one: RunningRole;
  let two: RunningRole;
  const start = () =>
    spawnRole('realtime', {
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      JWT_SECRET: TEST_SECRET,
      REALTIME_HOST: '127.0.0.1',
    });

  beforeAll(async () => {
    t = await createTestApp({ config: { REDIS_PREFIX: prefix } });
    [one, two] = await Promise.all([start(), start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await t?.close();
  });

  it('deliver a trade in S to a player in S on the other process, not to one elsewhere; moves follow the pilot', async () => {
    await sectorDeliveryScenario(t, { a: one.port, b: two.port, c: one.port });
  });

  it('carry chat across processes and keep one connection per account across them', async () => {
    const [a, b] = await Promise.all([newPilot(t), newPilot(t)]);
    const sa = await openRealtime(t, one.port, a.token);
    const sb = await openRealtime(t, two.port, b.token);
    sa.send({ type: 'chat', channel: 'sector', text: 'across the cluster' });
    await sb.waitFor((f) => f.type === 'chat.message' && f.data.text === 'across the cluster');

    const again = await openRealtime(t, two.port, a.token);
    expect(await sa.closed).toEqual({ code: 4009, reason: 'superseded' });
    again.send({ type: 'chat', channel: 'sector', text: 'moved over' });
    await sb.waitFor((f) => f.type === 'chat.message' && f.data.text === 'moved over');
    again.close();
    sb.close();
  });

  it('leave presence that expires when a process dies', async () => {
    const [a, b] = await Promise.all([newPilot(t), newPilot(t)]);
    const third = await start();
    try {
      const sb = await openRealtime(t, third.port, b.token);
      const names = async () => (await t.call('GET', '/api/v1/sectors/1', { token: a.token })).body.players.map((p: { name: string }) => p.name);
      for (let i = 0; i < 50 && !(await names()).includes(b.username); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await names()).toContain(b.username);

      await third.stop('SIGKILL');
      await sb.closed;
      // Nobody said goodbye for b: its entries outlive the process only until their expiry.
      const redis = new Redis(redisUrl!);
      try {
        const ttl = await redis.pttl(`${prefix}presence:user:${b.userId}`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(PRESENCE_TTL_MS);
        const score = Number(await redis.zscore(`${prefix}presence:sector:1`, b.userId));
        expect(score).toBeLessThanOrEqual(Date.now() + PRESENCE_TTL_MS);
        // Past that expiry the sector no longer lists b, though nothing removed the entry.
        await redis.zadd(`${prefix}presence:sector:1`, Date.now() - 1, b.userId);
        expect(await names()).not.toContain(b.username);
      } finally {
        redis.disconnect();
      }
    } finally {
      await third.stop('SIGKILL');
    }
  });
});
