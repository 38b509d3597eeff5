import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CITADEL_LEVELS, PLANET_TYPES } from './catalog/planets.js';
import { GAME_DAY_MS, GAME_HOUR_MS } from './catalog/time.js';
import { planetAfter } from './planets.js';
import {
  decideAttackPlanet,
  decideCitadel,
  decideGenesis,
  decideMaterialize,
  decidePlanetCargo,
  genesisType,
  type Planet,
  productionPerDay,
  productionSince,
} from './planets.js';
import { crew as testCrew } from './test-crews.js';

const T0 = Date.UTC(2026, 11, 1);
const OWNER = '00000000-0000-8000-8000-000000000001';

function planet(over: Partial<Planet> = {}): Planet {
  return {
    id: 7,
    sectorId: 40,
    regionId: 1,
    name: 'Ceres',
    type: 'earthlike',
    claimable: true,
    ownerUserId: OWNER,
    ownerName: 'owner',
    colonists: 1_000,
    stock: { ore: 0, organics: 0, equipment: 0 },
    fighters: 0,
    shields: 0,
    allocation: { ore: 40, organics: 30, equipment: 20, fighters: 10 },
    citadelLevel: 0,
    building: null,
    anchorMs: T0,
    ...over,
  };
}

const arbPlanet = fc.record({
  type: fc.constantFrom(...PLANET_TYPES),
  colonists: fc.integer({ min: 0, max: 50_000 }),
  alloc: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
  stock: fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 3_000 })),
  level: fc.integer({ min: 0, max: 4 }),
  buildAfterHours: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
  scale: fc.constantFrom(1, 3, 24, 1440),
});

type ArbPlanet = typeof arbPlanet extends fc.Arbitrary<infer T> ? T : never;

function fromArb(a: ArbPlanet): Planet {
  const [o, g, e, f] = a.alloc;
  const total = o + g + e + f;
  const scale = (x: number) => (total > 100 ? Math.floor((x * 100) / total) : x);
  const allocation = { ore: scale(o), organics: scale(g), equipment: scale(e), fighters: scale(f) };
  return planet({
    type: a.type,
    colonists: a.colonists,
    allocation,
    stock: { ore: a.stock[0], organics: a.stock[1], equipment: a.stock[2] },
    citadelLevel: a.level,
    building: a.buildAfterHours === null ? null : { level: a.level + 1, doneAtMs: T0 + (a.buildAfterHours * GAME_HOUR_MS) / a.scale },
  });
}

describe('production', () => {
  it('gives each product its rate: colonists on it × base rate × type multiplier, per whole game day', () => {
    expect(productionPerDay(planet())).toEqual({ ore: 400, organics: 240, equipment: 100, fighters: 10 });
    expect(productionPerDay(planet({ type: 'volcanic' }))).toEqual({ ore: 1_000, organics: 48, equipment: 60, fighters: 12 });
    const p = productionSince(planet(), T0 + 3 * GAME_DAY_MS - 1, 1);
    expect(p.days).toBe(2);
    expect(p.produced).toEqual({ ore: 800, organics: 480, equipment: 200, fighters: 20 });
    expect(p.planet.anchorMs).toBe(T0 + 2 * GAME_DAY_MS);
  });

  it('runs faster at GAME_TIME_SCALE and never backwards', () => {
    expect(productionSince(planet(), T0 + GAME_DAY_MS / 24, 24).produced.ore).toBe(400);
    expect(productionSince(planet(), T0 - GAME_DAY_MS, 1)).toMatchObject({ days: 0, produced: { ore: 0, organics: 0, equipment: 0, fighters: 0 } });
  });

  it('stops at the storage cap of the citadel standing at each day’s end', () => {
    const cap0 = CITADEL_LEVELS[0]!.storage;
    const full = productionSince(planet({ colonists: 2_000, allocation: { ore: 100, organics: 0, equipment: 0, fighters: 0 } }), T0 + 30 * GAME_DAY_MS, 1);
    expect(full.planet.stock.ore).toBe(cap0);
    // a build done after 2.5 days: days 1–2 count against level 0, days 3+ against level 1
    const building = planet({
      colonists: 1_000,
      stock: { ore: cap0 - 100, organics: 0, equipment: 0 },
      allocation: { ore: 100, organics: 0, equipment: 0, fighters: 0 },
      building: { level: 1, doneAtMs: T0 + 2.5 * GAME_DAY_MS },
    });
    const after = productionSince(building, T0 + 4 * GAME_DAY_MS, 1);
    expect(after.planet.stock.ore).toBe(cap0 + 2 * 1_000);
    expect(after.planet.citadelLevel).toBe(1);
    expect(after.planet.building).toBeNull();
    expect(after.planet.shields).toBe(CITADEL_LEVELS[1]!.shields);
  });

  it('property: never negative, monotone in time, bounded by caps', () => {
    fc.assert(
      fc.property(arbPlanet, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (a, h1, h2) => {
        const p = fromArb(a);
        const t1 = T0 + (Math.min(h1, h2) * GAME_HOUR_MS) / a.scale;
        const t2 = T0 + (Math.max(h1, h2) * GAME_HOUR_MS) / a.scale;
        const x = productionSince(p, t1, a.scale).planet;
        const y = productionSince(p, t2, a.scale).planet;
        const cap = CITADEL_LEVELS[y.citadelLevel]!;
        for (const good of ['ore', 'organics', 'equipment'] as const) {
          expect(x.stock[good]).toBeGreaterThanOrEqual(p.stock[good]);
          expect(y.stock[good]).toBeGreaterThanOrEqual(x.stock[good]);
          expect(y.stock[good]).toBeLessThanOrEqual(Math.max(p.stock[good], cap.storage));
        }
        expect(y.fighters).toBeGreaterThanOrEqual(x.fighters);
        expect(y.fighters).toBeLessThanOrEqual(cap.fighters);
      }),
      { numRuns: 300 },
    );
  });

  it('property: materialized every hour for a week equals one read after the week', () => {
    fc.assert(
      fc.property(arbPlanet, fc.integer({ min: 0, max: 59 }), (a, minute) => {
        const p = fromArb(a);
        const step = GAME_HOUR_MS / a.scale;
        const end = T0 + 7 * 24 * step + minute * 60_000;
        let hourly = p;
        for (let t = T0 + step; t <= end; t += step) {
          const d = decideMaterialize(hourly, { nowMs: t, timeScale: a.scale });
          if ('refused' in d) throw new Error('refused');
          hourly = planetAfter(hourly, d.changes);
        }
        const d = decideMaterialize(hourly, { nowMs: end, timeScale: a.scale });
        if ('refused' in d) throw new Error('refused');
        hourly = planetAfter(hourly, d.changes);
        const once = productionSince(p, end, a.scale).planet;
        expect(hourly.stock).toEqual(once.stock);
        expect(hourly.fighters).toBe(once.fighters);
        expect(hourly.anchorMs).toBe(once.anchorMs);
        expect(hourly.citadelLevel).toBe(once.citadelLevel);
      }),
      { numRuns: 60 },
    );
  });
});

describe('planet decisions', () => {
  const at = { nowMs: T0, timeScale: 1 };

  it('genesis: a torpedo, not FedSpace, at most 3 a sector; the type drawn by a seeded rule', () => {
    const crew = testCrew({ userId: OWNER, name: 'owner', sectorId: 40 });
    crew.ship.genesisTorpedoes = 1;
    const sector = { id: 40, regionId: 1, fedspace: false };
    expect(decideGenesis(crew, { sector: { ...sector, fedspace: true }, planetsHere: 0, newId: 9 }, { name: 'X' }, at)).toEqual({
      refused: expect.objectContaining({ code: 'planet_in_fedspace' }),
    });
    expect(decideGenesis(crew, { sector, planetsHere: 3, newId: 9 }, { name: 'X' }, at)).toEqual({
      refused: expect.objectContaining({ code: 'sector_planets_full' }),
    });
    const made = decideGenesis(crew, { sector, planetsHere: 2, newId: 9 }, { name: 'X' }, at);
    if ('refused' in made) throw new Error(made.refused.code);
    expect(made.outcome.type).toBe(genesisType(40, 9));
    expect(made.changes.ships).toEqual([{ shipId: crew.ship.id, genesisTorpedoes: -1 }]);
    crew.ship.genesisTorpedoes = 0;
    expect(decideGenesis(crew, { sector, planetsHere: 0, newId: 9 }, { name: 'X' }, at)).toEqual({
      refused: expect.objectContaining({ code: 'no_genesis_torpedo' }),
    });
  });

  it('landed actions need the landing; cargo respects stock, holds and storage', () => {
    const crew = testCrew({ userId: OWNER, name: 'owner', sectorId: 40 });
    const p = planet({ stock: { ore: 30, organics: 0, equipment: 0 } });
    expect(decidePlanetCargo(crew, p, { action: 'load', good: 'ore', quantity: 5 }, at)).toEqual({ refused: expect.objectContaining({ code: 'not_landed' }) });
    crew.pilot.landedPlanetId = p.id;
    expect(decidePlanetCargo(crew, p, { action: 'load', good: 'ore', quantity: 31 }, at)).toEqual({
      refused: expect.objectContaining({ code: 'exceeds_planet_stock' }),
    });
    const ok = decidePlanetCargo(crew, p, { action: 'load', good: 'ore', quantity: 30 }, at);
    if ('refused' in ok) throw new Error(ok.refused.code);
    expect(ok.changes.ships).toEqual([{ shipId: crew.ship.id, cargo: { ore: 30 } }]);
    expect(planetAfter(p, ok.changes).stock.ore).toBe(0);
    const other = testCrew({ userId: '00000000-0000-8000-8000-000000000002', name: 'other', sectorId: 40 });
    other.pilot.landedPlanetId = p.id;
    expect(decidePlanetCargo(other, p, { action: 'load', good: 'ore', quantity: 1 }, at)).toEqual({
      refused: expect.objectContaining({ code: 'not_planet_owner' }),
    });
  });

  it('citadel: credits and planet goods, one build at a time, done after its game hours', () => {
    const crew = testCrew({ userId: OWNER, name: 'owner', sectorId: 40, credits: 50_000 });
    crew.pilot.landedPlanetId = 7;
    const poor = planet({ stock: { ore: 99, organics: 100, equipment: 100 } });
    expect(decideCitadel(crew, poor, at)).toEqual({ refused: expect.objectContaining({ code: 'insufficient_planet_goods' }) });
    const p = planet({ colonists: 0, stock: { ore: 100, organics: 100, equipment: 100 } });
    const ok = decideCitadel(crew, p, { nowMs: T0, timeScale: 4 });
    if ('refused' in ok) throw new Error(ok.refused.code);
    expect(ok.outcome.done_at).toBe(new Date(T0 + (12 * GAME_HOUR_MS) / 4).toISOString());
    expect(ok.changes.credits).toEqual([expect.objectContaining({ delta: -20_000, reason: 'citadel_build' })]);
    const building = planetAfter(p, ok.changes);
    expect(building.stock).toEqual({ ore: 0, organics: 0, equipment: 0 });
    expect(decideCitadel(crew, building, { nowMs: T0 + 1, timeScale: 4 })).toEqual({ refused: expect.objectContaining({ code: 'citadel_building' }) });
    expect(productionSince(building, T0 + (12 * GAME_HOUR_MS) / 4, 4).planet.citadelLevel).toBe(1);
  });

  it('attack: a planet whose fighters and shields fall to zero is captured, stock and colonists with it', () => {
    const attacker = testCrew({ userId: '00000000-0000-8000-8000-000000000003', name: 'raider', sectorId: 40, fighters: 300 });
    const p = planet({ fighters: 20, stock: { ore: 50, organics: 0, equipment: 0 } });
    const context = { sector: { id: 40, regionId: 1, fedspace: false }, teammate: false, seed: 'seed-1', logId: 'log-1', owner: null };
    expect(decideAttackPlanet(attacker, p, { fighters: 300 }, { ...context, sector: { ...context.sector, fedspace: true } }, at)).toEqual({
      refused: expect.objectContaining({ code: 'fedspace' }),
    });
    expect(decideAttackPlanet(attacker, { ...p, claimable: false }, { fighters: 300 }, context, at)).toEqual({
      refused: expect.objectContaining({ code: 'planet_unclaimable' }),
    });
    const won = decideAttackPlanet(attacker, p, { fighters: 300 }, context, at);
    if ('refused' in won) throw new Error(won.refused.code);
    expect(won.outcome.captured).toBe(true);
    const after = planetAfter(p, won.changes);
    expect(after.ownerUserId).toBe(attacker.pilot.userId);
    expect(after.fighters).toBe(0);
    expect(after.stock.ore).toBe(50);
    expect(after.colonists).toBe(1_000);
    expect(won.changes.events.map((e) => e.type)).toEqual(expect.arrayContaining(['planet.captured', 'planet.attacked', 'combat.resolved']));
    expect(won.changes.combatLogs[0]).toMatchObject({ defenderUserId: OWNER, result: 'destroyed' });
  });
});
