import { topics } from '../contract/topics.js';
import { type Decision, noChanges } from './changes.js';
import { type Crew, currentTurns, type GameTime } from './pilot.js';
import { refuse } from './refusals.js';

/**
 * What admins do to the game, decided like play: a refusal or a change set, which the one applier
 * writes. An admin's credit adjustment is a ledger row like any other (reason `admin_adjustment`,
 * with who and why in its ref), so balances still equal the ledger.
 */
export interface CreditAdjustment {
  before: number;
  after: number;
  delta: number;
}

export const ADMIN_CREDITS_REASON = 'admin_adjustment';

export function decideCreditAdjustment(crew: Crew, delta: number, by: { adminId: string; reason: string }): Decision<CreditAdjustment> {
  const before = crew.pilot.credits;
  if (!Number.isSafeInteger(delta) || delta === 0) return refuse('invalid_quantity', 'The adjustment is a whole number of credits, not 0');
  if (before + delta < 0) {
    return refuse('insufficient_credits', `The pilot has ${before}; taking ${-delta} would leave less than 0`, { available: before, needed: -delta });
  }
  const changes = noChanges();
  changes.credits.push({ userId: crew.pilot.userId, delta, reason: ADMIN_CREDITS_REASON, ref: { admin_id: by.adminId, note: by.reason } });
  return { changes, outcome: { before, after: before + delta, delta } };
}

/** Where an admin sends a pilot: the sector, its region, and whether the pilot knew it. */
export interface Destination {
  sectorId: number;
  /** null: there is no such sector */
  regionId: number | null;
  known: boolean;
}

export interface AdminMove {
  from: number;
  to: number;
  regionId: number;
}

/**
 * An admin moves a pilot (stuck, or in the wrong place after a bug): no warp, no turns, no
 * experience. The pilot, its ship's region, its known space and the realtime subscription (the
 * `player.moved` event) follow, as after a warp.
 */
export function decideAdminMove(crew: Crew, to: Destination, at: GameTime): Decision<AdminMove> {
  const { pilot, ship } = crew;
  const from = pilot.sectorId;
  if (to.regionId === null) return refuse('sector_not_found', `There is no sector ${to.sectorId}`);
  if (to.sectorId === from) return refuse('already_here', `The pilot is already in sector ${from}`);
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, position: { sectorId: to.sectorId, regionId: to.regionId }, cameFrom: from });
  if (to.regionId !== pilot.regionId) changes.ships.push({ shipId: ship.id, regionId: to.regionId });
  changes.knownSectors.push({ userId: pilot.userId, sectorId: to.sectorId, snapshot: null });
  changes.events.push(
    {
      topic: topics.player(pilot.userId),
      type: 'player.moved',
      data: { from, to: to.sectorId, turns_left: currentTurns(pilot, at).turns, first_visit: !to.known },
    },
    { topic: topics.sector(from), type: 'sector.departed', data: { sector_id: from, player: pilot.name } },
    { topic: topics.sector(to.sectorId), type: 'sector.arrived', data: { sector_id: to.sectorId, player: pilot.name, hull: ship.hull } },
  );
  return { changes, outcome: { from, to: to.sectorId, regionId: to.regionId } };
}
