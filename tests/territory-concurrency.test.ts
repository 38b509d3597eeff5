import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frontierPair, ledgerMismatches, newPilot, placePilot, setCredits, setShip } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
let pair: { sector: number; neighbour: number };
beforeAll(async () => {
  t = await createTestApp({ config: { DATABASE_POOL_SIZE: '20' } });
  pair = await frontierPair(t);
});
afterAll(async () => {
  await t.close();
});

describe('50 pilots entering one defended sector at once', () => {
  it('conserves mines and fighters (used ≤ deployed), puts every toll in the ledger, and never deadlocks', async () => {
    const owner = await newPilot(t);
    await placePilot(t, owner.userId, pair.neighbour);
    await setShip(t, owner.userId, { fighters: 300 });
    const shipId = (await t.region.selectFrom('players').select('ship_id').where('user_id', '=', owner.userId).executeTakeFirstOrThrow()).ship_id;
    await t.region.updateTable('ships').set({ mines: 60 }).where('id', '=', shipId).execute();
    const toll = 25;
    expect((await t.call('POST', '/api/v1/defenses/fighters', { token: owner.token, body: { quantity: 300, mode: 'toll', toll } })).status).toBe(200);
    expect((await t.call('POST', '/api/v1/defenses/mines', { token: owner.token, body: { quantity: 60 } })).status).toBe(200);
    await placePilot(t, owner.userId, 1);
    const ownerBefore = (await t.call('GET', '/api/v1/player/state', { token: owner.token })).body.player.credits as number;

    const pilots = [];
    for (let i = 0; i < 50; i++) {
      const p = await newPilot(t);
      await placePilot(t, p.userId, pair.sector);
      await setShip(t, p.userId, { fighters: 20, shields: 20 });
      // Every third pilot cannot afford the toll: the fighters attack it instead.
      if (i % 3 === 0) await setCredits(t, p.userId, 10);
      pilots.push(p);
    }
    const results = await Promise.all(
      pilots.map((p, i) => t.call('POST', '/api/v1/player/move', { token: p.token, body: { to: pair.neighbour, toll: i % 5 === 4 ? 'refuse' : 'pay' } })),
    );
    for (const r of results) expect(r.status, r.text).toBe(200);

    const stacks = await t.region.selectFrom('sector_defenses').selectAll().where('owner_user_id', '=', owner.userId).execute();
    const left = (kind: string) => stacks.find((s) => s.kind === kind)!.quantity;
    const minesUsed = results.reduce((sum, r) => sum + r.body.defenses.mines.reduce((m: number, h: { mines: number }) => m + h.mines, 0), 0);
    const fightersUsed = results.reduce((sum, r) => sum + (r.body.defenses.fight?.defense_fighters_lost ?? 0), 0);
    expect(left('mines')).toBeGreaterThanOrEqual(0);
    expect(left('fighters')).toBeGreaterThanOrEqual(0);
    expect(minesUsed + left('mines')).toBe(60);
    expect(fightersUsed + left('fighters')).toBe(300);

    const paid = results.filter((r) => r.body.defenses.toll?.paid).length;
    expect(paid).toBeGreaterThan(0);
    const ledger = await t.region
      .selectFrom('credit_ledger')
      .select(['delta'])
      .where('user_id', '=', owner.userId)
      .where('reason', '=', 'toll_received')
      .execute();
    expect(ledger).toHaveLength(paid);
    const ownerAfter = (await t.call('GET', '/api/v1/player/state', { token: owner.token })).body.player.credits as number;
    expect(ownerAfter - ownerBefore).toBe(paid * toll);
    expect(await ledgerMismatches(t)).toEqual([]);
  }, 120_000);
});
