import { topics } from '../contract/topics.js';
import { EXPERIENCE } from './catalog/experience.js';
import { type Decision, noChanges } from './changes.js';
import { type Crew, type GameTime, hullOf, turnRegenFor } from './pilot.js';
import { refuse } from './refusals.js';
import { spendTurns } from './turns.js';

/** What the world says about the warp a pilot wants to fly, read where the pilot stands. */
export interface Passage {
  /** `out`: a warp leads there; `back_only`: only one coming back; `none`: not adjacent */
  warp: 'out' | 'back_only' | 'none';
  toRegionId: number;
  /** the pilot has been there before */
  known: boolean;
  /** what the pilot will see on arrival, kept as its last-seen view of the sector */
  snapshot: unknown;
}

export interface Hop {
  from: number;
  to: number;
  turns_spent: number;
  turns_left: number;
  first_visit: boolean;
  experience_gained: number;
}

export interface MoveOptions {
  /** keep the sector in the pilot's known space (NPCs keep none) */
  remember?: boolean;
}

/**
 * One warp hop: spend the hull's turns, move pilot and ship, remember the sector with what is
 * there, and award exploration experience on a first visit.
 */
export function decideMove(crew: Crew, to: number, passage: Passage, at: GameTime, options: MoveOptions = {}): Decision<Hop> {
  const { pilot, ship } = crew;
  const from = pilot.sectorId;
  if (to === from) return refuse('already_here');
  if (passage.warp === 'back_only') return refuse('one_way_warp', `The warp between ${from} and ${to} only runs from ${to} to ${from}`);
  if (passage.warp === 'none') return refuse('not_adjacent', `Sector ${to} is not one warp away from ${from}`);

  const cost = hullOf(ship).turnsPerWarp;
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, cost, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) {
    return refuse('insufficient_turns', `Needs ${spent.needed}, has ${spent.available}.`, { available: spent.available, needed: spent.needed });
  }
  const remember = options.remember ?? true;
  const firstVisit = remember && !passage.known;
  const experience = firstVisit ? EXPERIENCE.newSector : 0;

  const changes = noChanges();
  changes.pilots.push({
    userId: pilot.userId,
    turns: spent,
    position: { sectorId: to, regionId: passage.toRegionId },
    cameFrom: from,
    ...(experience > 0 ? { experience } : {}),
  });
  if (passage.toRegionId !== pilot.regionId) changes.ships.push({ shipId: ship.id, regionId: passage.toRegionId });
  if (remember) changes.knownSectors.push({ userId: pilot.userId, sectorId: to, snapshot: passage.snapshot });
  changes.events.push(
    { topic: topics.player(pilot.userId), type: 'player.moved', data: { from, to, turns_left: spent.turns, first_visit: firstVisit } },
    { topic: topics.sector(from), type: 'sector.departed', data: { sector_id: from, player: pilot.name } },
    { topic: topics.sector(to), type: 'sector.arrived', data: { sector_id: to, player: pilot.name, hull: ship.hull } },
  );
  return { changes, outcome: { from, to, turns_spent: cost, turns_left: spent.turns, first_visit: firstVisit, experience_gained: experience } };
}
