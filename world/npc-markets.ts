import type { Commodity } from '../game/catalog/goods.js';
import type { NpcPort, PortGoodMarket } from '../game/npc-trading.js';
import { plotCourse, type WarpGraph } from '../game/pathfinding.js';
import type { Crew } from '../game/pilot.js';
import type { RegionDb } from '../platform/db/database.js';
import { type CrewRow, crewsCte, toCrew } from './pilots.js';
import { driftedGood, type StoredGood } from './sector-view.js';
import { runStatement, Statement } from './statement.js';
import { loadWarpGraph } from './warp-graph.js';

export interface TradingPort {
  id: number;
  sectorId: number;
  regionId: number;
}

/** What NPC traders plan from in a window: the ordinary ports, their markets at the window's start, and warps within regions. */
export interface TradingWorld {
  seed: string;
  ports: TradingPort[];
  portAt: Map<number, TradingPort>;
  /** by port id; updated as each trader's leg commits, so the next one plans on the new stock */
  markets: Map<number, Array<PortGoodMarket & { anchorMs: number }>>;
  /** warps that stay inside a region (gates join regions; a trader keeps to its own) */
  graph: WarpGraph;
}

export async function loadTradingWorld(db: RegionDb, portClasses: readonly number[], atMs: number, timeScale: number): Promise<TradingWorld | null> {
  const galaxy = await db.selectFrom('galaxy').select('seed').executeTakeFirst();
  if (!galaxy) return null;
  const [ports, goods, graph] = await Promise.all([
    db
      .selectFrom('ports')
      .select(['id', 'sector_id as sectorId', 'region_id as regionId'])
      .where('port_class', 'in', [...portClasses])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('port_goods')
      .innerJoin('ports', 'ports.id', 'port_goods.port_id')
      .selectAll('port_goods')
      .where('ports.port_class', 'in', [...portClasses])
      .execute(),
    loadWarpGraph(db, { gates: false }),
  ]);
  const markets = new Map<number, Array<PortGoodMarket & { anchorMs: number }>>();
  for (const row of goods) {
    const list = markets.get(row.port_id) ?? [];
    list.push(driftedGood(row, atMs, timeScale));
    markets.set(row.port_id, list);
  }
  return { seed: galaxy.seed, ports, portAt: new Map(ports.map((p) => [p.sectorId, p])), markets, graph };
}

/** The warps from one sector to another inside a region, fewest first. */
export function courseWithin(world: TradingWorld, from: number, to: number): number[] | null {
  return plotCourse(world.graph, from, to, { turnsPerWarp: 1 })?.path ?? null;
}

/** Bring the planning snapshot up to date with a leg's trades at a port. */
export function updateMarket(world: TradingWorld, portId: number, after: ReadonlyArray<{ good: Commodity; stock: number; anchorMs: number }>): void {
  const goods = world.markets.get(portId);
  if (!goods) return;
  for (const change of after) {
    const good = goods.find((g) => g.good === change.good);
    if (good) Object.assign(good, { stock: change.stock, anchorMs: change.anchorMs });
  }
}

export interface NpcScene {
  crew: Crew;
  port: NpcPort | null;
}

type NpcRow = CrewRow & { port: { id: number; name: string; sector_id: number } | null; goods: StoredGood[] };

/**
 * An NPC leg's one read: the trader's crew locked, then every good of the port where it stands,
 * locked in (port, good) order: the order trades and the market-drift job use.
 */
export async function readForNpcLeg(db: RegionDb, userId: string, atMs: number, timeScale: number): Promise<NpcScene | undefined> {
  const st = new Statement();
  const rows = await runStatement<NpcRow>(
    db,
    `with ${crewsCte(st, [userId])},
    port as (select ports.id, ports.name, ports.sector_id from ports join crews on ports.sector_id = crews.sector_id),
    goods as (select port_goods.good, port_goods.mode, port_goods.capacity, port_goods.stock, port_goods.fixed_price, port_goods.anchor_at
      from port_goods join port on port_goods.port_id = port.id order by port_goods.good for update of port_goods)
    select crews.*, (select row_to_json(port) from port) as port, (select coalesce(json_agg(goods order by goods.good), '[]'::json) from goods) as goods from crews`,
    st.params,
  );
  const row = rows[0];
  if (!row) return undefined;
  const port = row.port
    ? { id: row.port.id, name: row.port.name, sectorId: row.port.sector_id, goods: row.goods.map((g) => driftedGood(g, atMs, timeScale)) }
    : null;
  return { crew: toCrew(row), port };
}
