import { EXPERIENCE } from '../../game/catalog/experience.js';
import type { Trx } from '../../platform/actions.js';
import { prepared } from '../../platform/db/prepared.js';
import { Problem } from '../../platform/errors.js';
import { topics, type DomainEvent } from '../../platform/events.js';
import { buildSectorView, type SectorView } from '../sectors/view.js';
import { hullOf, markKnown, spendPilotTurns, type Pilot } from './pilot.js';

const warpBetween = prepared((db, a: { from: number; to: number }) =>
  db.selectFrom('warps').select('gate').where('from_sector_id', '=', a.from).where('to_sector_id', '=', a.to),
);
const sectorRegion = prepared((db, a: { id: number }) => db.selectFrom('sectors').select('region_id').where('id', '=', a.id));
const placePlayer = prepared((db, a: { userId: string; sectorId: number; regionId: number; experience: number }) =>
  db
    .updateTable('players')
    .set((eb) => ({ sector_id: a.sectorId, region_id: a.regionId, experience: eb('experience', '+', a.experience) }))
    .where('user_id', '=', a.userId),
);
const placeShip = prepared((db, a: { shipId: number; regionId: number }) => db.updateTable('ships').set({ region_id: a.regionId }).where('id', '=', a.shipId));

export interface Hop {
  from: number;
  to: number;
  turns_spent: number;
  turns_left: number;
  first_visit: boolean;
  experience_gained: number;
}

/**
 * One warp hop for a locked pilot: check the warp, spend the hull's turns, move, remember the
 * sector (with a snapshot of what is there, also returned as what the pilot now sees), award
 * exploration experience on a first visit. `online`, when known, is who presence says is connected
 * in `to`: the snapshot then lists those pilots (and NPC traders), as the sector route does.
 */
export async function flyHop(
  trx: Trx,
  pilot: Pilot,
  to: number,
  nowMs: number,
  timeScale: number,
  events: DomainEvent[],
  online?: ReadonlySet<string>,
): Promise<{ hop: Hop; sector: SectorView }> {
  const { player, ship } = pilot;
  const from = player.sector_id;
  if (to === from) throw new Problem(422, 'already_here', 'You are already in that sector');
  const warp = await warpBetween.first(trx, { from, to });
  if (!warp) {
    const back = await warpBetween.first(trx, { from: to, to: from });
    if (back) throw new Problem(422, 'one_way_warp', `The warp between ${from} and ${to} only runs from ${to} to ${from}`);
    throw new Problem(422, 'not_adjacent', `Sector ${to} is not one warp away from ${from}`);
  }
  const cost = hullOf(ship).turnsPerWarp;
  const turnsLeft = await spendPilotTurns(trx, player, cost, nowMs, timeScale);
  const target = (await sectorRegion.first(trx, { id: to }))!;

  const snapshot = (await buildSectorView(trx, to, player.user_id, nowMs, timeScale, online))!;
  const firstVisit = await markKnown(trx, player.user_id, to, snapshot);
  const experience = firstVisit ? EXPERIENCE.newSector : 0;
  await placePlayer.execute(trx, { userId: player.user_id, sectorId: to, regionId: target.region_id, experience });
  await placeShip.execute(trx, { shipId: ship.id, regionId: target.region_id });
  player.sector_id = to;
  player.region_id = target.region_id;
  player.experience += experience;

  events.push(
    { topic: topics.player(player.user_id), type: 'player.moved', data: { from, to, turns_left: turnsLeft, first_visit: firstVisit } },
    { topic: topics.sector(from), type: 'sector.departed', data: { sector_id: from, player: player.name } },
    { topic: topics.sector(to), type: 'sector.arrived', data: { sector_id: to, player: player.name, hull: ship.hull } },
  );
  return { hop: { from, to, turns_spent: cost, turns_left: turnsLeft, first_visit: firstVisit, experience_gained: experience }, sector: snapshot };
}
