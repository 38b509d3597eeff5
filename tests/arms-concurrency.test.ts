import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agePilot, frontierPair, ledgerMismatches, newPilot, placePilot, setShip } from './game-helpers.js';
import { createTestApp, type TestApp, type TestResponse } from './harness.js';

// Protection off (NEW_PILOT_PROTECTION_HOURS=0): at this clock no pilot would ever age out of it.
let t: TestApp;
let sector: number;
beforeAll(async () => {
  t = await createTestApp({ config: { GAME_TIME_SCALE: '0.000001', DATABASE_POOL_SIZE: '20', NEW_PILOT_PROTECTION_HOURS: '0' } });
  sector = (await frontierPair(t)).sector;
});
afterAll(async () => {
  expect(await ledgerMismatches(t)).toEqual([]);
  await t.close();
});

type Pilot = Awaited<ReturnType<typeof newPilot>>;

async function armedPilot(fighters: number, shields: number): Promise<Pilot> {
  const p = await newPilot(t);
  await placePilot(t, p.userId, sector);
  await agePilot(t, p.userId, 1_000);
  await setShip(t, p.userId, { fighters, shields, ore: 10 });
  return p;
}

async function fightersOf(pilots: Pilot[]): Promise<number> {
  const rows = await t.region
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .select('ships.fighters')
    .where(
      'players.user_id',
      'in',
      pilots.map((p) => p.userId),
    )
    .execute();
  return rows.reduce((sum, r) => sum + r.fighters, 0);
}

/** Every fighter that left a ship is in some answered engagement's losses. */
const lossesOf = (results: TestResponse[]) =>
  results.filter((r) => r.status === 200).reduce((sum, r) => sum + r.body.attack.fighters_lost + r.body.attack.target_fighters_lost, 0);

const attack = (p: Pilot, target: Pilot, fighters: number) =>
  t.call('POST', '/api/v1/combat/attack', { token: p.token, body: { target: target.username, fighters } });

describe('combat races', () => {
  it('50 concurrent attacks on one target: one destruction, fighters conserved, one log per engagement', async () => {
    const target = await armedPilot(150, 100);
    const attackers: Pilot[] = [];
    for (let i = 0; i < 50; i++) attackers.push(await armedPilot(60, 20));
    const everyone = [target, ...attackers];
    const before = await fightersOf(everyone);

    const results = await Promise.all(attackers.map((a) => attack(a, target, 60)));

    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const fought = results.filter((r) => r.status === 200);
    const destroyed = fought.filter((r) => r.body.attack.destroyed);
    expect(destroyed).toHaveLength(1);
    // After the destruction the pod is in FedSpace: every later attack finds no target here.
    const refused = results.filter((r) => r.status === 409).map((r) => r.body.code);
    expect(new Set(refused)).toEqual(new Set(refused.length > 0 ? ['target_not_here'] : []));
    expect(before - (await fightersOf(everyone))).toBe(lossesOf(results));

    const logs = await t.region.selectFrom('combat_logs').select('id').where('defender_user_id', '=', target.userId).execute();
    expect(logs).toHaveLength(fought.length);
    const wrecks = await t.region.selectFrom('wrecks').select(['cargo_ore']).where('victim_name', '=', target.username).execute();
    expect(wrecks).toEqual([{ cargo_ore: 10 }]);
    const state = (await t.call('GET', '/api/v1/player/state', { token: target.token })).body;
    expect(state.ship.hull).toBe('escape_pod');
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('two pilots attacking each other at the same moment, ten pairs at once: no deadlock, exactly one destruction per pair', async () => {
    const pairs: Array<[Pilot, Pilot]> = [];
    for (let i = 0; i < 10; i++) pairs.push([await armedPilot(300, 50), await armedPilot(30, 50)]);
    const everyone = pairs.flat();
    const before = await fightersOf(everyone);

    const results = await Promise.all(pairs.map(([strong, weak]) => Promise.all([attack(strong, weak, 300), attack(weak, strong, 30)])));

    for (const pair of results) {
      expect(pair.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(pair.filter((r) => r.status === 200 && r.body.attack.destroyed)).toHaveLength(1);
    }
    expect(before - (await fightersOf(everyone))).toBe(lossesOf(results.flat()));
    for (const [, weak] of pairs) {
      const state = (await t.call('GET', '/api/v1/player/state', { token: weak.token })).body;
      expect(state.ship.hull).toBe('escape_pod');
    }
  });
});
