import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { type RealtimeServer, startRealtimeServer } from '../realtime/server.js';
import { type TestAdmin, signInAdmin } from './admin-helpers.js';
import { newPilot, recordEvents } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';

let t: TestApp;
let rt: RealtimeServer;
let root: TestAdmin;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false', REDIS_PREFIX: `${testBackends().redisPrefix}admo-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0 });
  root = await signInAdmin(t, [...ADMIN_SCOPES]);
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

const call = (as: TestAdmin, path: string) => t.call('GET', `/api/v1/admin${path}`, { token: as.token });

describe('live operations and combat logs', () => {
  it('refuses a player, an admin without admin:read and one without the second factor', async () => {
    const player = await newPilot(t);
    const lacking = await signInAdmin(
      t,
      ADMIN_SCOPES.filter((s) => s !== 'admin:read'),
    );
    const noFactor = await signInAdmin(t, [...ADMIN_SCOPES]);
    for (const path of ['/ops/online', '/ops/activity', '/ops/jobs', '/combat-logs', `/combat-logs/${randomUUID()}`, '/teams']) {
      for (const [token, code] of [
        [player.token, 'insufficient_scope'],
        [lacking.token, 'insufficient_scope'],
        [noFactor.playerToken, 'second_factor_required'],
      ] as const) {
        const res = await t.call('GET', `/api/v1/admin${path}`, { token });
        expect([path, res.status, res.body.code]).toEqual([path, 403, code]);
      }
    }
  }, 60_000);

  it('lists the pilots online and where they are', async () => {
    const [online, offline] = [await newPilot(t), await newPilot(t)];
    const socket = await openRealtime(t, rt.port, online.token);
    const res = await call(root, '/ops/online');
    expect(res.status).toBe(200);
    const ids = res.body.pilots.map((p: { user_id: string }) => p.user_id);
    expect(ids).toContain(online.userId);
    expect(ids).not.toContain(offline.userId);
    expect(res.body.pilots.find((p: { user_id: string }) => p.user_id === online.userId)).toEqual({
      user_id: online.userId,
      name: online.username,
      sector_id: 1,
    });
    expect(res.body.count).toBe(res.body.pilots.length);
    socket.close();
  });

  it('counts arrivals, trades and combats per sector, busiest first', async () => {
    await recordEvents(t.region, [
      { topic: 'sector:7', type: 'sector.arrived', data: { sector_id: 7, player: 'a', hull: 'scout' } },
      { topic: 'sector:7', type: 'sector.arrived', data: { sector_id: 7, player: 'b', hull: 'scout' } },
      { topic: 'sector:7', type: 'port.traded', data: { sector_id: 7 } },
      { topic: 'sector:9', type: 'sector.arrived', data: { sector_id: 9, player: 'c', hull: 'scout' } },
    ]);
    const res = await call(root, '/ops/activity?minutes=5');
    expect(res.status).toBe(200);
    const seven = res.body.sectors.find((s: { sector_id: number }) => s.sector_id === 7);
    const nine = res.body.sectors.find((s: { sector_id: number }) => s.sector_id === 9);
    expect(seven).toEqual({ sector_id: 7, arrivals: 2, trades: 1, combats: 0 });
    expect(nine).toEqual({ sector_id: 9, arrivals: 1, trades: 0, combats: 0 });
    expect(res.body.sectors.indexOf(seven)).toBeLessThan(res.body.sectors.indexOf(nine));
  });

  it('shows each job’s last run, its failures and the leader', async () => {
    const now = Date.now();
    const hour = (h: number) => new Date(Math.floor(now / 3_600_000) * 3_600_000 - h * 3_600_000);
    await t.region
      .insertInto('job_runs')
      .values([
        { job: 'market-drift', window_start: hour(2), status: 'failed', trigger: 'schedule', owner: 'jobs-a', lease_expires_at: hour(1), error: 'boom' },
        {
          job: 'market-drift',
          window_start: hour(1),
          status: 'succeeded',
          trigger: 'schedule',
          owner: 'jobs-a',
          lease_expires_at: hour(0),
          started_at: new Date(hour(0).getTime() - 1_500),
          finished_at: hour(0),
          stats: JSON.stringify({ goods: 12 }),
        },
      ])
      .execute();
    await t.region
      .insertInto('job_leases')
      .values({ name: 'jobs-leader', owner: 'jobs-a', expires_at: new Date(now + 30_000) })
      .execute();
    const res = await call(root, '/ops/jobs');
    expect(res.status, res.text).toBe(200);
    const drift = res.body.jobs.find((j: { job: string }) => j.job === 'market-drift');
    expect(drift.last).toMatchObject({ status: 'succeeded', owner: 'jobs-a', stats: { goods: 12 } });
    expect(Date.parse(drift.last.finished_at) - Date.parse(drift.last.started_at)).toBe(1_500);
    expect([drift.failures, drift.last_failure]).toEqual([1, 'boom']);
    expect(res.body.leaders).toEqual([expect.objectContaining({ name: 'jobs-leader', owner: 'jobs-a', live: true })]);
  });

  it('lists combat logs by pilot, sector and result, and shows one in full', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const id = randomUUID();
    await t.region
      .insertInto('combat_logs')
      .values({
        id,
        region_id: 1,
        sector_id: 42,
        attacker_user_id: a.userId,
        defender_user_id: b.userId,
        attacker_name: a.username,
        defender_name: b.username,
        seed: 'seed-1',
        result: 'repelled',
        detail: JSON.stringify({ rounds: [{ attacker_lost: 3, defender_lost: 1 }] }),
      })
      .execute();
    const byPilot = await call(root, `/combat-logs?pilot=${b.userId}`);
    expect(byPilot.body.logs).toEqual([expect.objectContaining({ id, attacker: a.username, defender: b.username, sector_id: 42, result: 'repelled' })]);
    expect((await call(root, '/combat-logs?sector=42&result=destroyed')).body.logs).toEqual([]);
    expect((await call(root, '/combat-logs?sector=42&result=repelled')).body.logs.map((l: { id: string }) => l.id)).toEqual([id]);
    const detail = await call(root, `/combat-logs/${id}`);
    expect(detail.body).toMatchObject({ id, seed: 'seed-1', detail: { rounds: [{ attacker_lost: 3, defender_lost: 1 }] } });
    const none = await call(root, `/combat-logs/${randomUUID()}`);
    expect([none.status, none.body.code]).toEqual([404, 'not_found']);
  });
});
