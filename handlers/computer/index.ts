import type { Commodity, Good } from '../../game/catalog/goods.js';
import { HULLS, type HullId } from '../../game/catalog/hulls.js';
import { EARTH_STATION_CLASS, portClassDef } from '../../game/catalog/ports.js';
import { buildWarpGraph, hopsFrom, type WarpGraph } from '../../game/pathfinding.js';
import { currentUnitPrice, portGoodAt } from '../../game/pricing.js';
import { rankTradeRoutes, type SeenPort as RoutePort } from '../../game/trade-routes.js';
import type { Db } from '../../platform/db/database.js';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { portsRoute, routesRoute } from './routes.js';

/**
 * The ship's computer: what the pilot has seen, worked over. The port report lists every port in
 * a known sector with the prices of the last visit (the pilot's `known_sectors` snapshots; live
 * for the sector the ship is in), and the route finder ranks those ports in pairs by profit per
 * turn (game/trade-routes.ts) over courses through known space (game/pathfinding.ts).
 */

interface GoodSeen {
  good: Commodity;
  port_action: 'sells' | 'buys';
  unit_price: number;
  stock: number;
  capacity: number;
  tradable: number;
}

interface PortSeen {
  sector_id: number;
  port_id: number;
  name: string;
  class: number;
  class_code: string;
  class_name: string;
  goods: GoodSeen[];
  seen_at: string;
  live: boolean;
}

const graphs = new WeakMap<Db, { generatedAt: number; graph: Promise<WarpGraph> }>();

/** The warp graph, once per process and galaxy (warps change only when a galaxy is generated). */
async function warpGraph(db: Db): Promise<WarpGraph> {
  const galaxy = await db.selectFrom('galaxy').select('generated_at').executeTakeFirst();
  const generatedAt = galaxy ? new Date(galaxy.generated_at).getTime() : 0;
  const cached = graphs.get(db);
  if (cached && cached.generatedAt === generatedAt) return cached.graph;
  const graph = db
    .selectFrom('warps')
    .select(['from_sector_id as from', 'to_sector_id as to'])
    .execute()
    .then((rows) => buildWarpGraph(rows));
  graphs.set(db, { generatedAt, graph });
  graph.catch(() => graphs.delete(db));
  return graph;
}

async function readShip(db: Db, userId: string) {
  const row = await db
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .select(['players.sector_id', 'players.credits', 'ships.hull', 'ships.holds'])
    .where('players.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new Problem(404, 'pilot_not_found', 'You have no pilot yet', { detail: 'GET /api/v1/player/state creates your pilot.' });
  const hull = HULLS[row.hull as HullId];
  return { sectorId: row.sector_id, credits: row.credits, holds: row.holds, turnsPerWarp: hull?.turnsPerWarp ?? 1 };
}

/**
 * Every port in a sector the pilot knows, as last seen. A sector known without a snapshot (sector
 * 1, where a pilot is created) and the sector the ship is in are read live.
 */
async function portsSeen(db: Db, userId: string, here: number, nowMs: number, timeScale: number): Promise<{ ports: PortSeen[]; known: Set<number> }> {
  const [rows, known] = await Promise.all([
    db
      .selectFrom('known_sectors')
      .innerJoin('ports', 'ports.sector_id', 'known_sectors.sector_id')
      .select(['known_sectors.sector_id', 'known_sectors.snapshot', 'known_sectors.last_seen_at', 'ports.id as port_id', 'ports.name', 'ports.port_class'])
      .where('known_sectors.user_id', '=', userId)
      .orderBy('known_sectors.sector_id')
      .execute(),
    db.selectFrom('known_sectors').select('sector_id').where('user_id', '=', userId).execute(),
  ]);
  const snapshotGoods = (snapshot: unknown): GoodSeen[] | null => {
    const goods = (snapshot as { port?: { goods?: GoodSeen[] } } | null)?.port?.goods;
    return Array.isArray(goods) ? goods : null;
  };
  const liveIds = rows.filter((r) => r.sector_id === here || snapshotGoods(r.snapshot) === null).map((r) => r.port_id);
  const liveRows = liveIds.length ? await db.selectFrom('port_goods').selectAll().where('port_id', 'in', liveIds).orderBy('good').execute() : [];
  const ports = rows.map((r): PortSeen => {
    const def = portClassDef(r.port_class);
    const live = liveIds.includes(r.port_id);
    const goods = live
      ? liveRows
          .filter((g) => g.port_id === r.port_id)
          .map((g) => {
            const drifted = portGoodAt(
              { good: g.good as Commodity, mode: g.mode, capacity: g.capacity, stock: g.stock, anchorMs: g.anchor_at.getTime(), fixedPrice: g.fixed_price },
              nowMs,
              timeScale,
            );
            return {
              good: drifted.good,
              port_action: drifted.mode === 'sell' ? ('sells' as const) : ('buys' as const),
              unit_price: currentUnitPrice(drifted),
              stock: drifted.stock,
              capacity: drifted.capacity,
              tradable: drifted.mode === 'sell' ? drifted.stock : drifted.capacity - drifted.stock,
            };
          })
      : snapshotGoods(r.snapshot)!;
    return {
      sector_id: r.sector_id,
      port_id: r.port_id,
      name: r.name,
      class: r.port_class,
      class_code: def.code,
      class_name: def.title,
      goods,
      seen_at: (r.sector_id === here ? new Date(nowMs) : new Date(r.last_seen_at)).toISOString(),
      live: r.sector_id === here,
    };
  });
  return { ports, known: new Set(known.map((k) => k.sector_id)) };
}

const TRADED = new Set<Commodity>(['ore', 'organics', 'equipment']);

function forRanking(port: PortSeen): RoutePort {
  return {
    sectorId: port.sector_id,
    goods: port.goods
      .filter((g) => TRADED.has(g.good))
      .map((g) => ({
        good: g.good as Good,
        mode: g.port_action === 'sells' ? ('sell' as const) : ('buy' as const),
        stock: g.stock,
        capacity: g.capacity,
        fixedPrice: port.class === EARTH_STATION_CLASS,
      })),
  };
}

export const computerBundle: Bundle = {
  name: 'computer',
  basePath: '/api/v1/computer',
  create(deps) {
    const { db, config } = deps;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(portsRoute, async (c) => {
        const userId = c.get('user').id;
        const ship = await readShip(db, userId);
        const [{ ports, known }, graph] = await Promise.all([portsSeen(db, userId, ship.sectorId, Date.now(), config.gameTimeScale), warpGraph(db)]);
        const hops = hopsFrom(graph, ship.sectorId, (id) => known.has(id));
        const report = ports
          .map((p) => {
            const h = hops[p.sector_id] ?? -1;
            return { ...p, hops: h < 0 ? null : h, turns: h < 0 ? null : h * ship.turnsPerWarp };
          })
          .sort((a, b) => (a.hops ?? Number.MAX_SAFE_INTEGER) - (b.hops ?? Number.MAX_SAFE_INTEGER) || a.sector_id - b.sector_id);
        return c.json({ sector_id: ship.sectorId, turns_per_warp: ship.turnsPerWarp, ports: report }, 200);
      })
      .openapi(routesRoute, async (c) => {
        const { limit } = c.req.valid('query');
        const userId = c.get('user').id;
        const ship = await readShip(db, userId);
        const [{ ports, known }, graph] = await Promise.all([portsSeen(db, userId, ship.sectorId, Date.now(), config.gameTimeScale), warpGraph(db)]);
        const isKnown = (id: number) => known.has(id);
        const trading = ports.filter((p) => p.goods.some((g) => TRADED.has(g.good)));
        // One known-space search per port answers every pair's courses.
        const hopsByPort = new Map(trading.map((p) => [p.sector_id, hopsFrom(graph, p.sector_id, isKnown)]));
        const fromHere = hopsFrom(graph, ship.sectorId, isKnown);
        const turns = (h: number | undefined) => (h === undefined || h < 0 ? null : h * ship.turnsPerWarp);
        const routes = rankTradeRoutes({
          ports: trading.map(forRanking),
          pilot: { holds: ship.holds, credits: ship.credits },
          turnsBetween: (a, b) => turns(hopsByPort.get(a)?.[b]),
          turnsFromHere: (s) => turns(fromHere[s]),
          limit,
        });
        const bySector = new Map(trading.map((p) => [p.sector_id, p]));
        const end = (sectorId: number) => ({ sector_id: sectorId, port_name: bySector.get(sectorId)!.name, class: bySector.get(sectorId)!.class });
        return c.json(
          {
            sector_id: ship.sectorId,
            holds: ship.holds,
            credits: ship.credits,
            turns_per_warp: ship.turnsPerWarp,
            routes: routes.map((r) => ({
              from: end(r.from),
              to: end(r.to),
              out: r.out,
              back: r.back,
              profit: r.profit,
              turns: r.turns,
              profit_per_turn: Math.round(r.profitPerTurn * 10) / 10,
              approach_turns: r.approachTurns,
            })),
          },
          200,
        );
      });
  },
};
