import { buildWarpGraph, type WarpGraph } from '../game/pathfinding.js';
import type { RegionDb } from '../platform/db/database.js';

interface CachedGraph {
  generatedAt: number;
  graph: Promise<WarpGraph>;
}

const cache = new WeakMap<RegionDb, CachedGraph>();

/**
 * The warp graph, loaded once per process and galaxy: warps never change between generations,
 * so plotting costs one cheap query (which galaxy is current) plus an in-memory search.
 */
export async function warpGraph(db: RegionDb): Promise<WarpGraph> {
  const galaxy = await db.selectFrom('galaxy').select('generated_at').executeTakeFirst();
  const generatedAt = galaxy ? new Date(galaxy.generated_at).getTime() : 0;
  const cached = cache.get(db);
  if (cached && cached.generatedAt === generatedAt) return cached.graph;
  const graph = db
    .selectFrom('warps')
    .select(['from_sector_id as from', 'to_sector_id as to'])
    .execute()
    .then((rows) => buildWarpGraph(rows));
  cache.set(db, { generatedAt, graph });
  graph.catch(() => cache.delete(db));
  return graph;
}
