import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, randomIp, registerPlayer, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';
import { ThrowawayRedis, redisServerInstalled } from './throwaway-redis.js';

/**
 * Redis going away under a running API, on a redis-server of this file's own (killed and started
 * again empty, as a Redis without persistence restarts): sign-in keeps working, and a session that
 * was logged out stays logged out, whatever the bus remembers.
 */
describe.runIf(redisServerInstalled)('a Redis outage', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let rt: RealtimeServer;

  const busBack = () =>
    expect
      .poll(
        () =>
          t.bus.ping().then(
            () => true,
            () => false,
          ),
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
  const me = async (token: string) => {
    const res = await t.call('GET', '/api/v1/auth/me', { token });
    return res.status === 200 ? 200 : `${res.status} ${res.body.code}`;
  };

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await createTestApp({ config: { REDIS_URL: redis.url, REDIS_PREFIX: 'outage:' } });
    rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200 });
  }, 60_000);
  // Each case starts with Redis up and the API's connection to it re-made.
  beforeEach(async () => {
    await redis.start();
    await busBack();
  }, 30_000);
  afterAll(async () => {
    await rt?.close();
    await t?.close();
    await redis?.kill();
  });

  it('keeps registration and sign-in working on a per-process limiter, and /readyz says the bus is degraded', async () => {
    const known = await registerPlayer(t);
    await redis.kill();
    try {
      const ready = await t.call('GET', '/readyz');
      expect([ready.status, ready.body]).toEqual([200, { status: 'degraded', database: 'ok', bus: 'down' }]);

      const fresh = await registerPlayer(t);
      expect(await me(fresh.token)).toBe(200);
      const login = await t.call('POST', '/api/v1/auth/login', { body: { username: known.username, password: known.password } });
      expect(login.status).toBe(200);
      expect(await me(login.body.access_token)).toBe(200);

      // Still limited meanwhile, more strictly: one address guessing one account's password.
      const ip = randomIp();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await t.call('POST', '/api/v1/auth/login', { ip, body: { username: known.username, password: 'not the password' } })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await redis.start();
    }
    await busBack();
    expect((await t.call('GET', '/readyz')).body).toEqual({ status: 'ready', database: 'ok', bus: 'ok' });
  });

  it('keeps a logged-out session logged out while Redis is down and after it restarts empty; a logout during the outage holds too', async () => {
    const [before, during, alive] = await Promise.all([registerPlayer(t), registerPlayer(t), registerPlayer(t)]);
    expect((await t.call('POST', '/api/v1/auth/logout', { token: before.token })).status).toBe(204);
    expect(await me(before.token)).toBe('401 session_revoked');
    expect(await me(during.token)).toBe(200);

    await redis.kill();
    try {
      expect(await me(before.token)).toBe('401 session_revoked');
      expect((await t.call('POST', '/api/v1/auth/logout', { token: during.token })).status).toBe(204);
      expect(await me(during.token)).toBe('401 session_revoked');
      expect(await me(alive.token)).toBe(200);
      const refresh = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: during.refreshToken } });
      expect(refresh.status).toBe(401);
    } finally {
      await redis.start();
    }
    await busBack();
    expect(await me(before.token)).toBe('401 session_revoked');
    expect(await me(during.token)).toBe('401 session_revoked');
    expect(await me(alive.token)).toBe(200);
  });

  it('closes the socket of a session logged out while Redis is down', async () => {
    const p = await newPilot(t);
    const socket = await openRealtime(t, rt.port, p.token);
    await redis.kill();
    try {
      expect((await t.call('POST', '/api/v1/auth/logout', { token: p.token })).status).toBe(204);
      expect(await socket.closed).toEqual({ code: 4001, reason: 'auth_revoked' });
    } finally {
      await redis.start();
    }
    await busBack();
  });
});
