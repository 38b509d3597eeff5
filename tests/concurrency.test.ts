import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { findTradingPort, freezePortGood, ledgerMismatches, newPilot, placePilot, portStock, setCredits, setTurns } from './game-helpers.js';

// A near-frozen game clock: turns and stock do not drift while the races run.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { GAME_TIME_SCALE: '0.000001', DATABASE_POOL_SIZE: '20' } });
});
afterAll(async () => {
  expect(await ledgerMismatches(t)).toEqual([]);
  await t.close();
});

describe('races on one pilot and one port', () => {
  it('100 concurrent buys with credits for 10: exactly 10 succeed', async () => {
    const p = await newPilot(t);
    // Earth Station (sector 1) sells ore at a fixed 20 credits.
    await setCredits(t, p.userId, 200);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => t.call('POST', '/api/v1/trade/buy', { token: p.token, body: { good: 'ore', quantity: 1 } })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'insufficient_credits')).toBe(true);
    expect(results.filter((r) => r.status === 409)).toHaveLength(90);
    const state = (await t.call('GET', '/api/v1/player/state', { token: p.token })).body;
    expect(state.player.credits).toBe(0);
    expect(state.ship.cargo.ore).toBe(10);
    expect(state.player.turns).toBe(1000 - 10);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('50 pilots hammering one port: goods are conserved and no credits are created', async () => {
    const port = await findTradingPort(t);
    const pilots = [];
    for (let i = 0; i < 50; i++) pilots.push(await newPilot(t));
    for (const p of pilots) {
      await placePilot(t, p.userId, port.sector_id);
      // Something to sell to the port, given before the books are opened.
      await t.db
        .updateTable('ships')
        .set({ [`cargo_${port.buys}`]: 20 })
        .where('owner_user_id', '=', p.userId)
        .execute();
    }
    await freezePortGood(t, port.id, port.sells, 400);
    await freezePortGood(t, port.id, port.buys, 100);
    const ids = pilots.map((p) => p.userId);
    const totals = async () => {
      const row = await t.db
        .selectFrom('players')
        .innerJoin('ships', 'ships.id', 'players.ship_id')
        .select([
          sql<number>`sum(players.credits)::bigint`.as('credits'),
          sql<number>`sum(${sql.ref(`ships.cargo_${port.sells}`)})::bigint`.as('sold_good'),
          sql<number>`sum(${sql.ref(`ships.cargo_${port.buys}`)})::bigint`.as('bought_good'),
        ])
        .where('players.user_id', 'in', ids)
        .executeTakeFirstOrThrow();
      return {
        credits: Number(row.credits),
        sells: Number(row.sold_good) + (await portStock(t, port.id, port.sells)),
        buys: Number(row.bought_good) + (await portStock(t, port.id, port.buys)),
      };
    };
    const before = await totals();

    const requests = pilots.flatMap((p) =>
      [0, 1, 2].flatMap(() => [
        t.call('POST', '/api/v1/trade/buy', { token: p.token, body: { good: port.sells, quantity: 4 } }),
        t.call('POST', '/api/v1/trade/sell', { token: p.token, body: { good: port.buys, quantity: 5 } }),
      ]),
    );
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const succeeded = results.filter((r) => r.status === 200);
    expect(succeeded.length).toBeGreaterThan(0);
    const paid = succeeded.filter((r) => r.body.trade.side === 'buy').reduce((a, r) => a + r.body.trade.total, 0);
    const received = succeeded.filter((r) => r.body.trade.side === 'sell').reduce((a, r) => a + r.body.trade.total, 0);

    const after = await totals();
    expect(after.sells).toBe(before.sells);
    expect(after.buys).toBe(before.buys);
    expect(after.credits).toBe(before.credits - paid + received);
    // The port's demand (capacity - 100) is large, but stock of the sold good is only 400:
    // whatever the interleaving, no more than 400 units left the port.
    expect(await portStock(t, port.id, port.sells)).toBeGreaterThanOrEqual(0);
    expect(await ledgerMismatches(t)).toEqual([]);
  }, 120_000);

  it('turns for 5 hops: of 10 rounds of 50 concurrent moves, exactly 5 moves happen', async () => {
    const p = await newPilot(t);
    const warp = await t.db
      .selectFrom('warps as a')
      .innerJoin('warps as b', (j) => j.onRef('b.from_sector_id', '=', 'a.to_sector_id').onRef('b.to_sector_id', '=', 'a.from_sector_id'))
      .select(['a.from_sector_id as here', 'a.to_sector_id as there'])
      .where('a.from_sector_id', '>', 20)
      .orderBy('a.from_sector_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await placePilot(t, p.userId, warp.here);
    await setTurns(t, p.userId, 10); // a Light Freighter spends 2 a hop
    let target = warp.there;
    const statuses: Record<string, number> = {};
    let moves = 0;
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(Array.from({ length: 50 }, () => t.call('POST', '/api/v1/player/move', { token: p.token, body: { to: target } })));
      for (const r of results) {
        const key = r.status === 200 ? 'ok' : r.body.code;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      const ok = results.filter((r) => r.status === 200).length;
      expect(ok).toBeLessThanOrEqual(1);
      moves += ok;
      if (ok === 1) target = target === warp.there ? warp.here : warp.there;
    }
    expect(moves).toBe(5);
    expect(statuses.ok).toBe(5);
    expect(statuses.insufficient_turns).toBeGreaterThan(0);
    expect(Object.keys(statuses).sort()).toEqual(['already_here', 'insufficient_turns', 'ok']);
    const state = (await t.call('GET', '/api/v1/player/state', { token: p.token })).body;
    expect(state.player.turns).toBe(0);
  }, 60_000);
});
