import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITADEL_LEVELS } from '../game/catalog/planets.js';
import { planetProductionJob } from '../jobs/planet-production.js';
import { ledgerMismatches, newPilot, placePilot, setCredits, setShip, stardockSector } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';
import { runWindow } from './job-helpers.js';

let t: TestApp;
type Pilot = Awaited<ReturnType<typeof newPilot>>;
/** Frontier sectors with no planet yet, each with a two-way neighbour outside FedSpace. */
let free: Array<{ sector: number; neighbour: number }>;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  const rows = await sql<{ sector: number; neighbour: number }>`
    select distinct on (w.from_sector_id) w.from_sector_id as sector, w.to_sector_id as neighbour from warps w
    join sectors a on a.id = w.from_sector_id join sectors b on b.id = w.to_sector_id
    where not a.fedspace and not b.fedspace
      and exists (select 1 from warps back where back.from_sector_id = w.to_sector_id and back.to_sector_id = w.from_sector_id)
      and not exists (select 1 from planets p where p.sector_id = w.from_sector_id)
    order by w.from_sector_id, w.to_sector_id`.execute(t.region);
  const used = new Set<number>();
  free = [];
  for (const row of rows.rows) {
    if (used.has(row.sector) || used.has(row.neighbour)) continue;
    used.add(row.sector);
    used.add(row.neighbour);
    free.push(row);
  }
  if (free.length < 12) throw new Error(`only ${free.length} free frontier sectors`);
});
afterAll(async () => {
  await t.close();
});

let next = 0;
const spot = () => free[next++]!;
const api = (p: Pilot, method: string, path: string, body?: unknown) => t.call(method, path, { token: p.token, ...(body !== undefined ? { body } : {}) });
async function torpedoes(p: Pilot, n: number) {
  await sql`update ships set genesis_torpedoes = ${n} where id = (select ship_id from players where user_id = ${p.userId}::uuid)`.execute(t.region);
}
async function setPlanet(id: number, values: Record<string, unknown>) {
  await t.region.updateTable('planets').set(values).where('id', '=', id).execute();
}
const planetRow = (id: number) => t.region.selectFrom('planets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A pilot with a fresh planet of `type` in a free frontier sector, landed on it. */
async function colony(type = 'earthlike', land = true) {
  const s = spot();
  const owner = await newPilot(t);
  await placePilot(t, owner.userId, s.sector);
  await torpedoes(owner, 1);
  const made = await api(owner, 'POST', '/api/v1/planets/genesis', { name: 'Colony', type });
  expect(made.status, made.text).toBe(201);
  const id = made.body.planet.id as number;
  if (land) expect((await api(owner, 'POST', `/api/v1/planets/${id}/land`)).status).toBe(200);
  return { ...s, owner, id };
}

describe('genesis', () => {
  it('buys a torpedo at the Stardock, refuses FedSpace and an empty tube, creates a planet of a drawn type, at most 3 a sector', async () => {
    const p = await newPilot(t);
    await placePilot(t, p.userId, await stardockSector(t));
    await setCredits(t, p.userId, 200_000);
    const bought = await api(p, 'POST', '/api/v1/shipyard/equipment', { item: 'genesis_torpedoes', quantity: 1 });
    expect(bought.status, bought.text).toBe(200);
    expect(bought.body.ship.genesis_torpedoes).toBe(1);
    const fed = await api(p, 'POST', '/api/v1/planets/genesis', { name: 'Nope' });
    expect(fed.status).toBe(409);
    expect(fed.body.code).toBe('planet_in_fedspace');

    const s = spot();
    await placePilot(t, p.userId, s.sector);
    const made = await api(p, 'POST', '/api/v1/planets/genesis', { name: 'Ceres Prime' });
    expect(made.status, made.text).toBe(201);
    expect(made.body.genesis).toMatchObject({ name: 'Ceres Prime', sector_id: s.sector, torpedoes_left: 0, experience_gained: 20 });
    expect(['earthlike', 'oceanic', 'desert', 'volcanic', 'glacial', 'gaseous']).toContain(made.body.genesis.type);
    expect(made.body.planet).toMatchObject({ name: 'Ceres Prime', yours: true, colonists: 0, citadel_level: 0, landed: false });
    expect(made.body.ship.genesis_torpedoes).toBe(0);
    await torpedoes(p, 2);
    const sector = await api(p, 'GET', `/api/v1/sectors/${s.sector}`);
    expect(sector.body.planets).toEqual([
      expect.objectContaining({ id: made.body.planet.id, name: 'Ceres Prime', yours: true, owner: p.username, citadel_level: 0 }),
    ]);

    const chosen = await api(p, 'POST', '/api/v1/planets/genesis', { name: 'Vulcan', type: 'volcanic' });
    expect(chosen.status).toBe(201);
    expect(chosen.body.genesis.type).toBe('volcanic');
    await sql`insert into planets (sector_id, region_id, name, planet_type) values (${s.sector}, 1, 'Third', 'desert')`.execute(t.region);
    const full = await api(p, 'POST', '/api/v1/planets/genesis', { name: 'Fourth' });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('sector_planets_full');
    expect((await api(p, 'GET', '/api/v1/player/state')).body.ship.genesis_torpedoes).toBe(1);

    await torpedoes(p, 0);
    await placePilot(t, p.userId, spot().sector);
    const empty = await api(p, 'POST', '/api/v1/planets/genesis', { name: 'Empty' });
    expect(empty.status).toBe(409);
    expect(empty.body.code).toBe('no_genesis_torpedo');
    const bad = await api(p, 'POST', '/api/v1/planets/genesis', { name: '', type: 'lava' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
  });
});

describe('reading planets', () => {
  it('shows the owner everything, others in the sector name, owner, type and citadel level, and nobody else anything', async () => {
    const c = await colony('desert', false);
    const visitor = await newPilot(t);
    const stranger = await newPilot(t);
    await placePilot(t, visitor.userId, c.sector);
    const mine = await api(c.owner, 'GET', `/api/v1/planets/${c.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: c.id, type: 'desert', yours: true, colonists: 0, population_cap: CITADEL_LEVELS[0]!.population });
    const seen = await api(visitor, 'GET', `/api/v1/planets/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ id: c.id, name: 'Colony', type: 'desert', sector_id: c.sector, owner: c.owner.username, yours: false, citadel_level: 0 });
    expect((await api(stranger, 'GET', `/api/v1/planets/${c.id}`)).body.code).toBe('planet_not_found');
    expect((await api(c.owner, 'GET', '/api/v1/planets/999999999')).status).toBe(404);
    const list = await api(c.owner, 'GET', '/api/v1/planets');
    expect(list.body.planets.map((p: { id: number }) => p.id)).toEqual([c.id]);
  });
});

describe('landing', () => {
  it('lands and leaves for a turn each, only on your own planet; any warp takes off by itself', async () => {
    const c = await colony('earthlike', false);
    const before = (await api(c.owner, 'GET', '/api/v1/player/state')).body.player.turns;
    const landed = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/land`);
    expect(landed.status, landed.text).toBe(200);
    expect(landed.body.player).toMatchObject({ landed_planet_id: c.id, turns: before - 1 });
    expect(landed.body.planet.landed).toBe(true);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/land`)).body.code).toBe('already_landed');
    const left = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/leave`);
    expect(left.body.player).toMatchObject({ landed_planet_id: null, turns: before - 2 });
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/leave`)).body.code).toBe('not_landed');

    const other = await newPilot(t);
    await placePilot(t, other.userId, c.sector);
    const foreign = await api(other, 'POST', `/api/v1/planets/${c.id}/land`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('not_planet_owner');

    await api(c.owner, 'POST', `/api/v1/planets/${c.id}/land`);
    const moved = await api(c.owner, 'POST', '/api/v1/player/move', { to: c.neighbour });
    expect(moved.status, moved.text).toBe(200);
    const after = await api(c.owner, 'GET', '/api/v1/player/state');
    expect(after.body.player.landed_planet_id).toBeNull();
    const away = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'drop', quantity: 1 });
    expect(away.body.code).toBe('planet_not_found');
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/leave`)).body.code).toBe('planet_not_found');
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/land`)).body.code).toBe('planet_not_found');
    // an idempotent retry of a landing answers the same and spends one turn
    await placePilot(t, c.owner.userId, c.sector);
    const turns = (await api(c.owner, 'GET', '/api/v1/player/state')).body.player.turns;
    const first = await t.call('POST', `/api/v1/planets/${c.id}/land`, { token: c.owner.token, headers: { 'idempotency-key': 'land-once' } });
    const again = await t.call('POST', `/api/v1/planets/${c.id}/land`, { token: c.owner.token, headers: { 'idempotency-key': 'land-once' } });
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await api(c.owner, 'GET', '/api/v1/player/state')).body.player.turns).toBe(turns - 1);
  });
});

describe('colonists, allocation, cargo, fighters', () => {
  it('refuses while not landed, drops and loads colonists up to the population cap and the holds', async () => {
    const c = await colony('earthlike', false);
    await setShip(t, c.owner.userId, { colonists: 40 });
    const notLanded = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'drop', quantity: 10 });
    expect(notLanded.status).toBe(409);
    expect(notLanded.body.code).toBe('not_landed');
    await api(c.owner, 'POST', `/api/v1/planets/${c.id}/land`);
    const dropped = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'drop', quantity: 40 });
    expect(dropped.status, dropped.text).toBe(200);
    expect(dropped.body.planet.colonists).toBe(40);
    expect(dropped.body.ship.cargo.colonists).toBe(0);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'drop', quantity: 1 })).body.code).toBe('insufficient_cargo');
    const loaded = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'load', quantity: 15 });
    expect(loaded.body.planet.colonists).toBe(25);
    expect(loaded.body.ship.cargo.colonists).toBe(15);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'load', quantity: 26 })).body.code).toBe('exceeds_planet_stock');
    await setShip(t, c.owner.userId, { colonists: 10, ore: 40 });
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'load', quantity: 5 })).body.code).toBe('insufficient_holds');
    await setPlanet(c.id, { colonists: CITADEL_LEVELS[0]!.population - 5 });
    const full = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/colonists`, { action: 'drop', quantity: 10 });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('planet_population_full');
  });

  it('sets the allocation (at most 100%), which sets production per day', async () => {
    const c = await colony('volcanic');
    await setPlanet(c.id, { colonists: 1_000 });
    const over = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/allocation`, { fuel_ore: 60, organics: 30, equipment: 20, fighters: 0 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('validation_failed');
    const set = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/allocation`, { fuel_ore: 50, organics: 0, equipment: 30, fighters: 20 });
    expect(set.status, set.text).toBe(200);
    expect(set.body.planet.allocation).toEqual({ fuel_ore: 50, organics: 0, equipment: 30, fighters: 20 });
    // volcanic: ore 250%, equipment 60%, fighters 120%
    expect(set.body.planet.production_per_day).toEqual({ fuel_ore: 1_250, organics: 0, equipment: 90, fighters: 24 });
  });

  it('loads and unloads goods within planet stock, holds and storage; deposits and withdraws fighters', async () => {
    const c = await colony();
    await setShip(t, c.owner.userId, { ore: 30, fighters: 50 });
    const unloaded = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'unload', good: 'ore', quantity: 30 });
    expect(unloaded.status, unloaded.text).toBe(200);
    expect(unloaded.body.planet.stock.ore).toBe(30);
    expect(unloaded.body.ship.cargo.ore).toBe(0);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'unload', good: 'ore', quantity: 1 })).body.code).toBe('insufficient_cargo');
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'load', good: 'ore', quantity: 31 })).body.code).toBe('exceeds_planet_stock');
    const loaded = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'load', good: 'ore', quantity: 10 });
    expect(loaded.body.ship.cargo.ore).toBe(10);
    expect(loaded.body.planet.stock.ore).toBe(20);
    await setPlanet(c.id, { stock_organics: CITADEL_LEVELS[0]!.storage - 2 });
    await setShip(t, c.owner.userId, { organics: 5 });
    const cap = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'unload', good: 'organics', quantity: 5 });
    expect(cap.status).toBe(409);
    expect(cap.body.code).toBe('exceeds_planet_storage');
    await setPlanet(c.id, { stock_equipment: 500 });
    await setShip(t, c.owner.userId, { ore: 0, organics: 0 });
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'load', good: 'equipment', quantity: 51 })).body.code).toBe(
      'insufficient_holds',
    );

    const deposit = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/fighters`, { action: 'deposit', quantity: 40 });
    expect(deposit.body.planet.fighters).toBe(40);
    expect(deposit.body.ship.fighters).toBe(10);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/fighters`, { action: 'deposit', quantity: 11 })).body.code).toBe('insufficient_fighters');
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/fighters`, { action: 'withdraw', quantity: 41 })).body.code).toBe('exceeds_planet_stock');
    await setPlanet(c.id, { fighters: 1_000 });
    const over = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/fighters`, { action: 'withdraw', quantity: 400 });
    expect(over.body.code).toBe('exceeds_capacity');
    const back = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/fighters`, { action: 'withdraw', quantity: 290 });
    expect(back.body.ship.fighters).toBe(300);
    expect(back.body.planet.fighters).toBe(710);
  });
});

describe('citadel', () => {
  it('needs credits and planet goods, builds one level at a time, finishes after its game hours and raises caps and shields', async () => {
    const c = await colony();
    await setCredits(t, c.owner.userId, 25_000);
    const noGoods = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/citadel`);
    expect(noGoods.status).toBe(409);
    expect(noGoods.body.code).toBe('insufficient_planet_goods');
    await setPlanet(c.id, { stock_ore: 150, stock_organics: 100, stock_equipment: 100 });
    await setCredits(t, c.owner.userId, 19_999);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/citadel`)).body.code).toBe('insufficient_credits');
    await setCredits(t, c.owner.userId, 25_000);
    const started = Date.now();
    const built = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/citadel`);
    expect(built.status, built.text).toBe(200);
    expect(built.body.citadel).toMatchObject({ building_level: 1, credits_spent: 20_000, goods_spent: { ore: 100, organics: 100, equipment: 100 } });
    const doneAt = new Date(built.body.citadel.done_at).getTime();
    const hours = (12 * 3_600_000) / t.config.gameTimeScale;
    expect(doneAt).toBeGreaterThanOrEqual(started + hours - 50);
    expect(doneAt).toBeLessThanOrEqual(Date.now() + hours + 50);
    expect(built.body.player.credits).toBe(5_000);
    expect(built.body.planet).toMatchObject({ citadel_level: 0, stock: { ore: 50, organics: 0, equipment: 0 }, citadel: { level: 0, building_level: 1 } });
    expect(built.body.planet.citadel.ms_left).toBeGreaterThan(0);
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/citadel`)).body.code).toBe('citadel_building');

    await setPlanet(c.id, { build_done_at: new Date(Date.now() - 1_000) });
    const done = await api(c.owner, 'GET', `/api/v1/planets/${c.id}`);
    expect(done.body).toMatchObject({
      citadel_level: 1,
      shields: CITADEL_LEVELS[1]!.shields,
      population_cap: CITADEL_LEVELS[1]!.population,
      storage_cap: CITADEL_LEVELS[1]!.storage,
    });
    expect(done.body.citadel).toMatchObject({ level: 1, building_level: null, ms_left: null, next: { level: 2, credits: 60_000 } });
    // the job writes a finished build down for a planet nobody touched
    await runWindow(t, planetProductionJob, new Date());
    expect(await planetRow(c.id)).toMatchObject({ citadel_level: 1, building_level: null, shields: CITADEL_LEVELS[1]!.shields });

    await setPlanet(c.id, { citadel_level: 5 });
    expect((await api(c.owner, 'POST', `/api/v1/planets/${c.id}/citadel`)).body.code).toBe('citadel_max');
    expect(await ledgerMismatches(t)).toEqual([]);
  });
});

describe('production', () => {
  it('accrues per game day into stock and fighters, read lazily, written down by the job once per window', async () => {
    const c = await colony();
    await setPlanet(c.id, { colonists: 1_000, alloc_ore: 40, alloc_organics: 30, alloc_equipment: 20, alloc_fighters: 10 });
    const day = Math.ceil(DAY / t.config.gameTimeScale);
    await setPlanet(c.id, { anchor_at: new Date(Date.now() - 2 * day - day / 2) });
    const read = await api(c.owner, 'GET', `/api/v1/planets/${c.id}`);
    expect(read.body.stock).toEqual({ ore: 800, organics: 480, equipment: 200 });
    expect(read.body.fighters).toBe(20);
    expect((await planetRow(c.id)).stock_ore).toBe(0);

    const window = new Date();
    const first = await runWindow(t, planetProductionJob, window);
    expect(first.status).toBe('succeeded');
    expect(await planetRow(c.id)).toMatchObject({ stock_ore: 800, stock_organics: 480, stock_equipment: 200, fighters: 20 });
    await runWindow(t, planetProductionJob, window, 'another-owner');
    expect((await planetRow(c.id)).stock_ore).toBe(800);

    // the owner loads what was produced and sells it
    const loaded = await api(c.owner, 'POST', `/api/v1/planets/${c.id}/cargo`, { action: 'load', good: 'ore', quantity: 50 });
    expect(loaded.body.ship.cargo.ore).toBe(50);
    expect(loaded.body.planet.stock.ore).toBe(750);
  });
});

describe('attack and capture', () => {
  it('refuses FedSpace, New Earth and your own planet; repels a weak attack; captures when fighters and shields fall', async () => {
    const raider = await newPilot(t);
    await setShip(t, raider.userId, { fighters: 300 });
    const newEarth = await t.region.selectFrom('planets').select('id').where('claimable', '=', false).executeTakeFirstOrThrow();
    await placePilot(t, raider.userId, 1);
    expect((await api(raider, 'POST', '/api/v1/combat/attack-planet', { planet: Number(newEarth.id), fighters: 10 })).body.code).toBe('fedspace');

    const c = await colony();
    await setPlanet(c.id, { fighters: 5_000, colonists: 500, stock_ore: 70 });
    expect((await api(c.owner, 'POST', '/api/v1/combat/attack-planet', { planet: c.id, fighters: 10 })).body.code).toBe('own_planet');
    await placePilot(t, raider.userId, c.sector);
    expect((await api(raider, 'POST', '/api/v1/combat/attack-planet', { planet: c.id, fighters: 301 })).body.code).toBe('insufficient_fighters');
    expect((await api(raider, 'POST', '/api/v1/combat/attack-planet', { planet: 999_999_999, fighters: 1 })).body.code).toBe('planet_not_found');
    const federal = await sql<{
      id: string;
    }>`insert into planets (sector_id, region_id, name, planet_type, claimable) values (${c.sector}, 1, 'Federal', 'glacial', false) returning id`.execute(
      t.region,
    );
    expect((await api(raider, 'POST', '/api/v1/combat/attack-planet', { planet: Number(federal.rows[0]!.id), fighters: 1 })).body.code).toBe(
      'planet_unclaimable',
    );
    const weak = await api(raider, 'POST', '/api/v1/combat/attack-planet', { planet: c.id, fighters: 20 });
    expect(weak.status, weak.text).toBe(200);
    expect(weak.body.attack).toMatchObject({ captured: false, result: 'repelled', fighters_lost: 20 });
    expect((await planetRow(c.id)).owner_user_id).toBe(c.owner.userId);

    await setPlanet(c.id, { fighters: 30, shields: 20 });
    const strong = await api(raider, 'POST', '/api/v1/combat/attack-planet', { planet: c.id, fighters: 280 });
    expect(strong.status, strong.text).toBe(200);
    expect(strong.body.attack).toMatchObject({ captured: true, result: 'destroyed', planet_fighters_lost: 30, planet_shields_lost: 20, experience_gained: 50 });
    expect(await planetRow(c.id)).toMatchObject({ owner_user_id: raider.userId, colonists: 500, stock_ore: 70, fighters: 0, shields: 0 });
    // the former owner was landed on it: no longer
    expect((await api(c.owner, 'GET', '/api/v1/player/state')).body.player.landed_planet_id).toBeNull();
    expect((await api(raider, 'GET', `/api/v1/planets/${c.id}`)).body).toMatchObject({ yours: true, colonists: 500 });

    const events = await t.region
      .selectFrom('outbox')
      .select(['topic', 'type', 'data'])
      .where('type', 'in', ['planet.attacked', 'planet.captured'])
      .orderBy('id')
      .execute();
    const mine = events.filter((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data).planet_id === c.id);
    expect(mine.map((e) => [e.topic, e.type])).toEqual([
      [`player:${c.owner.userId}`, 'planet.attacked'],
      [`player:${c.owner.userId}`, 'planet.attacked'],
      ['global', 'planet.captured'],
    ]);
    const log = await api(c.owner, 'GET', `/api/v1/combat/logs/${strong.body.attack.log_id}`);
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({ attacker: raider.username, your_side: 'defender', result: 'destroyed' });
  });
});

describe('rankings', () => {
  it('ranks pilots by planets and counts planets in net worth', async () => {
    const c = await colony();
    await setPlanet(c.id, { colonists: 12_345 % 2_000, stock_ore: 100 });
    const board = await api(c.owner, 'GET', '/api/v1/rankings/planets?per_page=100');
    expect(board.status).toBe(200);
    expect(board.body.entries).toContainEqual(expect.objectContaining({ name: c.owner.username, planets: 1, colonists: 12_345 % 2_000 }));
    const worth = await api(c.owner, 'GET', '/api/v1/rankings?per_page=100');
    const entry = worth.body.entries.find((e: { name: string }) => e.name === c.owner.username);
    const state = (await api(c.owner, 'GET', '/api/v1/player/state')).body;
    expect(entry.net_worth).toBe(state.player.credits + 40_000 + 100 * 20 + (12_345 % 2_000) * 60);
  });
});
