import { NEW_PILOT } from '../game/catalog/new-pilot.js';
import type { AccountDb, RegionDb } from '../platform/db/database.js';
import { Problem } from '../platform/errors.js';
import { type Regional, regionLink } from '../platform/regional.js';

/**
 * Pilot homes on the Central Nexus (multi-regional mode): which region's shard holds each
 * account's pilot. A gate hand-off moves a home forward; a region asked about a pilot it does
 * not hold sends the caller to the home's region (409 wrong_region).
 */
/** Where an account's pilot lives, per the nexus; undefined: it has never played. */
export async function homeOf(accounts: AccountDb, userId: string): Promise<{ regionId: number; moves: number } | undefined> {
  const row = await accounts.selectFrom('pilot_homes').select(['region_id', 'moves']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { regionId: row.region_id, moves: row.moves } : undefined;
}

/** A first pilot's home: claimed once, so two regions cannot both start the same account. */
export async function claimHome(accounts: AccountDb, userId: string, regionId: number): Promise<{ regionId: number; moves: number }> {
  await accounts
    .insertInto('pilot_homes')
    .values({ user_id: userId, region_id: regionId, moves: 0 })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  return (await homeOf(accounts, userId))!;
}

/**
 * The pilot arrived in `regionId` on its `moves`-th crossing. Only forward: a retried or late
 * update of an older crossing changes nothing.
 */
export async function moveHome(accounts: AccountDb, userId: string, regionId: number, moves: number): Promise<void> {
  await accounts
    .insertInto('pilot_homes')
    .values({ user_id: userId, region_id: regionId, moves })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ region_id: regionId, moves, updated_at: new Date() }).where('pilot_homes.moves', '<', moves))
    .execute();
}

/**
 * Before a shard creates an account's pilot (its first play): only the region holding the start
 * sector may, and only if the account has no home yet. A pilot that lives in another region
 * is sent there; one that should be here and is not is still arriving through a gate.
 */
export async function placeNewPilot(dbs: { accounts: AccountDb; region: RegionDb; regional: Regional }, userId: string): Promise<void> {
  const { self, shards } = dbs.regional;
  let home = await homeOf(dbs.accounts, userId);
  if (!home) {
    const start = await dbs.region
      .selectFrom('regions')
      .select('id')
      .where('first_sector_id', '<=', NEW_PILOT.sectorId)
      .where('last_sector_id', '>=', NEW_PILOT.sectorId)
      .executeTakeFirst();
    if (!start) throw new Problem('universe_missing');
    home = start.id === self.id ? await claimHome(dbs.accounts, userId, self.id) : { regionId: start.id, moves: 0 };
  }
  if (home.regionId !== self.id) {
    const there = await shards.entry(home.regionId);
    throw new Problem('wrong_region', { detail: `Your pilot is in ${there.name}`, region: regionLink(there) });
  }
  if (home.moves > 0) throw new Problem('in_transit', { detail: 'Your pilot is arriving through a gate', headers: { 'retry-after': '1' } });
}
