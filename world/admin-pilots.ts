import type { Destination } from '../game/admin.js';
import type { Crew } from '../game/pilot.js';
import type { RegionDb, RegionTrx } from '../platform/db/database.js';
import { crewsOf, present } from './pilots.js';

/**
 * What the admin tools read of a pilot, region-side: the crew locked for a change (the same lock
 * order as play), where it would be sent, and the pilot's ledger and combat logs for the views.
 */
export async function lockedCrew(trx: RegionTrx, userId: string): Promise<Crew> {
  const [crew] = await crewsOf(trx, [userId], { lock: true });
  return present(crew, userId);
}

export async function destination(trx: RegionTrx, userId: string, sectorId: number): Promise<Destination> {
  const sector = await trx.selectFrom('sectors').select('region_id').where('id', '=', sectorId).executeTakeFirst();
  const known = await trx.selectFrom('known_sectors').select('sector_id').where('user_id', '=', userId).where('sector_id', '=', sectorId).executeTakeFirst();
  return { sectorId, regionId: sector?.region_id ?? null, known: known !== undefined };
}

/** A pilot's ledger, newest first, from before `beforeId`. */
export async function ledgerOf(db: RegionDb, userId: string, limit: number, beforeId?: number) {
  let query = db.selectFrom('credit_ledger').select(['id', 'delta', 'balance_after', 'reason', 'ref', 'created_at']).where('user_id', '=', userId);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** The engagements a pilot fought, on either side, newest first. */
export async function combatLogsOf(db: RegionDb, userId: string, limit: number) {
  return db
    .selectFrom('combat_logs')
    .select(['id', 'sector_id', 'attacker_name', 'defender_name', 'attacker_user_id', 'result', 'created_at'])
    .where((eb) => eb.or([eb('attacker_user_id', '=', userId), eb('defender_user_id', '=', userId)]))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
