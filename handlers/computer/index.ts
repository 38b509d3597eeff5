import type { Commodity, Good } from '../../game/catalog/goods.js';
import { EARTH_STATION_CLASS } from '../../game/catalog/ports.js';
import { hopsFrom } from '../../game/pathfinding.js';
import { type Crew, hullOf } from '../../game/pilot.js';
import { rankTradeRoutes, type SeenPort as RoutePort } from '../../game/trade-routes.js';
import { type Bundle, bundleRouter } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { crewOf } from '../../world/pilots.js';
import { type PortSeen, portsSeen } from '../../world/port-report.js';
import { warpGraph } from '../../world/warp-graph.js';
import { portsRoute, routesRoute } from './routes.js';

/** What the computer needs of the ship: where it is, its holds and credits, what a warp costs. */
function shipFacts({ pilot, ship }: Crew) {
  return { sectorId: pilot.sectorId, credits: pilot.credits, holds: ship.holds, turnsPerWarp: hullOf(ship).turnsPerWarp };
}

/**
 * The ship's computer: what the pilot has seen, worked over. The port report lists every port in
 * a known sector with the prices of the last visit (the pilot's `known_sectors` snapshots; live
 * for the sector the ship is in), and the route finder ranks those ports in pairs by profit per
 * turn (game/trade-routes.ts) over courses through known space (game/pathfinding.ts).
 */

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
    const { region: db, config } = deps;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(portsRoute, async (c) => {
        const userId = c.get('user').id;
        const ship = shipFacts(await crewOf(deps, userId));
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
        const ship = shipFacts(await crewOf(deps, userId));
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
