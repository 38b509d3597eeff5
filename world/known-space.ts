import { sql } from 'kysely';
import type { RegionDb } from '../platform/db/database.js';
import { mapSector, sectorAtlas } from './atlas.js';
import { warpGraph } from './warp-graph.js';

/**
 * The sectors a pilot knows and the warps out of them, for the map: with `sharers` (the pilot
 * and its teammates, world/teams.ts teammateIds), what any of them has seen. One query, for what
 * the pilots saw and when and the planets there now; where the sectors are and where their warps lead comes from the
 * process's copy of the map (world/atlas.ts, the warp graph), not a join over every sector.
 */
export async function knownMap(db: RegionDb, sharers: string | readonly string[]) {
  const ids = typeof sharers === 'string' ? [sharers] : [...sharers];
  const [seen, atlas, graph] = await Promise.all([
    // What the pilots saw and when, with the planets there now (a map that marks colonies) and which
    // are the viewer's. Counted per known sector through planets_sector: a semi-join from planets
    // scanned all of them (11.6 ms a call at a million sectors, most of the route's time).
    // when, as whole epoch milliseconds: a float is parsed for a fraction of a timestamp's cost
    sql<{ sector_id: number; seen_ms: number; planets: number; yours: number }>`
      select k.sector_id, floor(extract(epoch from k.last_seen_at) * 1000)::float8 as seen_ms, p.planets, p.yours
        from (select sector_id, max(last_seen_at) as last_seen_at from known_sectors where user_id = any(${ids}::uuid[]) group by sector_id) k
        cross join lateral (
          select count(*)::int as planets, (count(*) filter (where owner_user_id = ${ids[0]}::uuid))::int as yours
            from planets where planets.sector_id = k.sector_id
        ) p
       order by k.sector_id`
      .execute(db)
      .then((r) => r.rows),
    sectorAtlas(db),
    warpGraph(db),
  ]);
  const known = new Set(seen.map((s) => s.sector_id));
  const warps: Array<{ from: number; to: number }> = [];
  const beyond = new Set<number>();
  for (const { sector_id: from } of seen) {
    for (let e = graph.offsets[from]!; e < graph.offsets[from + 1]!; e++) {
      const to = graph.targets[e]!;
      warps.push({ from, to });
      // The far ends of known warps: a new pilot's map shows where the exits lead.
      if (!known.has(to)) beyond.add(to);
    }
  }
  return {
    sectors: seen.map((s) => mapSector(atlas, s.sector_id, { planets: s.planets, yours: s.yours, seenAtMs: s.seen_ms })),
    warps,
    unexplored: [...beyond].sort((a, b) => a - b).map((id) => ({ id, x: atlas.x[id]!, y: atlas.y[id]!, region_id: atlas.region[id]! })),
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
