import { topics } from '../contract/topics.js';
import { PIRATE, POLICE } from './catalog/npcs.js';
import { HULLS } from './catalog/hulls.js';
import { type ChangeSet, type Decision, noChanges } from './changes.js';
import { isProtected, type Protection, type Target } from './combat.js';
import { cargoUsed, type Crew, type GameTime } from './pilot.js';
import type { Random } from './random.js';

export type PirateMove = { kind: 'attack'; target: Target; fighters: number } | { kind: 'flee'; to: number } | { kind: 'roam'; to: number } | { kind: 'idle' };

/**
 * A pirate's choice for a window, pure: flee a sector holding a stronger pilot; else, at the
 * configured rate, raid the weakest trader here that carries cargo and few fighters (never a pod,
 * a protected pilot, or in FedSpace); else roam to a neighbouring frontier sector.
 */
export function decidePirate(
  pirate: Crew,
  here: readonly Target[],
  neighbours: readonly number[],
  context: { fedspace: boolean; rate: number; protection: Protection; random: Random },
  at: GameTime,
): PirateMove {
  const mine = pirate.ship.fighters;
  const roll = context.random.next();
  const to = neighbours.length > 0 ? context.random.pick([...neighbours].sort((a, b) => a - b)) : null;
  const humans = here.filter((t) => !t.crew.pilot.npc && t.crew.ship.hull !== 'escape_pod');
  if (humans.some((t) => t.crew.ship.fighters > mine * PIRATE.fleeShare)) return to === null ? { kind: 'idle' } : { kind: 'flee', to };
  if (!context.fedspace && roll < context.rate) {
    const weak = humans
      .filter((t) => cargoUsed(t.crew.ship) > 0 && t.crew.ship.fighters < mine * PIRATE.weakShare && !isProtected(t, context.protection, at))
      .sort((a, b) => a.crew.ship.fighters - b.crew.ship.fighters || (a.crew.pilot.userId < b.crew.pilot.userId ? -1 : 1));
    if (weak[0]) return { kind: 'attack', target: weak[0], fighters: Math.max(1, Math.floor(mine * PIRATE.commitShare)) };
  }
  return to === null ? { kind: 'idle' } : { kind: 'roam', to };
}

/** A destroyed pirate's pod refitted as a pirate ship at a frontier sector. */
export function respawnPirate(pirate: Crew, at: { sectorId: number; regionId: number }): ChangeSet {
  const hull = HULLS[PIRATE.hullId];
  const changes = noChanges();
  changes.ships.push({
    shipId: pirate.ship.id,
    hull: PIRATE.hullId,
    holds: hull.holds - pirate.ship.holds,
    fighters: PIRATE.fighters - pirate.ship.fighters,
    shields: PIRATE.shields - pirate.ship.shields,
  });
  changes.pilots.push({ userId: pirate.pilot.userId, position: at });
  changes.events.push({
    topic: topics.sector(at.sectorId),
    type: 'sector.arrived',
    data: { sector_id: at.sectorId, player: pirate.pilot.name, hull: PIRATE.hullId },
  });
  return changes;
}

/** The bounty on a destroyed pirate, to the pilot who destroyed it, through the ledger. */
export function bountyChanges(hunter: { userId: string }, pirateName: string, logId: string): ChangeSet {
  const changes = noChanges();
  changes.credits.push({ userId: hunter.userId, delta: PIRATE.bounty, reason: 'pirate_bounty', ref: { log_id: logId, pirate: pirateName } });
  changes.events.push({ topic: topics.player(hunter.userId), type: 'bounty.paid', data: { pirate: pirateName, log_id: logId, credits: PIRATE.bounty } });
  return changes;
}

export interface FineOutcome {
  fined: number;
}

/**
 * The Federation police in FedSpace: a wanted pilot (alignment below the threshold: it attacked
 * good pilots) is fined what it can pay, up to the cap, which clears its alignment to 0; good
 * pilots are never touched.
 */
export function decideFine(crew: Crew, sector: { fedspace: boolean }): Decision<FineOutcome> {
  const changes = noChanges();
  const { pilot } = crew;
  if (!sector.fedspace || pilot.npc || pilot.alignment >= POLICE.alignmentBelow) return { changes, outcome: { fined: 0 } };
  const fine = Math.min(pilot.credits, POLICE.maxFine, -pilot.alignment * POLICE.finePerPoint);
  if (fine <= 0) return { changes, outcome: { fined: 0 } };
  changes.credits.push({ userId: pilot.userId, delta: -fine, reason: 'federation_fine', ref: { sector_id: pilot.sectorId, alignment: pilot.alignment } });
  // A fine paid clears the record: the pilot is not fined again until it attacks good pilots again.
  changes.pilots.push({ userId: pilot.userId, alignment: -pilot.alignment });
  changes.events.push({
    topic: topics.player(pilot.userId),
    type: 'police.fined',
    data: { sector_id: pilot.sectorId, credits: fine, alignment: pilot.alignment },
  });
  return { changes, outcome: { fined: fine } };
}
