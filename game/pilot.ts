import { type ChangeSet, noChanges } from './changes.js';
import type { Commodity } from './catalog/goods.js';
import { HULLS, type HullDef, type HullId } from './catalog/hulls.js';
import { TURN_POOL } from './catalog/turns.js';
import { maxTurnsFor, regenTurns, type TurnRegen, type TurnState } from './turns.js';

/** A pilot as the rules see it: who, where, and what it has that is not aboard its ship. */
export interface Pilot {
  userId: string;
  name: string;
  regionId: number;
  sectorId: number;
  shipId: number;
  credits: number;
  turns: number;
  turnsAnchorMs: number;
  experience: number;
  alignment: number;
  /** an NPC run by the jobs process, not an account */
  npc: boolean;
  /** the planet it is landed on, if any (any move clears it) */
  landedPlanetId: number | null;
}

export type Cargo = Record<Commodity, number>;

export interface Ship {
  id: number;
  hull: HullId;
  holds: number;
  fighters: number;
  shields: number;
  mines: number;
  genesisTorpedoes: number;
  cargo: Cargo;
}

/** A pilot aboard its ship: the unit most decisions act on. */
export interface Crew {
  pilot: Pilot;
  ship: Ship;
}

/** The clock and the game's speed, handed to every rule that moves with time. */
export interface GameTime {
  nowMs: number;
  /** GAME_TIME_SCALE */
  timeScale: number;
}

export function hullOf(ship: Pick<Ship, 'hull'>): HullDef {
  const hull = HULLS[ship.hull];
  if (!hull) throw new Error(`unknown hull ${ship.hull}`);
  return hull;
}

export function cargoUsed(ship: Pick<Ship, 'cargo'>): number {
  return ship.cargo.ore + ship.cargo.organics + ship.cargo.equipment + ship.cargo.colonists;
}

export function freeHolds(ship: Pick<Ship, 'cargo' | 'holds'>): number {
  return ship.holds - cargoUsed(ship);
}

export function turnRegenFor(pilot: Pick<Pilot, 'experience'>, timeScale: number): TurnRegen {
  return { max: maxTurnsFor(pilot.experience), perDay: TURN_POOL.perDay, timeScale };
}

export function turnStateOf(pilot: Pick<Pilot, 'turns' | 'turnsAnchorMs'>): TurnState {
  return { turns: pilot.turns, anchorMs: pilot.turnsAnchorMs };
}

/** The pilot's turn pool brought up to `at`. */
export function currentTurns(pilot: Pick<Pilot, 'turns' | 'turnsAnchorMs' | 'experience'>, at: GameTime): TurnState {
  return regenTurns(turnStateOf(pilot), at.nowMs, turnRegenFor(pilot, at.timeScale));
}

/** What a new pilot is handed: its credits (through the ledger) and, for a player, its first known sector. */
export function startingChanges(start: {
  userId: string;
  sectorId: number;
  credits: number;
  reason: string;
  ref?: Record<string, unknown>;
  remember: boolean;
}): ChangeSet {
  const changes = noChanges();
  changes.credits.push({ userId: start.userId, delta: start.credits, reason: start.reason, ...(start.ref ? { ref: start.ref } : {}) });
  if (start.remember) changes.knownSectors.push({ userId: start.userId, sectorId: start.sectorId, snapshot: null });
  return changes;
}
