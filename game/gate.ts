import { topics } from '../contract/topics.js';
import { type ChangeSet, type Decision, noChanges } from './changes.js';
import { decideMove, type Hop, type Passage } from './movement.js';
import type { Crew, GameTime, Ship } from './pilot.js';
import { refuse } from './refusals.js';

/**
 * A gate crossing into a region that lives in another shard (multi-regional mode). The source
 * shard decides the departure: the same checks and turn cost as any warp hop, but instead of
 * moving, the pilot and its ship are frozen in transit and the transfer carries everything the
 * target shard needs to recreate them. Nothing of value is created or destroyed here: the
 * target credits what the payload says, and the source debits the same when it finalizes.
 */
export interface GatePayload {
  transferId: string;
  userId: string;
  name: string;
  fromRegionId: number;
  toRegionId: number;
  fromSectorId: number;
  toSectorId: number;
  credits: number;
  /** the pool after paying for the hop, and its anchor */
  turns: { turns: number; anchorMs: number };
  experience: number;
  alignment: number;
  /** this crossing's number: the nexus's pilot home follows only forward */
  moves: number;
  ship: Ship;
}

export interface GateDeparture {
  hop: Hop;
  payload: GatePayload;
}

export interface GateTransferChange {
  id: string;
  /** a new outgoing transfer, pending */
  create?: { userId: string; fromRegionId: number; toRegionId: number; payload: GatePayload };
  /** the state it moves to */
  state?: 'done' | 'rolled_back';
}

export function decideGateDeparture(
  crew: Crew,
  to: number,
  passage: Passage & { gate: boolean; moves: number; inTransit: boolean },
  ids: { transferId: string; toRegionSlug: string },
  at: GameTime,
): Decision<GateDeparture> {
  if (passage.inTransit) return refuse('in_transit');
  if (passage.warp === 'out' && !passage.gate) return refuse('not_adjacent', `Sector ${to} is in another region and only a gate leads there`);
  const move = decideMove(crew, to, passage, at, { remember: false });
  if ('refused' in move) return move;
  const { pilot, ship } = crew;
  const spent = move.changes.pilots[0]!.turns!;
  const payload: GatePayload = {
    transferId: ids.transferId,
    userId: pilot.userId,
    name: pilot.name,
    fromRegionId: pilot.regionId,
    toRegionId: passage.toRegionId,
    fromSectorId: pilot.sectorId,
    toSectorId: to,
    credits: pilot.credits,
    turns: spent,
    experience: pilot.experience,
    alignment: pilot.alignment,
    moves: passage.moves + 1,
    ship,
  };
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, transit: { id: ids.transferId } });
  changes.ships.push({ shipId: ship.id, transit: { id: ids.transferId } });
  changes.transfers = [{ id: ids.transferId, create: { userId: pilot.userId, fromRegionId: pilot.regionId, toRegionId: passage.toRegionId, payload } }];
  changes.events.push(
    {
      topic: topics.player(pilot.userId),
      type: 'player.gate_departed',
      data: { transfer_id: ids.transferId, from: pilot.sectorId, to, to_region: ids.toRegionSlug },
    },
    { topic: topics.sector(pilot.sectorId), type: 'sector.departed', data: { sector_id: pilot.sectorId, player: pilot.name } },
  );
  return { changes, outcome: { hop: move.outcome, payload } };
}

/**
 * The source's last word on a transfer the target applied: the pilot leaves this shard's books
 * (its credits through the ledger, so ledger = balances holds here too).
 */
export function gateFinalized(payload: GatePayload): ChangeSet {
  const changes = noChanges();
  changes.pilots.push({ userId: payload.userId, transit: { id: null } });
  changes.ships.push({ shipId: payload.ship.id, transit: { id: null } });
  if (payload.credits !== 0) {
    changes.credits.push({
      userId: payload.userId,
      delta: -payload.credits,
      reason: 'gate_departure',
      ref: { transfer_id: payload.transferId, to_region_id: payload.toRegionId },
    });
  }
  changes.transfers = [{ id: payload.transferId, state: 'done' }];
  return changes;
}

/** The target refused the transfer: the pilot stays where it was, with everything it had. */
export function gateRolledBack(payload: GatePayload, regionSlug: string): ChangeSet {
  const changes = noChanges();
  changes.pilots.push({ userId: payload.userId, transit: { id: null } });
  changes.ships.push({ shipId: payload.ship.id, transit: { id: null } });
  changes.transfers = [{ id: payload.transferId, state: 'rolled_back' }];
  changes.events.push({
    topic: topics.player(payload.userId),
    type: 'player.gate_arrived',
    data: { transfer_id: payload.transferId, sector_id: payload.fromSectorId, region: regionSlug, rolled_back: true },
  });
  return changes;
}

/** What the target writes through the applier once the pilot's rows exist there: its credits and its arrival. */
export function gateArrived(payload: GatePayload, regionSlug: string, snapshot: unknown): ChangeSet {
  const changes = noChanges();
  if (payload.credits !== 0) {
    changes.credits.push({
      userId: payload.userId,
      delta: payload.credits,
      reason: 'gate_arrival',
      ref: { transfer_id: payload.transferId, from_region_id: payload.fromRegionId },
    });
  }
  changes.knownSectors.push({ userId: payload.userId, sectorId: payload.toSectorId, snapshot });
  changes.events.push(
    {
      topic: topics.player(payload.userId),
      type: 'player.gate_arrived',
      data: { transfer_id: payload.transferId, sector_id: payload.toSectorId, region: regionSlug, rolled_back: false },
    },
    {
      topic: topics.sector(payload.toSectorId),
      type: 'sector.arrived',
      data: { sector_id: payload.toSectorId, player: payload.name, hull: payload.ship.hull },
    },
  );
  return changes;
}
