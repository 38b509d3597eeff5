import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIRATE, POLICE } from '../game/catalog/npcs.js';
import { agePilot, ledgerMismatches, newPilot, placePilot, setCredits, setShip } from '../tests/game-helpers.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { nextGameHour, runWindow, worldState } from '../tests/job-helpers.js';
import { npcPatrolsJob } from './npc-patrols.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { NPC_PIRATES_PER_REGION: '1', PIRATE_ATTACK_RATE: '1', NEW_PILOT_PROTECTION_HOURS: '0', NPC_TRADERS_PER_REGION: '0' } });
});
afterAll(async () => {
  await t.close();
});

const HOUR = 3_600_000;
const W = (n: number) => new Date(nextGameHour(1) + n * HOUR);
const pirates = () =>
  t.region
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .select(['players.user_id', 'players.name', 'players.sector_id', 'players.alignment', 'ships.hull', 'ships.fighters'])
    .where('players.npc', '=', true)
    .where('players.name', 'like', 'Pirate %')
    .orderBy('players.user_id')
    .execute();

describe('npc-patrols: pirates and police', () => {
  it('creates pirates, raids a weak trader, flees a stronger ship, and a re-run of a window changes nothing', async () => {
    const first = await runWindow(t, npcPatrolsJob, W(1));
    expect(first.status, JSON.stringify(first)).toBe('succeeded');
    const [pirate] = await pirates();
    // Outlaws from the start, so whoever destroys one does a good deed.
    expect(pirate).toMatchObject({ hull: PIRATE.hullId, fighters: PIRATE.fighters, alignment: PIRATE.alignment });
    const frontier = await t.region.selectFrom('sectors').select(['fedspace', 'zone']).where('id', '=', pirate!.sector_id).executeTakeFirstOrThrow();
    expect(frontier.fedspace).toBe(false);

    // A weak trader (cargo aboard, few fighters) in the pirate's sector is raided.
    const trader = await newPilot(t);
    await placePilot(t, trader.userId, pirate!.sector_id);
    await agePilot(t, trader.userId, 1_000);
    await setShip(t, trader.userId, { fighters: 5, shields: 0, ore: 20 });
    expect((await runWindow(t, npcPatrolsJob, W(2))).status).toBe('succeeded');
    const logs = await t.region
      .selectFrom('combat_logs')
      .select(['attacker_user_id', 'defender_user_id', 'result'])
      .where('defender_user_id', '=', trader.userId)
      .execute();
    expect(logs).toEqual([expect.objectContaining({ attacker_user_id: pirate!.user_id })]);

    // A stronger ship makes it flee; a re-run of that window changes nothing.
    const [now] = await pirates();
    const strong = await newPilot(t);
    await placePilot(t, strong.userId, now!.sector_id);
    await setShip(t, strong.userId, { fighters: 2_000, ore: 10 });
    expect((await runWindow(t, npcPatrolsJob, W(3))).status).toBe('succeeded');
    const [fled] = await pirates();
    expect(fled!.sector_id).not.toBe(now!.sector_id);
    expect(await t.region.selectFrom('combat_logs').select('id').where('defender_user_id', '=', strong.userId).execute()).toEqual([]);
    const before = await worldState(t.region);
    await sql`delete from job_runs where job = 'npc-patrols' and window_start = ${W(3).toISOString()}::timestamptz`.execute(t.region);
    expect((await runWindow(t, npcPatrolsJob, W(3))).status).toBe('succeeded');
    expect(await worldState(t.region)).toEqual(before);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('pays the bounty on a destroyed pirate once, and respawns it after the delay', async () => {
    const [pirate] = await pirates();
    const hunter = await newPilot(t);
    await placePilot(t, hunter.userId, pirate!.sector_id);
    await setShip(t, hunter.userId, { fighters: 300 });
    await t.region
      .updateTable('ships')
      .set({ fighters: 0, shields: 0 })
      .where('id', '=', (await t.region.selectFrom('players').select('ship_id').where('user_id', '=', pirate!.user_id).executeTakeFirstOrThrow()).ship_id)
      .execute();
    const attack = await t.call('POST', '/api/v1/combat/attack', { token: hunter.token, body: { target: pirate!.name, fighters: 50 } });
    expect(attack.status, attack.text).toBe(200);
    expect(attack.body.attack.destroyed).toBe(true);
    expect(attack.body.attack.alignment_change).toBeGreaterThan(0);
    const credits = async () => (await t.call('GET', '/api/v1/player/state', { token: hunter.token })).body.player.credits as number;
    const before = await credits();
    expect((await runWindow(t, npcPatrolsJob, W(4))).status).toBe('succeeded');
    expect(await credits()).toBe(before + PIRATE.bounty);
    expect((await pirates())[0]!.hull).toBe('escape_pod');
    expect((await runWindow(t, npcPatrolsJob, W(5))).status).toBe('succeeded');
    expect(await credits()).toBe(before + PIRATE.bounty);
    // The delay is PIRATE.respawnGameMs (6 game hours) after the kill.
    expect((await runWindow(t, npcPatrolsJob, W(8))).status).toBe('succeeded');
    expect((await pirates())[0]).toMatchObject({ hull: PIRATE.hullId, fighters: PIRATE.fighters });
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('police fine wanted pilots in FedSpace and never touch good ones', async () => {
    const wanted = await newPilot(t);
    const good = await newPilot(t);
    const mild = await newPilot(t);
    for (const [p, alignment] of [
      [wanted, -100],
      [good, 50],
      [mild, POLICE.alignmentBelow + 1],
    ] as const) {
      await placePilot(t, p.userId, 1);
      await setCredits(t, p.userId, 20_000);
      await t.region.updateTable('players').set({ alignment }).where('user_id', '=', p.userId).execute();
    }
    expect((await runWindow(t, npcPatrolsJob, W(9))).status).toBe('succeeded');
    const credits = async (p: typeof wanted) => (await t.call('GET', '/api/v1/player/state', { token: p.token })).body.player.credits as number;
    expect(await credits(wanted)).toBe(20_000 - 100 * POLICE.finePerPoint);
    expect(await credits(good)).toBe(20_000);
    expect(await credits(mild)).toBe(20_000);
    const fines = await t.region
      .selectFrom('credit_ledger')
      .select('delta')
      .where('user_id', '=', wanted.userId)
      .where('reason', '=', 'federation_fine')
      .execute();
    expect(fines).toHaveLength(1);
    expect((await t.call('GET', '/api/v1/player/state', { token: wanted.token })).body.player.alignment).toBe(0);
  });
});
