import type { DomainEvent } from '../contract/events.js';
import type { HullId } from './catalog/hulls.js';
import type { Cargo, Crew, Pilot, Ship } from './pilot.js';
import type { GateTransferChange } from './gate.js';
import type { Refusal } from './refusals.js';

/**
 * What a decision changes: rows by id, deltas where the database should add (so concurrent
 * writers of other columns never clobber each other) and values where the rule computed the
 * new state (turns, stock, position). One applier (world/applier.ts) writes any change set in
 * one statement; credits change only through `credits`, each entry a ledger row.
 */
export interface ChangeSet {
  pilots: PilotChange[];
  ships: ShipChange[];
  portGoods: PortGoodChange[];
  credits: CreditEntry[];
  knownSectors: KnownSectorChange[];
  /** wrecks left by a destruction, or salvaged from */
  wrecks: WreckChange[];
  /** combat logs written by an engagement */
  combatLogs: CombatLogRecord[];
  /** deployed fighters and mines: a stack created, added to or used up */
  defenses: DefenseChange[];
  /** planets created, or their colony changed (game/planets.ts) */
  planets: PlanetChange[];
  /** gate hand-offs to another shard (game/gate.ts); only gate crossings have any */
  transfers?: GateTransferChange[];
  events: DomainEvent[];
}

/**
 * A planet: `create` makes it (its id chosen by the action's read); the rest are deltas added to
 * what the row holds (stock, colonists, fighters, shields) and values where the rule computed
 * the new state (owner, allocation, citadel, production anchor). The row was locked by the read.
 */
export interface PlanetChange {
  id: number;
  create?: { sectorId: number; regionId: number; name: string; planetType: string; ownerUserId: string; anchorMs: number };
  /** added per good */
  stock?: Partial<Record<'ore' | 'organics' | 'equipment', number>>;
  /** added */
  colonists?: number;
  /** added */
  fighters?: number;
  /** added */
  shields?: number;
  /** the new owner (a capture) */
  ownerUserId?: string;
  /** percent per product */
  allocation?: { ore: number; organics: number; equipment: number; fighters: number };
  /** the citadel as it now stands: its level and the build in progress (null: none) */
  citadel?: { level: number; building: { level: number; doneAtMs: number } | null };
  /** production counted up to here */
  anchorMs?: number;
}

export interface PilotChange {
  userId: string;
  /** the regenerated pool after spending, and the anchor it counts from */
  turns?: { turns: number; anchorMs: number };
  /** added */
  experience?: number;
  /** added */
  alignment?: number;
  /** where the pilot now is */
  position?: { sectorId: number; regionId: number };
  /** the sector it flew in from (a retreat from defensive fighters goes back there) */
  cameFrom?: number;
  /**
   * Landed on a planet (`{ planetId }`) or took off (`{ planetId: null }`). A change of sector
   * without one takes off by itself: no pilot flies away still landed.
   */
  landed?: { planetId: number | null };
  /** frozen for a gate hand-off (`{ id }`) or released (`{ id: null }`): see game/gate.ts */
  transit?: { id: string | null };
}

/**
 * A stack of deployed fighters or mines: `quantity` added (negative: used up or recalled);
 * `create` makes the stack (or adds to the owner's stack of that kind there); `set` gives its
 * mode, toll and owning team.
 */
export interface DefenseChange {
  id: string;
  quantity: number;
  create?: { sectorId: number; regionId: number; ownerUserId: string; ownerName: string; kind: 'fighters' | 'mines' };
  set?: { mode: 'defensive' | 'toll' | 'offensive' | null; toll: number; teamId: number | null };
}

export interface ShipChange {
  shipId: number;
  /** added per good; positive loads, negative unloads */
  cargo?: Partial<Cargo>;
  /** added */
  fighters?: number;
  /** added */
  shields?: number;
  /** added */
  holds?: number;
  /** added */
  mines?: number;
  /** added */
  genesisTorpedoes?: number;
  /** the hull the ship now is (a purchase, or an ejection into an Escape Pod) */
  hull?: HullId;
  regionId?: number;
  /** frozen for a gate hand-off, or released (with its pilot) */
  transit?: { id: string | null };
}

/** A new wreck (with `create`) or cargo taken from one (`cargo` added, negative). */
export type WreckChange =
  | {
      create: {
        id: string;
        sectorId: number;
        regionId: number;
        victimName: string;
        combatLogId: string;
        cargo: Cargo;
        expiresAtMs: number;
      };
    }
  | { id: string; cargo: Partial<Cargo> };

/** One engagement as stored: both sides, the seed, the rounds and the result. */
export interface CombatLogRecord {
  id: string;
  regionId: number;
  sectorId: number;
  attackerUserId: string;
  /** null: an unowned planet */
  defenderUserId: string | null;
  attackerName: string;
  defenderName: string;
  seed: string;
  /** what the log shows: rounds, losses, result (game/combat.ts Engagement) */
  detail: unknown;
  result: string;
}

export interface PortGoodChange {
  portId: number;
  good: string;
  /** the stock after the trade, at `anchorMs` (drift up to then is included) */
  stock: number;
  anchorMs: number;
}

/** One ledger row: the one way credits change. */
export interface CreditEntry {
  userId: string;
  delta: number;
  reason: string;
  ref?: Record<string, unknown>;
}

/** Remember a sector for a pilot; with a snapshot, what it saw there (null keeps the last one). */
export interface KnownSectorChange {
  userId: string;
  sectorId: number;
  snapshot: unknown | null;
}

/** A decision: a refusal, or what changes and what the actor is told. */
export type Decision<Outcome> = { refused: Refusal } | { changes: ChangeSet; outcome: Outcome };

export function noChanges(): ChangeSet {
  return { pilots: [], ships: [], portGoods: [], credits: [], knownSectors: [], wrecks: [], combatLogs: [], defenses: [], planets: [], events: [] };
}

/** Several change sets as one, in order (a later value for the same row wins; deltas add up). */
export function mergeChanges(...sets: ChangeSet[]): ChangeSet {
  const merged = noChanges();
  for (const set of sets) {
    merged.pilots.push(...set.pilots);
    merged.ships.push(...set.ships);
    merged.portGoods.push(...set.portGoods);
    merged.credits.push(...set.credits);
    merged.knownSectors.push(...set.knownSectors);
    merged.wrecks.push(...set.wrecks);
    merged.combatLogs.push(...set.combatLogs);
    merged.defenses.push(...set.defenses);
    merged.planets.push(...set.planets);
    if (set.transfers) (merged.transfers ??= []).push(...set.transfers);
    merged.events.push(...set.events);
  }
  return merged;
}

/**
 * A crew as it stands after a change set: how a decision made of several steps (an NPC's leg,
 * an autopilot's hops) sees the result of one step before deciding the next, and how a handler
 * describes the state it answers with. The database applies the same arithmetic.
 */
export function crewAfter(crew: Crew, changes: ChangeSet): Crew {
  return { pilot: pilotAfter(crew.pilot, changes), ship: shipAfter(crew.ship, changes) };
}

export function pilotAfter(pilot: Pilot, changes: ChangeSet): Pilot {
  const next = { ...pilot };
  for (const entry of changes.credits) if (entry.userId === pilot.userId) next.credits += entry.delta;
  for (const change of changes.pilots) {
    if (change.userId !== pilot.userId) continue;
    if (change.turns) {
      next.turns = change.turns.turns;
      next.turnsAnchorMs = change.turns.anchorMs;
    }
    next.experience += change.experience ?? 0;
    next.alignment += change.alignment ?? 0;
    if (change.position) {
      if (change.position.sectorId !== next.sectorId) next.landedPlanetId = null;
      next.sectorId = change.position.sectorId;
      next.regionId = change.position.regionId;
    }
    if (change.landed) next.landedPlanetId = change.landed.planetId;
  }
  return next;
}

export function shipAfter(ship: Ship, changes: ChangeSet): Ship {
  const next = { ...ship, cargo: { ...ship.cargo } };
  for (const change of changes.ships) {
    if (change.shipId !== ship.id) continue;
    for (const [good, delta] of Object.entries(change.cargo ?? {}) as [keyof Cargo, number][]) next.cargo[good] += delta;
    next.fighters += change.fighters ?? 0;
    next.shields += change.shields ?? 0;
    next.holds += change.holds ?? 0;
    next.mines += change.mines ?? 0;
    next.genesisTorpedoes += change.genesisTorpedoes ?? 0;
    if (change.hull) next.hull = change.hull;
  }
  return next;
}
