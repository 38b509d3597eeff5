import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HULLS } from '../game/catalog/hulls.js';
import { STARDOCK } from '../game/catalog/stardock.js';
import { resolveEngagement } from '../game/combat.js';
import { holdsPrice } from '../game/shipyard.js';
import { agePilot, frontierPair, ledgerMismatches, newPilot, placePilot, setCredits, setShip, setTurns, stardockSector } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
let stardock: number;
let frontier: { sector: number; neighbour: number };
beforeAll(async () => {
  t = await createTestApp();
  stardock = await stardockSector(t);
  frontier = await frontierPair(t);
});
afterAll(async () => {
  await t.close();
});

type Pilot = Awaited<ReturnType<typeof newPilot>>;
const api = (p: Pilot, method: string, path: string, body?: unknown) => t.call(method, path, { token: p.token, ...(body !== undefined ? { body } : {}) });
const state = async (p: Pilot) => (await api(p, 'GET', '/api/v1/player/state')).body;

/** Two pilots in a frontier sector, old enough to be fair game. */
async function duel(attackerFighters = 300, targetFighters = 30) {
  const a = await newPilot(t);
  const b = await newPilot(t);
  for (const p of [a, b]) {
    await placePilot(t, p.userId, frontier.sector);
    await agePilot(t, p.userId, 1_000);
  }
  await setShip(t, a.userId, { fighters: attackerFighters });
  await setShip(t, b.userId, { fighters: targetFighters });
  return { a, b };
}

describe('the Stardock', () => {
  it('answers 409 no_stardock anywhere else, and new pilots start with their hull’s shields', async () => {
    const p = await newPilot(t);
    expect((await state(p)).ship).toMatchObject({ hull: 'light_freighter', shields: HULLS.light_freighter.startingShields, escape_pod: false });
    for (const [method, path, body] of [
      ['GET', '/api/v1/shipyard', undefined],
      ['POST', '/api/v1/shipyard/hull', { hull: 'scout' }],
      ['POST', '/api/v1/shipyard/equipment', { item: 'fighters', quantity: 1 }],
    ] as const) {
      const res = await api(p, method, path, body);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('no_stardock');
    }
  });

  it('lists hulls with the trade-in and equipment with the most you can buy; holds get dearer', async () => {
    const p = await newPilot(t);
    await placePilot(t, p.userId, stardock);
    const yard = await api(p, 'GET', '/api/v1/shipyard');
    expect(yard.status).toBe(200);
    expect(yard.body.trade_in_value).toBe(20_000);
    const hauler = yard.body.hulls.find((h: { id: string }) => h.id === 'cargo_hauler');
    expect(hauler).toMatchObject({ price: 120_000, trade_in: 20_000, net_cost: 100_000, blocked_by: 'insufficient_credits' });
    expect(yard.body.hulls.find((h: { id: string }) => h.id === 'light_freighter').blocked_by).toBe('same_hull');
    const holds = yard.body.equipment.find((e: { item: string }) => e.item === 'holds');
    expect(holds).toMatchObject({ unit_price: STARDOCK.holdBasePrice, owned: 50, capacity: 100 });
    // 20,000 credits: the largest n with holdsPrice(0, n) ≤ 20,000.
    let n = 0;
    while (holdsPrice(0, n + 1) <= 20_000) n++;
    expect(holds.max_quantity).toBe(n);
    expect(yard.body.equipment.find((e: { item: string }) => e.item === 'fighters')).toMatchObject({
      unit_price: 100,
      owned: 30,
      capacity: 300,
      max_quantity: 200,
    });

    const bought = await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'holds', quantity: 10 });
    expect(bought.status).toBe(200);
    expect(bought.body.purchase).toMatchObject({ item: 'holds', quantity: 10, total: holdsPrice(0, 10) });
    expect(bought.body.ship.holds).toBe(60);
    expect(bought.body.player.credits).toBe(20_000 - holdsPrice(0, 10));
    const after = await api(p, 'GET', '/api/v1/shipyard');
    expect(after.body.equipment.find((e: { item: string }) => e.item === 'holds').unit_price).toBe(STARDOCK.holdBasePrice + 10 * STARDOCK.holdPriceStep);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('caps fighters and shields by the hull and refuses what credits do not cover', async () => {
    const p = await newPilot(t);
    await placePilot(t, p.userId, stardock);
    await setCredits(t, p.userId, 1_000_000);
    const over = await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'fighters', quantity: 271 });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('exceeds_capacity');
    const max = await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'fighters', quantity: 270 });
    expect(max.status).toBe(200);
    expect(max.body.ship.fighters).toBe(300);
    expect((await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'shields', quantity: 151 })).body.code).toBe('exceeds_capacity');
    expect((await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'genesis_torpedoes', quantity: 1 })).status).toBe(200);
    expect((await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'mines', quantity: 10 })).body.ship.mines).toBe(10);
    await setCredits(t, p.userId, 99);
    const poor = await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'shields', quantity: 2 });
    expect(poor.status).toBe(409);
    expect(poor.body.code).toBe('insufficient_credits');
    expect((await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'shields', quantity: 0 })).status).toBe(422);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('buys a hull with a 50% trade-in, carrying cargo and hardware as far as it holds them', async () => {
    const p = await newPilot(t);
    await placePilot(t, p.userId, stardock);
    await setShip(t, p.userId, { ore: 40, fighters: 300, shields: 200 });

    const small = await api(p, 'POST', '/api/v1/shipyard/hull', { hull: 'scout' });
    expect(small.status).toBe(409);
    expect(small.body.code).toBe('cargo_would_not_fit');
    expect((await api(p, 'POST', '/api/v1/shipyard/hull', { hull: 'light_freighter' })).body.code).toBe('same_hull');
    const poor = await api(p, 'POST', '/api/v1/shipyard/hull', { hull: 'cargo_hauler' });
    expect(poor.status).toBe(409);
    expect(poor.body.code).toBe('insufficient_credits');
    expect((await api(p, 'POST', '/api/v1/shipyard/hull', { hull: 'escape_pod' })).status).toBe(422);

    await setCredits(t, p.userId, 150_000);
    const bought = await api(p, 'POST', '/api/v1/shipyard/hull', { hull: 'cargo_hauler' });
    expect(bought.status).toBe(200);
    expect(bought.body.purchase).toMatchObject({ hull: 'cargo_hauler', price: 120_000, trade_in: 20_000, net_cost: 100_000, credits_after: 50_000 });
    expect(bought.body.ship).toMatchObject({ hull: 'cargo_hauler', holds: 150, fighters: 300, shields: 200, cargo: { ore: 40 } });
    expect((await state(p)).player.credits).toBe(50_000);

    // Into a smaller hull: fighters beyond its cap are dropped; the trade-in exceeds the price.
    await setShip(t, p.userId, { ore: 0 });
    const scout = await api(p, 'POST', '/api/v1/shipyard/hull', { hull: 'scout' });
    expect(scout.status).toBe(200);
    expect(scout.body.purchase).toMatchObject({ trade_in: 60_000, net_cost: -45_000, fighters_dropped: 200 });
    expect(scout.body.ship).toMatchObject({ hull: 'scout', holds: 20, fighters: 100, shields: 100 });
    expect(scout.body.player.credits).toBe(95_000);
    const ledger = await t.region.selectFrom('credit_ledger').select(['delta', 'reason']).where('user_id', '=', p.userId).orderBy('id').execute();
    expect(ledger.slice(-4).map((r) => [r.reason, Number(r.delta)])).toEqual([
      ['stardock_trade_in', 20_000],
      ['stardock_hull', -120_000],
      ['stardock_trade_in', 60_000],
      ['stardock_hull', -15_000],
    ]);
    expect(await ledgerMismatches(t)).toEqual([]);
  });
});

describe('scan', () => {
  it('shows ships with fighters in bands, wrecks and defenses, for 1 turn; refuses far sectors', async () => {
    const { a, b } = await duel(300, 30);
    const here = await api(a, 'POST', '/api/v1/player/scan', { sector: frontier.sector });
    expect(here.status).toBe(200);
    const seen = here.body.scan.ships.find((s: { pilot: string }) => s.pilot === b.username);
    expect(seen).toMatchObject({ hull: 'light_freighter', escape_pod: false, protected: false, fighters: { min: 10, max: 49 }, shields: { min: 50, max: 99 } });
    expect(here.body.scan.ships.some((s: { pilot: string }) => s.pilot === a.username)).toBe(false);
    expect(here.body.scan.defenses).toEqual({ fighters: 0, mines: 0, owners: [], stacks: [] });
    const turnsBefore = here.body.player.turns;

    await placePilot(t, b.userId, frontier.neighbour);
    const next = await api(a, 'POST', '/api/v1/player/scan', { sector: frontier.neighbour });
    expect(next.status).toBe(200);
    expect(next.body.scan.ships.map((s: { pilot: string }) => s.pilot)).toContain(b.username);
    expect(next.body.player.turns).toBe(turnsBefore - 1);

    const far = await api(a, 'POST', '/api/v1/player/scan', { sector: 1 });
    expect(far.status).toBe(422);
    expect(far.body.code).toBe('not_adjacent');
    await setTurns(t, a.userId, 0);
    const tired = await api(a, 'POST', '/api/v1/player/scan', { sector: frontier.sector });
    expect(tired.status).toBe(409);
    expect(tired.body.code).toBe('insufficient_turns');
  });

  it('marks new pilots as protected', async () => {
    const a = await newPilot(t);
    const fresh = await newPilot(t);
    for (const p of [a, fresh]) await placePilot(t, p.userId, frontier.sector);
    const res = await api(a, 'POST', '/api/v1/player/scan', { sector: frontier.sector });
    expect(res.body.scan.ships.find((s: { pilot: string }) => s.pilot === fresh.username).protected).toBe(true);
  });
});

describe('ship combat', () => {
  it('refuses every target that may not be attacked, and changes nothing', async () => {
    const { a, b } = await duel(300, 30);
    const attack = (p: Pilot, target: string, fighters = 10) => api(p, 'POST', '/api/v1/combat/attack', { target, fighters });
    const code = async (res: Promise<{ status: number; body: { code: string } }>) => {
      const r = await res;
      return [r.status, r.body.code];
    };
    expect(await code(attack(a, a.username))).toEqual([422, 'invalid_target']);
    expect(await code(attack(a, 'nobody_by_this_name'))).toEqual([409, 'target_not_here']);
    await placePilot(t, b.userId, frontier.neighbour);
    expect(await code(attack(a, b.username))).toEqual([409, 'target_not_here']);
    for (const p of [a, b]) await placePilot(t, p.userId, 1);
    expect(await code(attack(a, b.username))).toEqual([409, 'fedspace']);
    for (const p of [a, b]) await placePilot(t, p.userId, frontier.sector);
    expect(await code(attack(a, b.username, 301))).toEqual([409, 'insufficient_fighters']);
    await setShip(t, b.userId, { hull: 'escape_pod', holds: 5, fighters: 0, shields: 50 });
    expect(await code(attack(a, b.username))).toEqual([409, 'target_indestructible']);
    const fresh = await newPilot(t);
    await placePilot(t, fresh.userId, frontier.sector);
    expect(await code(attack(a, fresh.username))).toEqual([409, 'target_protected']);
    await setShip(t, b.userId, { hull: 'light_freighter', holds: 50, fighters: 30, shields: 50 });
    await setTurns(t, a.userId, 2);
    expect(await code(attack(a, b.username))).toEqual([409, 'insufficient_turns']);
    expect(await t.region.selectFrom('combat_logs').select('id').where('attacker_user_id', '=', a.userId).execute()).toEqual([]);
    expect((await state(b)).ship.fighters).toBe(30);
  });

  it('refuses to attack a teammate, and allows it once they are no longer in one team', async () => {
    const { a, b } = await duel(300, 30);
    const team = await api(a, 'POST', '/api/v1/teams', { name: `Wing ${a.username}`, tag: a.username.slice(-4).toUpperCase() });
    expect(team.status, team.text).toBe(201);
    const invited = await api(a, 'POST', `/api/v1/teams/${team.body.id}/invitations`, { pilot: b.username });
    expect((await api(b, 'POST', `/api/v1/invitations/${invited.body.invitation_id}/accept`)).status).toBe(200);
    const refused = await api(a, 'POST', '/api/v1/combat/attack', { target: b.username, fighters: 10 });
    expect([refused.status, refused.body.code]).toEqual([409, 'teammate']);
    expect((await state(b)).ship.fighters).toBe(30);
    expect(await t.region.selectFrom('combat_logs').select('id').where('attacker_user_id', '=', a.userId).execute()).toEqual([]);
    expect((await api(b, 'POST', `/api/v1/teams/${team.body.id}/leave`)).status).toBe(200);
    expect((await api(a, 'POST', '/api/v1/combat/attack', { target: b.username, fighters: 10 })).status).toBe(200);
  });

  it('destroys the weaker ship: pod to the nearest FedSpace, wreck, log for both, salvage', async () => {
    const { a, b } = await duel(300, 30);
    await setShip(t, b.userId, { ore: 20, equipment: 5 });
    const creditsBefore = (await state(b)).player.credits;

    const res = await api(a, 'POST', '/api/v1/combat/attack', { target: b.username, fighters: 300 });
    expect(res.status).toBe(200);
    const { attack } = res.body;
    expect(attack).toMatchObject({ target: b.username, committed: 300, result: 'destroyed', destroyed: true });
    expect(attack.rounds.length).toBeGreaterThan(0);
    expect(attack.experience_gained).toBeGreaterThan(0);
    expect(attack.alignment_change).toBeLessThan(0);
    expect(res.body.ship.fighters).toBe(300 - attack.fighters_lost);
    // The engagement replays from its seed.
    const replay = resolveEngagement({ fighters: 300, shields: HULLS.light_freighter.startingShields }, { fighters: 30, shields: 50 }, attack.seed);
    expect(replay.rounds).toEqual(attack.rounds);

    const victim = await state(b);
    expect(victim.ship).toMatchObject({ hull: 'escape_pod', escape_pod: true, fighters: 0, holds: 5, cargo: { ore: 0, equipment: 0 } });
    expect(victim.player.credits).toBe(creditsBefore);
    const pod = await t.region.selectFrom('sectors').select(['id', 'fedspace']).where('id', '=', victim.player.sector_id).executeTakeFirstOrThrow();
    expect(pod.fedspace).toBe(true);
    expect(victim.player.sector_id).toBe(await nearestFedspaceByBfs(frontier.sector));
    expect((await api(b, 'GET', `/api/v1/sectors/${victim.player.sector_id}`)).status).toBe(200);

    // Both sides read the log; nobody else can.
    const mine = await api(a, 'GET', '/api/v1/combat/logs');
    expect(mine.body.logs[0]).toMatchObject({ id: attack.log_id, your_side: 'attacker', result: 'destroyed', seed: attack.seed });
    const theirs = await api(b, 'GET', `/api/v1/combat/logs/${attack.log_id}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ your_side: 'defender', attacker: a.username, defender: b.username, rounds: attack.rounds });
    const stranger = await newPilot(t);
    expect((await api(stranger, 'GET', `/api/v1/combat/logs/${attack.log_id}`)).status).toBe(404);

    // The wreck is in the sector view; salvage takes from it.
    const sector = await api(a, 'GET', `/api/v1/sectors/${frontier.sector}`);
    const wreck = sector.body.wrecks.find((w: { id: string }) => w.id === attack.wreck_id);
    expect(wreck).toMatchObject({ victim: b.username, cargo: { ore: 20, equipment: 5 } });
    const salvage = (body: unknown) => api(a, 'POST', '/api/v1/combat/salvage', body);
    expect((await salvage({ wreck: attack.wreck_id, good: 'ore', quantity: 21 })).body.code).toBe('exceeds_wreck');
    expect((await salvage({ wreck: '00000000-0000-4000-8000-000000000000', good: 'ore', quantity: 1 })).body.code).toBe('wreck_not_found');
    await setShip(t, a.userId, { organics: 45 });
    expect((await salvage({ wreck: attack.wreck_id, good: 'ore', quantity: 6 })).body.code).toBe('insufficient_holds');
    await setShip(t, a.userId, { organics: 0 });
    const took = await salvage({ wreck: attack.wreck_id, good: 'ore', quantity: 20 });
    expect(took.status).toBe(200);
    expect(took.body.salvage.wreck_left).toMatchObject({ ore: 0, equipment: 5 });
    expect(took.body.ship.cargo.ore).toBe(20);
    await placePilot(t, a.userId, frontier.neighbour);
    expect((await salvage({ wreck: attack.wreck_id, good: 'equipment', quantity: 1 })).body.code).toBe('wreck_not_found');
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('a weak attack is repelled: the committed fighters are lost, the target survives', async () => {
    const { a, b } = await duel(100, 300);
    const res = await api(a, 'POST', '/api/v1/combat/attack', { target: b.username, fighters: 20 });
    expect(res.status).toBe(200);
    expect(res.body.attack).toMatchObject({ result: 'repelled', destroyed: false, fighters_lost: 20, wreck_id: null });
    expect(res.body.ship.fighters).toBe(80);
    const target = await state(b);
    expect(target.ship.hull).toBe('light_freighter');
    expect(target.ship.fighters).toBe(300 - res.body.attack.target_fighters_lost);
    expect(target.player.sector_id).toBe(frontier.sector);
  });

  it('an attack retried with its Idempotency-Key replays the answer and fights once', async () => {
    const { a, b } = await duel(300, 30);
    const send = () =>
      t.call('POST', '/api/v1/combat/attack', {
        token: a.token,
        headers: { 'idempotency-key': `attack-${a.userId}` },
        body: { target: b.username, fighters: 300 },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const logs = await t.region.selectFrom('combat_logs').select('id').where('attacker_user_id', '=', a.userId).execute();
    expect(logs).toHaveLength(1);
  });

  it('an evil target gains the attacker alignment', async () => {
    const { a, b } = await duel(300, 30);
    await t.region.updateTable('players').set({ alignment: -500 }).where('user_id', '=', b.userId).execute();
    const res = await api(a, 'POST', '/api/v1/combat/attack', { target: b.username, fighters: 300 });
    expect(res.body.attack.alignment_change).toBeGreaterThan(0);
    expect(res.body.player.alignment).toBe(res.body.attack.alignment_change);
  });
});

async function nearestFedspaceByBfs(from: number): Promise<number> {
  const warps = await t.region.selectFrom('warps').select(['from_sector_id', 'to_sector_id']).execute();
  const fed = new Set((await t.region.selectFrom('sectors').select('id').where('fedspace', '=', true).execute()).map((r) => r.id));
  const next = new Map<number, number[]>();
  for (const w of warps) next.set(w.from_sector_id, [...(next.get(w.from_sector_id) ?? []), w.to_sector_id]);
  let frontierIds = [from];
  const seen = new Set([from]);
  while (frontierIds.length > 0) {
    const hits = frontierIds.filter((id) => fed.has(id)).sort((x, y) => x - y);
    if (hits.length > 0) return hits[0]!;
    const after: number[] = [];
    for (const id of frontierIds) {
      for (const n of next.get(id) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        after.push(n);
      }
    }
    frontierIds = after;
  }
  throw new Error(`no FedSpace sector reachable from ${from}`);
}
