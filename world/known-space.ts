import { sql } from 'kysely';
import type { RegionDb } from '../platform/db/database.js';

/**
 * The sectors a pilot knows and the warps out of them, for the map: with `sharers` (the pilot
 * and its teammates, world/teams.ts teammateIds), what any of them has seen.
 */
export async function knownMap(db: RegionDb, sharers: string | readonly string[]) {
  const ids = typeof sharers === 'string' ? [sharers] : [...sharers];
  const [sectors, warps] = await Promise.all([
    db
      .selectFrom('known_sectors')
      .innerJoin('sectors', 'sectors.id', 'known_sectors.sector_id')
      .leftJoin('ports', 'ports.sector_id', 'sectors.id')
      .select((eb) => [
        'sectors.id',
        'sectors.x',
        'sectors.y',
        'sectors.region_id',
        'sectors.zone',
        'sectors.fedspace',
        'ports.port_class',
        eb.fn.max('known_sectors.last_seen_at').as('last_seen_at'),
      ])
      .where('known_sectors.user_id', 'in', ids)
      .groupBy(['sectors.id', 'sectors.x', 'sectors.y', 'sectors.region_id', 'sectors.zone', 'sectors.fedspace', 'ports.port_class'])
      .orderBy('sectors.id')
      .execute(),
    db
      .selectFrom('warps')
      .select(['warps.from_sector_id as from', 'warps.to_sector_id as to'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('known_sectors')
            .select('sector_id')
            .whereRef('known_sectors.sector_id', '=', 'warps.from_sector_id')
            .where('known_sectors.user_id', 'in', ids),
        ),
      )
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
  // Planets in known sectors as they stand now (a map that marks colonies), and which are the viewer's.
  const planets = known.size
    ? await db
        .selectFrom('planets')
        .select((eb) => ['sector_id', eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where owner_user_id = ${ids[0]}::uuid)`.as('yours')])
        .where('sector_id', 'in', [...known])
        .groupBy('sector_id')
        .execute()
    : [];
  const planetsAt = new Map(planets.map((p) => [p.sector_id, { planets: Number(p.n), yours: Number(p.yours) }]));
  return {
    sectors: sectors.map((s) => ({
      ...s,
      port_class: s.port_class ?? null,
      planets: planetsAt.get(s.id)?.planets ?? 0,
      your_planets: planetsAt.get(s.id)?.yours ?? 0,
      last_seen_at: new Date(s.last_seen_at as Date).toISOString(),
    })),
    warps,
    unexplored,
  };
}

/** The ids of the sectors a pilot knows (with `sharers`, any teammate): what its course plotter may route through. */
export async function knownSectorIds(db: RegionDb, sharers: string | readonly string[]): Promise<Set<number>> {
  const ids = typeof sharers === 'string' ? [sharers] : [...sharers];
  const rows = await db.selectFrom('known_sectors').select('sector_id').distinct().where('user_id', 'in', ids).execute();
  return new Set(rows.map((row) => row.sector_id));
}

/** What a pilot (or, with `sharers`, any teammate) saw when last in a sector, if one has been there. */
export async function lastSeen(db: RegionDb, sharers: string | readonly string[], sectorId: number) {
  const ids = typeof sharers === 'string' ? [sharers] : [...sharers];
  // With teammates, the most recent snapshot any of them took.
  return db
    .selectFrom('known_sectors')
    .select(['snapshot', 'last_seen_at'])
    .where('user_id', 'in', ids)
    .where('sector_id', '=', sectorId)
    .where('snapshot', 'is not', null)
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
