import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frontierPair, newPilot, placePilot, setShip } from './game-helpers.js';
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

const cargoOf = async (userId: string) =>
  (
    await sql<{
      ore: number;
      colonists: number;
    }>`select cargo_ore as ore, cargo_colonists as colonists from ships where id = (select ship_id from players where user_id = ${userId}::uuid)`.execute(
      t.region,
    )
  ).rows[0]!;

describe('the owner unloading and loading while an attacker captures', () => {
  it('conserves goods, leaves exactly one owner at every moment, and refuses the owner once the planet is taken', async () => {
    const owner = await newPilot(t);
    const raider = await newPilot(t);
    await placePilot(t, owner.userId, pair.sector);
    await placePilot(t, raider.userId, pair.sector);
    await sql`update ships set genesis_torpedoes = 1 where id = (select ship_id from players where user_id = ${owner.userId}::uuid)`.execute(t.region);
    const made = await t.call('POST', '/api/v1/planets/genesis', { token: owner.token, body: { name: 'Contested' } });
    expect(made.status, made.text).toBe(201);
    const id = made.body.planet.id as number;
    expect((await t.call('POST', `/api/v1/planets/${id}/land`, { token: owner.token })).status).toBe(200);
    await t.region.updateTable('planets').set({ stock_ore: 500, fighters: 40, shields: 10 }).where('id', '=', id).execute();
    await setShip(t, owner.userId, { ore: 40, holds: 500 });
    await setShip(t, raider.userId, { fighters: 300, shields: 100 });
    const total = 500 + 40;

    // Someone watching the planet's row the whole time: it always has exactly one owner, one of the two.
    const owners = new Set<string | null>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const rows = await t.region.selectFrom('planets').select('owner_user_id').where('id', '=', id).execute();
        expect(rows).toHaveLength(1);
        owners.add(rows[0]!.owner_user_id);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const moves = Array.from({ length: 24 }, (_, i) =>
      t.call('POST', `/api/v1/planets/${id}/cargo`, { token: owner.token, body: { action: i % 3 === 0 ? 'unload' : 'load', good: 'ore', quantity: 10 } }),
    );
    const attack = t.call('POST', '/api/v1/combat/attack-planet', { token: raider.token, body: { planet: id, fighters: 300 } });
    const [attacked, ...results] = await Promise.all([attack, ...moves]);
    watching = false;
    await watcher;

    expect(attacked.status, attacked.text).toBe(200);
    expect(attacked.body.attack.captured).toBe(true);
    for (const r of results) {
      if (r.status !== 200) {
        expect(r.status, r.text).toBe(403);
        expect(r.body.code).toBe('not_planet_owner');
      }
    }
    const planet = await t.region.selectFrom('planets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(planet.owner_user_id).toBe(raider.userId);
    expect([...owners].every((o) => o === owner.userId || o === raider.userId)).toBe(true);
    const ownerCargo = await cargoOf(owner.userId);
    const raiderCargo = await cargoOf(raider.userId);
    expect(planet.stock_ore + ownerCargo.ore + raiderCargo.ore).toBe(total);
    // every accepted move happened while the owner still held it: the net of them is what the owner carries
    const net = results.reduce((sum, r, i) => (r.status === 200 ? sum + (i % 3 === 0 ? -10 : 10) : sum), 0);
    expect(ownerCargo.ore).toBe(40 + net);
    // after the capture the former owner is refused, and no longer landed
    const after = await t.call('POST', `/api/v1/planets/${id}/cargo`, { token: owner.token, body: { action: 'load', good: 'ore', quantity: 1 } });
    expect(after.body.code).toBe('not_planet_owner');
    const state = await t.call('GET', '/api/v1/player/state', { token: owner.token });
    expect(state.body.player.landed_planet_id).toBeNull();
    const captures = await t.region.selectFrom('outbox').select('data').where('type', '=', 'planet.captured').execute();
    expect(captures.filter((c) => (typeof c.data === 'string' ? JSON.parse(c.data) : c.data).planet_id === id)).toHaveLength(1);
  });

  it('two genesis torpedoes fired at once into a sector with two planets make exactly one', async () => {
    const a = await newPilot(t);
    const b = await newPilot(t);
    const sector = pair.neighbour;
    const existing = Number((await sql<{ n: string }>`select count(*) as n from planets where sector_id = ${sector}`.execute(t.region)).rows[0]!.n);
    for (let i = existing; i < 2; i++)
      await sql`insert into planets (sector_id, region_id, name, planet_type) values (${sector}, 1, ${`Filler ${i}`}, 'desert')`.execute(t.region);
    for (const p of [a, b]) {
      await placePilot(t, p.userId, sector);
      await sql`update ships set genesis_torpedoes = 1 where id = (select ship_id from players where user_id = ${p.userId}::uuid)`.execute(t.region);
    }
    const results = await Promise.all([a, b].map((p) => t.call('POST', '/api/v1/planets/genesis', { token: p.token, body: { name: 'Race' } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('sector_planets_full');
    const n = Number((await sql<{ n: string }>`select count(*) as n from planets where sector_id = ${sector}`.execute(t.region)).rows[0]!.n);
    expect(n).toBe(3);
  });
});
