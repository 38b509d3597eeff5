import type { RegionDb } from '../platform/db/database.js';

/** The sectors a pilot knows and the warps out of them, for the map. */
export async function knownMap(db: RegionDb, userId: string) {
  const [sectors, warps] = await Promise.all([
    db
      .selectFrom('known_sectors')
      .innerJoin('sectors', 'sectors.id', 'known_sectors.sector_id')
      .leftJoin('ports', 'ports.sector_id', 'sectors.id')
      .select([
        'sectors.id',
        'sectors.x',
        'sectors.y',
        'sectors.region_id',
        'sectors.zone',
        'sectors.fedspace',
        'ports.port_class',
        'known_sectors.last_seen_at',
      ])
      .where('known_sectors.user_id', '=', userId)
      .orderBy('sectors.id')
      .execute(),
    db
      .selectFrom('warps')
      .innerJoin('known_sectors', 'known_sectors.sector_id', 'warps.from_sector_id')
      .select(['warps.from_sector_id as from', 'warps.to_sector_id as to'])
      .where('known_sectors.user_id', '=', userId)
      .orderBy('warps.from_sector_id')
      .orderBy('warps.to_sector_id')
      .execute(),
  ]);
  // The far ends of known warps: a new pilot's map shows where the exits lead.
  const known = new Set(sectors.map((s) => s.id));
  const beyond = [...new Set(warps.map((w) => w.to).filter((id) => !known.has(id)))];
  const unexplored = beyond.length
    ? await db.selectFrom('sectors').select(['id', 'x', 'y', 'region_id']).where('id', 'in', beyond).orderBy('id').execute()
    : [];
  return {
    sectors: sectors.map((s) => ({ ...s, port_class: s.port_class ?? null, last_seen_at: new Date(s.last_seen_at).toISOString() })),
    warps,
    unexplored,
  };
}

/** The ids of the sectors a pilot knows: what its course plotter may route through. */
export async function knownSectorIds(db: RegionDb, userId: string): Promise<Set<number>> {
  const rows = await db.selectFrom('known_sectors').select('sector_id').where('user_id', '=', userId).execute();
  return new Set(rows.map((row) => row.sector_id));
}

/** What a pilot saw when it was last in a sector, if it has been there. */
export async function lastSeen(db: RegionDb, userId: string, sectorId: number) {
  return db.selectFrom('known_sectors').select(['snapshot', 'last_seen_at']).where('user_id', '=', userId).where('sector_id', '=', sectorId).executeTakeFirst();
}
