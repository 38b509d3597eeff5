import { sql } from 'kysely';
import { landmarksOf, warpGraphFromEdges, type WarpGraph } from '../game/pathfinding.js';
import type { RegionDb } from '../platform/db/database.js';

interface CachedGraph {
  version: string;
  graph: Promise<WarpGraph>;
}

const cache = new WeakMap<RegionDb, CachedGraph>();

/**
 * Which map is current: what a process's copies of the map (the warp graph, world/atlas.ts) are
 * keyed on — the generation and its map revision (bumped by every admin warp or port edit) — so a
 * new generation or an edit made through any process is read again. One cheap query.
 */
export async function galaxyVersion(db: RegionDb): Promise<string> {
  const galaxy = await db.selectFrom('galaxy').select(['generated_at', 'map_revision']).executeTakeFirst();
  return galaxy ? `${new Date(galaxy.generated_at).getTime()}.${galaxy.map_revision}` : 'none';
}

/**
 * The warp graph, loaded once per process and galaxy: warps never change between generations,
 * so plotting costs one cheap query (which galaxy is current) plus an in-memory search.
 */
export async function warpGraph(db: RegionDb): Promise<WarpGraph> {
  const version = await galaxyVersion(db);
  const cached = cache.get(db);
  if (cached && cached.version === version) return cached.graph;
  const graph = loadWarpGraph(db, { gates: true }).then((loaded) => {
    landmarksOf(loaded);
    return loaded;
  });
  cache.set(db, { version, graph });
  graph.catch(() => cache.delete(db));
  return graph;
}

/** Sectors per query: a million-sector galaxy's 3.7M warps arrive in a few dozen rows of arrays. */
const SECTORS_PER_CHUNK = 50_000;

/**
 * Every warp (or every warp inside a region, without the gates) as two integer arrays, read a
 * range of sectors at a time as two aggregated arrays per range: no row object per warp.
 */
export async function loadWarpGraph(db: RegionDb, { gates }: { gates: boolean }): Promise<WarpGraph> {
  // A region shard's gate leads to a sector that lives in another shard: the graph spans it too.
  const { rows: top } = await sql<{ max: number | null }>`
    select greatest((select max(id) from sectors), (select max(to_sector_id) from warps where gate)) as max`.execute(db);
  const maxId = Number(top[0]?.max ?? 0);
  const chunks: Array<{ from: number[]; to: number[] }> = [];
  let edges = 0;
  for (let first = 1; first <= maxId; first += SECTORS_PER_CHUNK) {
    const last = first + SECTORS_PER_CHUNK - 1;
    const { rows } = await sql<{ from: number[] | null; to: number[] | null }>`
      select array_agg(from_sector_id) as "from", array_agg(to_sector_id) as "to" from warps
      where from_sector_id between ${first} and ${last} ${gates ? sql`` : sql`and not gate`}`.execute(db);
    const row = rows[0];
    if (!row?.from || !row.to) continue;
    chunks.push({ from: row.from, to: row.to });
    edges += row.from.length;
  }
  const from = new Int32Array(edges);
  const to = new Int32Array(edges);
  let at = 0;
  for (const chunk of chunks) {
    from.set(chunk.from, at);
    to.set(chunk.to, at);
    at += chunk.from.length;
  }
  return warpGraphFromEdges(maxId + 1, from, to);
}
