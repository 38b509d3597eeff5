import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { type TestAdmin, signInAdmin } from './admin-helpers.js';
import { economySnapshotsJob } from '../jobs/economy-snapshots.js';
import { newPilot } from './game-helpers.js';
import { reopenWindow, runWindow } from './job-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';

let t: TestApp;
let root: TestAdmin;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false', REDIS_PREFIX: `${testBackends().redisPrefix}adme-${randomBytes(3).toString('hex')}:` } });
  root = await signInAdmin(t, [...ADMIN_SCOPES]);
});
afterAll(async () => {
  await t?.close();
});

const call = (as: TestAdmin, path: string) => t.call('GET', `/api/v1/admin/economy${path}`, { token: as.token });
const supplyNow = async () => Number((await t.region.selectFrom('players').select(sql<string>`coalesce(sum(credits), 0)`.as('n')).executeTakeFirstOrThrow()).n);

describe('the economy admin API', () => {
  it('refuses a player, an admin without admin:economy and one without the second factor', async () => {
    const player = await newPilot(t);
    const lacking = await signInAdmin(
      t,
      ADMIN_SCOPES.filter((s) => s !== 'admin:economy'),
    );
    const noFactor = await signInAdmin(t, [...ADMIN_SCOPES]);
    for (const path of ['/money-supply', '/flows', '/top-earners', '/prices', '/prices/history?good=ore', '/npcs']) {
      for (const [token, code] of [
        [player.token, 'insufficient_scope'],
        [lacking.token, 'insufficient_scope'],
        [noFactor.playerToken, 'second_factor_required'],
      ] as const) {
        const res = await t.call('GET', `/api/v1/admin/economy${path}`, { token });
        expect([path, res.status, res.body.code]).toEqual([path, 403, code]);
      }
    }
  }, 60_000);

  it('reads the money supply, sources and sinks and top earners from the ledger', async () => {
    const [rich, poor] = [await newPilot(t), await newPilot(t)];
    const give = await t.call('POST', `/api/v1/admin/players/${rich.userId}/credits`, {
      token: root.token,
      headers: { 'x-totp-code': await root.code() },
      body: { delta: 77_777, reason: 'prize for the tournament' },
    });
    expect(give.status, give.text).toBe(200);
    const take = await t.call('POST', `/api/v1/admin/players/${poor.userId}/credits`, {
      token: root.token,
      headers: { 'x-totp-code': await root.code() },
      body: { delta: -1_234, reason: 'clawback of a duplicated trade' },
    });
    expect(take.status, take.text).toBe(200);

    const supply = await call(root, '/money-supply?bucket=hour');
    expect(supply.status, supply.text).toBe(200);
    expect(supply.body.buckets.length).toBeGreaterThanOrEqual(1);
    const last = supply.body.buckets[supply.body.buckets.length - 1];
    // The ledger is the money: the supply after the last bucket is every pilot's credits.
    expect(last.supply).toBe(await supplyNow());
    expect(supply.body.buckets.reduce((s: number, b: { net: number }) => s + b.net, supply.body.opening_supply)).toBe(await supplyNow());
    expect(last.burned).toBeGreaterThanOrEqual(1_234);
    const days = await call(root, '/money-supply?bucket=day');
    expect(days.body.buckets[days.body.buckets.length - 1].supply).toBe(await supplyNow());

    const flows = await call(root, '/flows');
    const admin = flows.body.sources.find((f: { reason: string }) => f.reason === 'admin_adjustment');
    expect(admin).toMatchObject({ credits_in: 77_777, credits_out: 1_234, entries: 2 });
    expect(flows.body.sinks.find((f: { reason: string }) => f.reason === 'admin_adjustment').credits_out).toBe(1_234);

    const top = await call(root, '/top-earners?limit=5');
    expect(top.body.earners[0]).toMatchObject({ user_id: rich.userId, name: rich.username });
    expect(top.body.earners[0].credits).toBe(
      Number((await t.region.selectFrom('players').select('credits').where('user_id', '=', rich.userId).executeTakeFirstOrThrow()).credits),
    );

    // A window before any of it is empty.
    const past = await call(root, '/flows?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z');
    expect([past.body.sources, past.body.sinks]).toEqual([[], []]);
    const bad = await call(root, '/money-supply?bucket=week');
    expect([bad.status, bad.body.code]).toEqual([422, 'validation_failed']);
  });

  it('shows each good’s price band across ports and the NPC activity', async () => {
    const prices = await call(root, '/prices');
    expect(prices.status).toBe(200);
    const ore = prices.body.goods.find((g: { good: string; port_side: string }) => g.good === 'ore' && g.port_side === 'sell');
    expect(ore.ports).toBeGreaterThan(0);
    expect(ore.min).toBeLessThanOrEqual(ore.mean);
    expect(ore.mean).toBeLessThanOrEqual(ore.max);
    const ports = await t.region
      .selectFrom('port_goods')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('good', '=', 'ore')
      .where('mode', '=', 'sell')
      .where('fixed_price', '=', false)
      .executeTakeFirstOrThrow();
    expect(ore.ports).toBe(ports.n);

    const npcs = await call(root, '/npcs');
    expect(npcs.status).toBe(200);
    expect(npcs.body).toMatchObject({ traders: expect.any(Number), pirates_alive: expect.any(Number), pirates_destroyed: 0 });
    expect(npcs.body.runs).toEqual([]);
  });

  it('keeps an hourly price history (the economy-snapshots job, once per window) and serves it with its band', async () => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const w1 = new Date(hour - 2 * 3_600_000);
    const w2 = new Date(hour - 3_600_000);
    await runWindow(t, economySnapshotsJob, w1);
    await runWindow(t, economySnapshotsJob, w2);
    const count = async () => (await t.region.selectFrom('price_snapshots').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    const stored = await count();
    expect(stored).toBeGreaterThanOrEqual(2 * 3);
    // A window already snapshotted is left alone.
    await reopenWindow(t.region, 'economy-snapshots', w2);
    await runWindow(t, economySnapshotsJob, w2);
    expect(await count()).toBe(stored);
    const rerun = await t.region
      .selectFrom('job_runs')
      .select('stats')
      .where('job', '=', 'economy-snapshots')
      .where('window_start', '=', w2)
      .executeTakeFirstOrThrow();
    expect(rerun.stats).toMatchObject({ already_snapshotted: true });

    const res = await call(root, `/prices/history?good=ore&side=sell&from=${new Date(hour - 3 * 3_600_000).toISOString()}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.points.map((p: { at: string }) => p.at)).toEqual([w1.toISOString(), w2.toISOString()]);
    const now = (await call(root, '/prices')).body.goods.find((g: { good: string; port_side: string }) => g.good === 'ore' && g.port_side === 'sell');
    for (const point of res.body.points) {
      expect(point.ports).toBe(now.ports);
      expect(point.min).toBeLessThanOrEqual(point.mean);
      expect(point.mean).toBeLessThanOrEqual(point.max);
    }
  });
});
