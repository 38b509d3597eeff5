import { BUYABLE_HULL_IDS, type BuyableHullId, HULLS, type HullDef } from './catalog/hulls.js';
import { EQUIPMENT_ITEMS, type EquipmentItem, STARDOCK } from './catalog/stardock.js';
import { type Decision, noChanges } from './changes.js';
import { type Crew, cargoUsed, hullOf, type Ship } from './pilot.js';
import { type Refusal, refuse } from './refusals.js';

/** What the Stardock pays for the ship's current hull when you buy another: half its list price. */
export function tradeInValue(ship: Pick<Ship, 'hull'>): number {
  return Math.floor((hullOf(ship).cost ?? 0) * STARDOCK.tradeInRate);
}

/** Holds bought on top of what the hull came with. */
export function extraHolds(ship: Pick<Ship, 'hull' | 'holds'>): number {
  return Math.max(0, ship.holds - hullOf(ship).holds);
}

/** The price of `quantity` more holds when the ship already has `extra` bought ones: each costs a step more. */
export function holdsPrice(extra: number, quantity: number): number {
  return quantity * STARDOCK.holdBasePrice + STARDOCK.holdPriceStep * (quantity * extra + (quantity * (quantity - 1)) / 2);
}

/** What carries into a new hull: as much as it holds (cargo must fit whole, or the purchase is refused). */
export function carryOver(ship: Ship, hull: HullDef) {
  return {
    cargo_fits: cargoUsed(ship) <= hull.holds,
    fighters: Math.min(ship.fighters, hull.maxFighters),
    shields: Math.min(hull.maxShields, Math.max(ship.shields, hull.startingShields)),
    mines: Math.min(ship.mines, hull.maxMines),
    genesis_torpedoes: Math.min(ship.genesisTorpedoes, hull.maxGenesisTorpedoes),
  };
}

export interface HullOffer {
  id: BuyableHullId;
  name: string;
  price: number;
  holds: number;
  max_holds: number;
  max_fighters: number;
  max_shields: number;
  starting_shields: number;
  turns_per_warp: number;
  trade_in: number;
  /** what you pay after the trade-in (negative: the Stardock pays you) */
  net_cost: number;
  carry_over: ReturnType<typeof carryOver>;
  blocked_by: 'same_hull' | 'cargo_would_not_fit' | 'insufficient_credits' | null;
}

function hullObstacle(crew: Crew, hull: HullDef, netCost: number): HullOffer['blocked_by'] {
  if (crew.ship.hull === hull.id) return 'same_hull';
  if (cargoUsed(crew.ship) > hull.holds) return 'cargo_would_not_fit';
  if (netCost > crew.pilot.credits) return 'insufficient_credits';
  return null;
}

export function hullOffers(crew: Crew): HullOffer[] {
  const tradeIn = tradeInValue(crew.ship);
  return BUYABLE_HULL_IDS.map((id) => {
    const hull = HULLS[id];
    const price = hull.cost ?? 0;
    return {
      id,
      name: hull.name,
      price,
      holds: hull.holds,
      max_holds: hull.maxHolds,
      max_fighters: hull.maxFighters,
      max_shields: hull.maxShields,
      starting_shields: hull.startingShields,
      turns_per_warp: hull.turnsPerWarp,
      trade_in: tradeIn,
      net_cost: price - tradeIn,
      carry_over: carryOver(crew.ship, hull),
      blocked_by: hullObstacle(crew, hull, price - tradeIn),
    };
  });
}

export interface EquipmentOffer {
  item: EquipmentItem;
  /** the price of the next unit */
  unit_price: number;
  owned: number;
  capacity: number;
  /** the most you can buy now: room on the hull and credits permitting */
  max_quantity: number;
}

function owned(ship: Ship, item: EquipmentItem): number {
  switch (item) {
    case 'holds':
      return ship.holds;
    case 'fighters':
      return ship.fighters;
    case 'shields':
      return ship.shields;
    case 'mines':
      return ship.mines;
    case 'genesis_torpedoes':
      return ship.genesisTorpedoes;
  }
}

function capacity(hull: HullDef, item: EquipmentItem): number {
  switch (item) {
    case 'holds':
      return hull.maxHolds;
    case 'fighters':
      return hull.maxFighters;
    case 'shields':
      return hull.maxShields;
    case 'mines':
      return hull.maxMines;
    case 'genesis_torpedoes':
      return hull.maxGenesisTorpedoes;
  }
}

/** What `quantity` units of `item` cost this ship now. */
export function equipmentPrice(ship: Ship, item: EquipmentItem, quantity: number): number {
  if (item === 'holds') return holdsPrice(extraHolds(ship), quantity);
  return STARDOCK.unitPrice[item] * quantity;
}

/** The most units of `item` the ship has room for and `credits` pay for. */
export function maxPurchase(ship: Ship, item: EquipmentItem, credits: number): number {
  const room = Math.max(0, capacity(hullOf(ship), item) - owned(ship, item));
  if (item !== 'holds') return Math.min(room, Math.floor(credits / STARDOCK.unitPrice[item]));
  // Prices rise with each hold: the largest affordable count, by bisection over the room.
  let lo = 0;
  let hi = room;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (equipmentPrice(ship, 'holds', mid) <= credits) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function equipmentOffers(crew: Crew): EquipmentOffer[] {
  const { ship, pilot } = crew;
  const hull = hullOf(ship);
  return EQUIPMENT_ITEMS.map((item) => ({
    item,
    unit_price: equipmentPrice(ship, item, 1),
    owned: owned(ship, item),
    capacity: capacity(hull, item),
    max_quantity: maxPurchase(ship, item, pilot.credits),
  }));
}

export interface HullPurchase {
  hull: BuyableHullId;
  hull_name: string;
  price: number;
  trade_in: number;
  net_cost: number;
  /** what did not fit and was left at the Stardock */
  fighters_dropped: number;
  credits_after: number;
}

function stardockObstacle(atStardock: boolean): Refusal | null {
  return atStardock ? null : refuse('no_stardock', 'Fly to the Stardock to buy ships and hardware').refused;
}

/**
 * Buy a hull at the Stardock, trading in the current one at half its list price. Cargo, fighters,
 * shields, mines and torpedoes carry over as far as the new hull holds them; cargo that would
 * not fit refuses the purchase instead of being destroyed. Extra holds stay with the old hull.
 */
export function decideHullPurchase(crew: Crew, hullId: BuyableHullId, atStardock: boolean): Decision<HullPurchase> {
  const blocked = stardockObstacle(atStardock);
  if (blocked) return { refused: blocked };
  const { pilot, ship } = crew;
  const hull = HULLS[hullId];
  const price = hull.cost ?? 0;
  const tradeIn = tradeInValue(ship);
  const netCost = price - tradeIn;
  const obstacle = hullObstacle(crew, hull, netCost);
  if (obstacle === 'same_hull') return refuse('same_hull', `You already fly a ${hull.name}`);
  if (obstacle === 'cargo_would_not_fit') {
    return refuse('cargo_would_not_fit', `You carry ${cargoUsed(ship)} units; a ${hull.name} has ${hull.holds} holds`, {
      available: hull.holds,
      needed: cargoUsed(ship),
    });
  }
  if (obstacle === 'insufficient_credits') {
    return refuse('insufficient_credits', `That costs ${netCost} credits after the trade-in; you have ${pilot.credits}`, {
      available: pilot.credits,
      needed: netCost,
    });
  }
  const carried = carryOver(ship, hull);
  const changes = noChanges();
  changes.ships.push({
    shipId: ship.id,
    hull: hull.id,
    holds: hull.holds - ship.holds,
    fighters: carried.fighters - ship.fighters,
    shields: carried.shields - ship.shields,
    mines: carried.mines - ship.mines,
    genesisTorpedoes: carried.genesis_torpedoes - ship.genesisTorpedoes,
  });
  if (tradeIn > 0) changes.credits.push({ userId: pilot.userId, delta: tradeIn, reason: 'stardock_trade_in', ref: { hull: ship.hull } });
  changes.credits.push({ userId: pilot.userId, delta: -price, reason: 'stardock_hull', ref: { hull: hull.id } });
  return {
    changes,
    outcome: {
      hull: hullId,
      hull_name: hull.name,
      price,
      trade_in: tradeIn,
      net_cost: netCost,
      fighters_dropped: ship.fighters - carried.fighters,
      credits_after: pilot.credits - netCost,
    },
  };
}

export interface EquipmentPurchase {
  item: EquipmentItem;
  quantity: number;
  total: number;
  credits_after: number;
}

/** Buy hardware at the Stardock: room on the hull first, then credits. */
export function decideEquipment(crew: Crew, item: EquipmentItem, quantity: number, atStardock: boolean): Decision<EquipmentPurchase> {
  const blocked = stardockObstacle(atStardock);
  if (blocked) return { refused: blocked };
  const { pilot, ship } = crew;
  if (!Number.isInteger(quantity) || quantity < 1) return refuse('invalid_quantity');
  const hull = hullOf(ship);
  const room = Math.max(0, capacity(hull, item) - owned(ship, item));
  if (quantity > room) return refuse('exceeds_capacity', `A ${hull.name} has room for ${room} more ${item}`, { available: room });
  const total = equipmentPrice(ship, item, quantity);
  if (total > pilot.credits)
    return refuse('insufficient_credits', `That costs ${total} credits; you have ${pilot.credits}`, { available: pilot.credits, needed: total });
  const changes = noChanges();
  const key = item === 'genesis_torpedoes' ? 'genesisTorpedoes' : item;
  changes.ships.push({ shipId: ship.id, [key]: quantity });
  changes.credits.push({ userId: pilot.userId, delta: -total, reason: 'stardock_equipment', ref: { item, quantity } });
  return { changes, outcome: { item, quantity, total, credits_after: pilot.credits - total } };
}
