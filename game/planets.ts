import { topics } from '../contract/topics.js';
import { HULLS } from './catalog/hulls.js';
import {
  BASE_PRODUCTION_PER_100,
  CITADEL_LEVELS,
  type CitadelLevel,
  MAX_CITADEL_LEVEL,
  MAX_PLANETS_PER_SECTOR,
  PLANET_EXPERIENCE,
  PLANET_GOODS,
  PLANET_MULTIPLIERS,
  PLANET_PRODUCTS,
  PLANET_TYPE_WEIGHTS,
  type PlanetGood,
  type PlanetProduct,
  type PlanetType,
} from './catalog/planets.js';
import { GAME_DAY_MS, GAME_HOUR_MS } from './catalog/time.js';
import { TURN_COSTS } from './catalog/turns.js';
import { type ChangeSet, type Decision, noChanges, type PlanetChange } from './changes.js';
import { type Engagement, type EngagementResult, resolveEngagement } from './combat.js';
import { type Crew, freeHolds, type GameTime, turnRegenFor } from './pilot.js';
import { createRandom } from './random.js';
import { refuse } from './refusals.js';
import { spendTurns } from './turns.js';

export type Allocation = Record<PlanetProduct, number>;
export type PlanetStock = Record<PlanetGood, number>;

/** A planet as the rules see it. `anchorMs` is where production was last counted up to. */
export interface Planet {
  id: number;
  sectorId: number;
  regionId: number;
  name: string;
  type: PlanetType;
  /** false for New Earth: nobody owns or captures it */
  claimable: boolean;
  ownerUserId: string | null;
  ownerName: string | null;
  colonists: number;
  stock: PlanetStock;
  fighters: number;
  shields: number;
  /** percent of the colonists on each product; the rest idle */
  allocation: Allocation;
  citadelLevel: number;
  building: { level: number; doneAtMs: number } | null;
  anchorMs: number;
}

export function citadelOf(level: number): CitadelLevel {
  return CITADEL_LEVELS[Math.max(0, Math.min(MAX_CITADEL_LEVEL, level))]!;
}

/** A game day in real milliseconds at this time scale, whole (so anchors stay whole). */
export function planetDayMs(timeScale: number): number {
  return Math.max(1, Math.ceil(GAME_DAY_MS / timeScale));
}

/** Units a day of each product: colonists on it (whole), the base rate, the type's multiplier; rounded down. */
export function productionPerDay(planet: Pick<Planet, 'colonists' | 'allocation' | 'type'>): Allocation {
  const out = { ore: 0, organics: 0, equipment: 0, fighters: 0 };
  const multipliers = PLANET_MULTIPLIERS[planet.type];
  for (const product of PLANET_PRODUCTS) {
    const workers = Math.floor((planet.colonists * planet.allocation[product]) / 100);
    out[product] = Math.floor((workers * BASE_PRODUCTION_PER_100[product] * multipliers[product]) / 10_000);
  }
  return out;
}

function capAdd(value: number, added: number, cap: number): number {
  return value >= cap ? value : Math.min(cap, value + added);
}

export interface Production {
  /** whole game days counted */
  days: number;
  /** units added to stock and fighters */
  produced: Allocation;
  /** the planet with production counted up to the last whole day and a finished build completed */
  planet: Planet;
}

/**
 * Production since the anchor, lazily (GAME.md "Planets"): whole game days only, each day adding
 * its rate to stock and fighters up to the cap of the citadel standing at that day's end; the
 * anchor advances by whole days, so the part of a day not yet finished carries over. Day
 * boundaries never move, so counting every hour gives exactly what one count after a week gives.
 * A build whose time has come is completed (its level's shields raised). A clock running
 * backwards changes nothing.
 */
export function productionSince(planet: Planet, nowMs: number, timeScale: number): Production {
  const day = planetDayMs(timeScale);
  const days = nowMs > planet.anchorMs ? Math.floor((nowMs - planet.anchorMs) / day) : 0;
  const per = productionPerDay(planet);
  const before = citadelOf(planet.citadelLevel);
  const built = planet.building;
  const after = built ? citadelOf(built.level) : before;
  // days whose end falls before the build is done count against the old caps
  const early = built ? Math.max(0, Math.min(days, Math.ceil((built.doneAtMs - planet.anchorMs) / day) - 1)) : days;
  const late = days - early;
  const stock = { ...planet.stock };
  for (const good of PLANET_GOODS) stock[good] = capAdd(capAdd(stock[good], early * per[good], before.storage), late * per[good], after.storage);
  const fighters = capAdd(capAdd(planet.fighters, early * per.fighters, before.fighters), late * per.fighters, after.fighters);
  const completed = built !== null && built.doneAtMs <= nowMs;
  const next: Planet = {
    ...planet,
    stock,
    fighters,
    anchorMs: planet.anchorMs + days * day,
    ...(completed ? { citadelLevel: built.level, building: null, shields: Math.max(planet.shields, after.shields) } : {}),
  };
  return {
    days,
    produced: {
      ore: stock.ore - planet.stock.ore,
      organics: stock.organics - planet.stock.organics,
      equipment: stock.equipment - planet.stock.equipment,
      fighters: fighters - planet.fighters,
    },
    planet: next,
  };
}

/** The planet as it stands at `at` (nothing written). */
export function planetAt(planet: Planet, at: GameTime): Planet {
  return productionSince(planet, at.nowMs, at.timeScale).planet;
}

/** The change that writes a materialization: produced units as deltas, the new anchor and citadel. Null when nothing moved. */
export function materializeChange(before: Planet, after: Planet): PlanetChange | null {
  const change: PlanetChange = { id: before.id };
  let moved = false;
  const stock: Partial<PlanetStock> = {};
  for (const good of PLANET_GOODS) {
    if (after.stock[good] !== before.stock[good]) {
      stock[good] = after.stock[good] - before.stock[good];
      moved = true;
    }
  }
  if (moved) change.stock = stock;
  if (after.fighters !== before.fighters) {
    change.fighters = after.fighters - before.fighters;
    moved = true;
  }
  if (after.shields !== before.shields) {
    change.shields = after.shields - before.shields;
    moved = true;
  }
  if (after.anchorMs !== before.anchorMs) {
    change.anchorMs = after.anchorMs;
    moved = true;
  }
  if (after.citadelLevel !== before.citadelLevel || after.building !== before.building) {
    change.citadel = { level: after.citadelLevel, building: after.building };
    moved = true;
  }
  return moved ? change : null;
}

/** What the planet-production job writes for a planet nobody touched: production counted up to `at`. */
export function decideMaterialize(planet: Planet, at: GameTime): Decision<{ days: number; produced: Allocation }> {
  const production = productionSince(planet, at.nowMs, at.timeScale);
  const change = materializeChange(planet, production.planet);
  const changes = noChanges();
  if (change) changes.planets.push(change);
  return { changes, outcome: { days: production.days, produced: production.produced } };
}

// ---- genesis ----------------------------------------------------------------------------------

export interface GenesisScene {
  sector: { id: number; regionId: number; fedspace: boolean };
  planetsHere: number;
  /** the id the new planet takes (from the sequence, read before deciding) */
  newId: number;
}

export interface GenesisOutcome {
  planet_id: number;
  name: string;
  type: PlanetType;
  sector_id: number;
  torpedoes_left: number;
  experience_gained: number;
}

/** The type a genesis torpedo makes when none is chosen: drawn by the galaxy's weights, seeded by the sector and the new id. */
export function genesisType(sectorId: number, planetId: number): PlanetType {
  return createRandom(`genesis:${sectorId}:${planetId}`).pickWeighted(PLANET_TYPE_WEIGHTS);
}

export function decideGenesis(crew: Crew, scene: GenesisScene, order: { name: string; type?: PlanetType }, at: GameTime): Decision<GenesisOutcome> {
  const { pilot, ship } = crew;
  if (scene.sector.fedspace) return refuse('planet_in_fedspace', 'FedSpace is kept clear of colonies');
  if (scene.planetsHere >= MAX_PLANETS_PER_SECTOR) return refuse('sector_planets_full', undefined, { planets: scene.planetsHere, max: MAX_PLANETS_PER_SECTOR });
  if (ship.genesisTorpedoes < 1) return refuse('no_genesis_torpedo', 'Buy a genesis torpedo at the Stardock');
  const type = order.type ?? genesisType(scene.sector.id, scene.newId);
  const changes = noChanges();
  changes.ships.push({ shipId: ship.id, genesisTorpedoes: -1 });
  changes.pilots.push({ userId: pilot.userId, experience: PLANET_EXPERIENCE.genesis });
  changes.planets.push({
    id: scene.newId,
    create: { sectorId: scene.sector.id, regionId: scene.sector.regionId, name: order.name, planetType: type, ownerUserId: pilot.userId, anchorMs: at.nowMs },
  });
  changes.events.push({
    topic: topics.sector(scene.sector.id),
    type: 'planet.created',
    data: { planet_id: scene.newId, name: order.name, type, sector_id: scene.sector.id, owner: pilot.name },
  });
  return {
    changes,
    outcome: {
      planet_id: scene.newId,
      name: order.name,
      type,
      sector_id: scene.sector.id,
      torpedoes_left: ship.genesisTorpedoes - 1,
      experience_gained: PLANET_EXPERIENCE.genesis,
    },
  };
}

// ---- landing and what a landed owner does ----------------------------------------------------------

function ownedHere(crew: Crew, planet: Planet | null) {
  if (!planet || planet.sectorId !== crew.pilot.sectorId) return refuse('planet_not_found', 'No such planet in your sector');
  if (planet.ownerUserId !== crew.pilot.userId) return refuse('not_planet_owner');
  return null;
}

function landedOn(crew: Crew, planet: Planet | null) {
  const obstacle = ownedHere(crew, planet);
  if (obstacle) return obstacle;
  if (crew.pilot.landedPlanetId !== planet!.id) return refuse('not_landed', `Land on ${planet!.name} first`);
  return null;
}

export interface LandingOutcome {
  planet_id: number;
  landed: boolean;
  turns_left: number;
}

export function decideLand(crew: Crew, planet: Planet | null, at: GameTime): Decision<LandingOutcome> {
  const obstacle = ownedHere(crew, planet);
  if (obstacle) return obstacle;
  if (crew.pilot.landedPlanetId === planet!.id) return refuse('already_landed');
  const { pilot } = crew;
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.landPlanet, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent, landed: { planetId: planet!.id } });
  return { changes, outcome: { planet_id: planet!.id, landed: true, turns_left: spent.turns } };
}

export function decideLeave(crew: Crew, planet: Planet | null, at: GameTime): Decision<LandingOutcome> {
  if (!planet || planet.sectorId !== crew.pilot.sectorId) return refuse('planet_not_found', 'No such planet in your sector');
  if (crew.pilot.landedPlanetId !== planet.id) return refuse('not_landed');
  const { pilot } = crew;
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.leavePlanet, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent, landed: { planetId: null } });
  return { changes, outcome: { planet_id: planet.id, landed: false, turns_left: spent.turns } };
}

/** A landed owner's action: the planet counted up to now first, then the action's own change merged into the same row. */
function onPlanet(planet: Planet, at: GameTime): { now: Planet; changes: ChangeSet; change: PlanetChange } {
  const now = planetAt(planet, at);
  const changes = noChanges();
  const change = materializeChange(planet, now) ?? { id: planet.id };
  changes.planets.push(change);
  return { now, changes, change };
}

export interface PlanetActionOutcome {
  planet_id: number;
  action: string;
  quantity: number;
}

export function decideColonists(
  crew: Crew,
  planet: Planet | null,
  order: { action: 'drop' | 'load'; quantity: number },
  at: GameTime,
): Decision<PlanetActionOutcome> {
  const obstacle = landedOn(crew, planet);
  if (obstacle) return obstacle;
  const { now, changes, change } = onPlanet(planet!, at);
  const q = order.quantity;
  if (order.action === 'drop') {
    if (crew.ship.cargo.colonists < q)
      return refuse('insufficient_cargo', `You carry ${crew.ship.cargo.colonists} colonists`, { available: crew.ship.cargo.colonists });
    const cap = citadelOf(now.citadelLevel).population;
    if (now.colonists + q > cap) return refuse('planet_population_full', undefined, { available: cap - now.colonists, cap });
    change.colonists = q;
    changes.ships.push({ shipId: crew.ship.id, cargo: { colonists: -q } });
  } else {
    if (now.colonists < q) return refuse('exceeds_planet_stock', `${now.colonists} colonists live here`, { available: now.colonists });
    if (freeHolds(crew.ship) < q) return refuse('insufficient_holds', undefined, { available: freeHolds(crew.ship), needed: q });
    change.colonists = -q;
    changes.ships.push({ shipId: crew.ship.id, cargo: { colonists: q } });
  }
  return { changes, outcome: { planet_id: now.id, action: order.action, quantity: q } };
}

export function decideAllocation(crew: Crew, planet: Planet | null, allocation: Allocation, at: GameTime): Decision<PlanetActionOutcome> {
  const obstacle = landedOn(crew, planet);
  if (obstacle) return obstacle;
  const total = PLANET_PRODUCTS.reduce((sum, p) => sum + allocation[p], 0);
  if (PLANET_PRODUCTS.some((p) => !Number.isInteger(allocation[p]) || allocation[p] < 0) || total > 100)
    return refuse('invalid_allocation', 'Whole percentages, at least 0, adding up to at most 100', { total });
  const { now, changes, change } = onPlanet(planet!, at);
  change.allocation = { ...allocation };
  return { changes, outcome: { planet_id: now.id, action: 'allocate', quantity: total } };
}

export function decidePlanetCargo(
  crew: Crew,
  planet: Planet | null,
  order: { action: 'load' | 'unload'; good: PlanetGood; quantity: number },
  at: GameTime,
): Decision<PlanetActionOutcome> {
  const obstacle = landedOn(crew, planet);
  if (obstacle) return obstacle;
  const { now, changes, change } = onPlanet(planet!, at);
  const { good, quantity: q } = order;
  if (order.action === 'load') {
    if (now.stock[good] < q) return refuse('exceeds_planet_stock', `The planet holds ${now.stock[good]}`, { available: now.stock[good] });
    if (freeHolds(crew.ship) < q) return refuse('insufficient_holds', undefined, { available: freeHolds(crew.ship), needed: q });
    change.stock = { ...change.stock, [good]: (change.stock?.[good] ?? 0) - q };
    changes.ships.push({ shipId: crew.ship.id, cargo: { [good]: q } });
  } else {
    if (crew.ship.cargo[good] < q) return refuse('insufficient_cargo', undefined, { available: crew.ship.cargo[good] });
    const cap = citadelOf(now.citadelLevel).storage;
    if (now.stock[good] + q > cap) return refuse('exceeds_planet_storage', undefined, { available: cap - now.stock[good], cap });
    change.stock = { ...change.stock, [good]: (change.stock?.[good] ?? 0) + q };
    changes.ships.push({ shipId: crew.ship.id, cargo: { [good]: -q } });
  }
  return { changes, outcome: { planet_id: now.id, action: order.action, quantity: q } };
}

export function decidePlanetFighters(
  crew: Crew,
  planet: Planet | null,
  order: { action: 'deposit' | 'withdraw'; quantity: number },
  at: GameTime,
): Decision<PlanetActionOutcome> {
  const obstacle = landedOn(crew, planet);
  if (obstacle) return obstacle;
  const { now, changes, change } = onPlanet(planet!, at);
  const q = order.quantity;
  if (order.action === 'deposit') {
    if (crew.ship.fighters < q) return refuse('insufficient_fighters', undefined, { available: crew.ship.fighters, needed: q });
    const cap = citadelOf(now.citadelLevel).fighters;
    if (now.fighters + q > cap) return refuse('exceeds_planet_storage', 'The planet cannot station that many fighters', { available: cap - now.fighters, cap });
    change.fighters = (change.fighters ?? 0) + q;
    changes.ships.push({ shipId: crew.ship.id, fighters: -q });
  } else {
    if (now.fighters < q) return refuse('exceeds_planet_stock', `${now.fighters} fighters are stationed here`, { available: now.fighters });
    const max = HULLS[crew.ship.hull].maxFighters;
    if (crew.ship.fighters + q > max) return refuse('exceeds_capacity', undefined, { available: max - crew.ship.fighters, max });
    change.fighters = (change.fighters ?? 0) - q;
    changes.ships.push({ shipId: crew.ship.id, fighters: q });
  }
  return { changes, outcome: { planet_id: now.id, action: order.action, quantity: q } };
}

export interface CitadelOutcome {
  planet_id: number;
  building_level: number;
  done_at: string;
  credits_spent: number;
  goods_spent: PlanetStock;
}

/** Start the next citadel level: credits from the pilot (a ledger row), goods from planet stock; one build at a time. */
export function decideCitadel(crew: Crew, planet: Planet | null, at: GameTime): Decision<CitadelOutcome> {
  const obstacle = landedOn(crew, planet);
  if (obstacle) return obstacle;
  const { now, changes, change } = onPlanet(planet!, at);
  if (now.building)
    return refuse('citadel_building', `Level ${now.building.level} is still being built`, { done_at: new Date(now.building.doneAtMs).toISOString() });
  if (now.citadelLevel >= MAX_CITADEL_LEVEL) return refuse('citadel_max');
  const next = citadelOf(now.citadelLevel + 1);
  if (crew.pilot.credits < next.credits) return refuse('insufficient_credits', undefined, { available: crew.pilot.credits, needed: next.credits });
  for (const good of PLANET_GOODS) {
    if (now.stock[good] < next.goods[good])
      return refuse('insufficient_planet_goods', `The citadel needs ${next.goods[good]} ${good} in planet stock`, {
        good,
        available: now.stock[good],
        needed: next.goods[good],
      });
  }
  const doneAtMs = at.nowMs + Math.ceil((next.buildHours * GAME_HOUR_MS) / at.timeScale);
  const stock = { ...change.stock };
  for (const good of PLANET_GOODS) stock[good] = (stock[good] ?? 0) - next.goods[good];
  change.stock = stock;
  change.citadel = { level: now.citadelLevel, building: { level: next.level, doneAtMs } };
  changes.credits.push({ userId: crew.pilot.userId, delta: -next.credits, reason: 'citadel_build', ref: { planet_id: now.id, level: next.level } });
  return {
    changes,
    outcome: {
      planet_id: now.id,
      building_level: next.level,
      done_at: new Date(doneAtMs).toISOString(),
      credits_spent: next.credits,
      goods_spent: { ...next.goods },
    },
  };
}

// ---- attack and capture ---------------------------------------------------------------------------

export interface PlanetAttackContext {
  sector: { id: number; regionId: number; fedspace: boolean };
  teammate: boolean;
  seed: string;
  logId: string;
  /** the owner's crew when it was locked with the attacker (its landing is cleared by a capture) */
  owner: Crew | null;
}

export interface PlanetAttackOutcome {
  log_id: string;
  planet_id: number;
  planet: string;
  sector_id: number;
  committed: number;
  result: EngagementResult;
  seed: string;
  fighters_lost: number;
  shields_lost: number;
  planet_fighters_lost: number;
  planet_shields_lost: number;
  captured: boolean;
  experience_gained: number;
  engagement: Engagement;
}

/**
 * Attack a planet in the sector (3 turns): the planet's fighters and shields defend with the
 * defender's bonus (game/combat.ts); when both reach zero the attacker captures it, colonists,
 * stock and citadel included. The owner is told at once, a capture is announced to everyone, and
 * the engagement is logged with its seed.
 */
export function decideAttackPlanet(
  crew: Crew,
  planet: Planet | null,
  order: { fighters: number },
  context: PlanetAttackContext,
  at: GameTime,
): Decision<PlanetAttackOutcome> {
  const { pilot, ship } = crew;
  if (!planet || planet.sectorId !== pilot.sectorId) return refuse('planet_not_found', 'No such planet in your sector');
  if (context.sector.fedspace) return refuse('fedspace');
  if (!planet.claimable) return refuse('planet_unclaimable', `${planet.name} belongs to the Federation`);
  if (planet.ownerUserId === pilot.userId) return refuse('own_planet');
  if (context.teammate) return refuse('teammate', 'That planet is your team’s');
  if (order.fighters > ship.fighters)
    return refuse('insufficient_fighters', `You have ${ship.fighters} fighters aboard`, { available: ship.fighters, needed: order.fighters });
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.attack, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });

  const { now, changes, change } = onPlanet(planet, at);
  const engagement = resolveEngagement({ fighters: order.fighters, shields: ship.shields }, { fighters: now.fighters, shields: now.shields }, context.seed);
  const captured = engagement.result === 'destroyed';
  const experience = captured ? PLANET_EXPERIENCE.capture : 0;
  changes.pilots.push({ userId: pilot.userId, turns: spent, ...(experience > 0 ? { experience } : {}) });
  changes.ships.push({ shipId: ship.id, fighters: -engagement.attacker_fighters_lost, shields: -engagement.attacker_shields_lost });
  change.fighters = (change.fighters ?? 0) - engagement.defender_fighters_lost;
  change.shields = (change.shields ?? 0) - engagement.defender_shields_lost;
  if (captured) {
    change.ownerUserId = pilot.userId;
    if (context.owner && context.owner.pilot.userId === planet.ownerUserId && context.owner.pilot.landedPlanetId === planet.id)
      changes.pilots.push({ userId: context.owner.pilot.userId, landed: { planetId: null } });
  }
  const sectorId = context.sector.id;
  const defenderName = planet.ownerName ? `${planet.name} (${planet.ownerName})` : planet.name;
  changes.combatLogs.push({
    id: context.logId,
    regionId: context.sector.regionId,
    sectorId,
    attackerUserId: pilot.userId,
    defenderUserId: planet.ownerUserId,
    attackerName: pilot.name,
    defenderName,
    seed: context.seed,
    result: engagement.result,
    detail: { ...engagement, kind: 'attack_planet', planet_id: planet.id, captured },
  });
  const summary = {
    log_id: context.logId,
    sector_id: sectorId,
    attacker: pilot.name,
    defender: defenderName,
    result: engagement.result,
    rounds: engagement.rounds.length,
    attacker_fighters_lost: engagement.attacker_fighters_lost,
    defender_fighters_lost: engagement.defender_fighters_lost,
    destroyed: captured,
  };
  changes.events.push(
    { topic: topics.player(pilot.userId), type: 'combat.resolved', data: summary },
    { topic: topics.sector(sectorId), type: 'sector.combat', data: summary },
  );
  if (planet.ownerUserId) {
    changes.events.push(
      { topic: topics.player(planet.ownerUserId), type: 'combat.resolved', data: summary },
      {
        topic: topics.player(planet.ownerUserId),
        type: 'planet.attacked',
        data: {
          planet_id: planet.id,
          planet: planet.name,
          sector_id: sectorId,
          attacker: pilot.name,
          log_id: context.logId,
          fighters_lost: engagement.defender_fighters_lost,
          shields_lost: engagement.defender_shields_lost,
          captured,
        },
      },
    );
  }
  if (captured) {
    changes.events.push({
      topic: topics.global,
      type: 'planet.captured',
      data: {
        planet_id: planet.id,
        planet: planet.name,
        sector_id: sectorId,
        captured_by: pilot.name,
        previous_owner: planet.ownerName,
        log_id: context.logId,
      },
    });
  }
  return {
    changes,
    outcome: {
      log_id: context.logId,
      planet_id: planet.id,
      planet: planet.name,
      sector_id: sectorId,
      committed: order.fighters,
      result: engagement.result,
      seed: context.seed,
      fighters_lost: engagement.attacker_fighters_lost,
      shields_lost: engagement.attacker_shields_lost,
      planet_fighters_lost: engagement.defender_fighters_lost,
      planet_shields_lost: engagement.defender_shields_lost,
      captured,
      experience_gained: experience,
      engagement,
    },
  };
}

/** A planet after a change set (how a handler answers with the state it wrote). */
export function planetAfter(planet: Planet, changes: ChangeSet): Planet {
  const next: Planet = { ...planet, stock: { ...planet.stock }, allocation: { ...planet.allocation } };
  for (const change of changes.planets) {
    if (change.id !== planet.id) continue;
    for (const [good, delta] of Object.entries(change.stock ?? {}) as [PlanetGood, number][]) next.stock[good] += delta;
    next.colonists += change.colonists ?? 0;
    next.fighters += change.fighters ?? 0;
    next.shields += change.shields ?? 0;
    if (change.ownerUserId !== undefined) next.ownerUserId = change.ownerUserId;
    if (change.allocation) next.allocation = { ...change.allocation };
    if (change.citadel) {
      next.citadelLevel = change.citadel.level;
      next.building = change.citadel.building;
    }
    if (change.anchorMs !== undefined) next.anchorMs = change.anchorMs;
  }
  return next;
}

/** Net-worth value of a planet: stock and colonists at base prices, fighters at the Stardock price, citadel credits spent. */
export function planetWorth(
  planet: Pick<Planet, 'stock' | 'colonists' | 'fighters' | 'citadelLevel'>,
  prices: { ore: number; organics: number; equipment: number; colonists: number; fighter: number },
): number {
  let citadel = 0;
  for (let level = 1; level <= planet.citadelLevel; level++) citadel += citadelOf(level).credits;
  return (
    planet.stock.ore * prices.ore +
    planet.stock.organics * prices.organics +
    planet.stock.equipment * prices.equipment +
    planet.colonists * prices.colonists +
    planet.fighters * prices.fighter +
    citadel
  );
}
