import { BASE_PRICE, GOODS, type Good } from './catalog/goods.js';
import type { TradeMode } from './catalog/ports.js';
import { TURN_COSTS } from './catalog/turns.js';
import { buildWarpGraph, hopsFrom } from './pathfinding.js';
import { quoteBuy, quoteSell, type MarketGood } from './pricing.js';

/**
 * The ship's computer's trade-route finder (GAME.md "Trading"): which pair of ports the pilot
 * knows pays the most credits per turn, worked round and round. Prices come from what the pilot
 * last saw (stocks move after that), turns from the plotter, quantities from the pilot's holds
 * and credits.
 */

/** One good at a port as last seen. `mode` is the port's side: 'sell' = you buy there. */
export interface SeenGood extends Omit<MarketGood, 'base'> {
  good: Good;
  mode: TradeMode;
}

export interface SeenPort {
  sectorId: number;
  goods: readonly SeenGood[];
}

export interface Pilot {
  holds: number;
  credits: number;
}

/** A load carried from one port to the other: the best good for it at the seen prices. */
export interface TradeLeg {
  good: Good;
  quantity: number;
  cost: number;
  revenue: number;
  profit: number;
}

export interface TradeRoute {
  /** where the route starts (the nearer port when the pilot's position is known) */
  from: number;
  to: number;
  /** carried from → to, and to → from; null when nothing pays that way */
  out: TradeLeg | null;
  back: TradeLeg | null;
  /** profit of one round trip */
  profit: number;
  /** turns of one round trip: both flights and every trade */
  turns: number;
  profitPerTurn: number;
  /** turns from where the pilot is to `from`; null when not given or no course */
  approachTurns: number | null;
}

export interface RouteQuery {
  ports: readonly SeenPort[];
  pilot: Pilot;
  /** turns of the plotted course between two sectors; null when known space does not connect them */
  turnsBetween(from: number, to: number): number | null;
  /** turns from the pilot's sector to a port's, to start at the nearer end and break ties */
  turnsFromHere?(sectorId: number): number | null;
  /** keep the best this many (default: all) */
  limit?: number;
}

const market = (g: SeenGood): MarketGood => ({ base: BASE_PRICE[g.good], stock: g.stock, capacity: g.capacity, fixedPrice: g.fixedPrice });

/** The most units of a good the credits pay for at this seller, up to `most` (binary search on the curve). */
export function affordableUnits(seller: SeenGood, credits: number, most: number): number {
  const cost = (n: number) => {
    const q = quoteBuy(market(seller), n);
    return 'error' in q ? Number.POSITIVE_INFINITY : q.total;
  };
  if (most <= 0 || cost(1) > credits) return 0;
  if (cost(most) <= credits) return most;
  let low = 1;
  let high = most;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (cost(mid) <= credits) low = mid;
    else high = mid;
  }
  return low;
}

/** The best load to buy at `seller` and sell at `buyer`, or null when none makes a profit. */
export function bestLoad(seller: SeenPort, buyer: SeenPort, pilot: Pilot): TradeLeg | null {
  let best: TradeLeg | null = null;
  for (const good of GOODS) {
    const source = seller.goods.find((g) => g.good === good && g.mode === 'sell');
    const sink = buyer.goods.find((g) => g.good === good && g.mode === 'buy');
    if (!source || !sink) continue;
    const room = sink.capacity - sink.stock;
    const quantity = affordableUnits(source, pilot.credits, Math.min(pilot.holds, source.stock, room));
    if (quantity <= 0) continue;
    const bought = quoteBuy(market(source), quantity);
    const sold = quoteSell(market(sink), quantity);
    if ('error' in bought || 'error' in sold) continue;
    const profit = sold.total - bought.total;
    if (profit > 0 && (!best || profit > best.profit)) best = { good, quantity, cost: bought.total, revenue: sold.total, profit };
  }
  return best;
}

/**
 * Every known pair of ports that pays, best credits per turn first. A round trip flies there and
 * back (the plotter's turns each way) and trades once per load carried; ties go to the pair
 * nearer the pilot, then to the lower sector numbers.
 */
export function rankTradeRoutes(query: RouteQuery): TradeRoute[] {
  const { ports, pilot } = query;
  const routes: TradeRoute[] = [];
  for (let i = 0; i < ports.length; i++) {
    for (let j = i + 1; j < ports.length; j++) {
      let [a, b] = [ports[i]!, ports[j]!];
      const there = query.turnsBetween(a.sectorId, b.sectorId);
      const home = query.turnsBetween(b.sectorId, a.sectorId);
      if (there === null || home === null) continue;
      const toA = query.turnsFromHere?.(a.sectorId) ?? null;
      const toB = query.turnsFromHere?.(b.sectorId) ?? null;
      if (toB !== null && (toA === null || toB < toA)) [a, b] = [b, a];
      const out = bestLoad(a, b, pilot);
      const back = bestLoad(b, a, pilot);
      if (!out && !back) continue;
      const profit = (out?.profit ?? 0) + (back?.profit ?? 0);
      const trades = (out ? 2 : 0) + (back ? 2 : 0);
      const turns = there + home + trades * TURN_COSTS.trade;
      const approachTurns = a === ports[i] ? toA : toB; // the start's, after the swap
      routes.push({ from: a.sectorId, to: b.sectorId, out, back, profit, turns, profitPerTurn: profit / turns, approachTurns });
    }
  }
  routes.sort(
    (x, y) =>
      y.profitPerTurn - x.profitPerTurn ||
      (x.approachTurns ?? Number.POSITIVE_INFINITY) - (y.approachTurns ?? Number.POSITIVE_INFINITY) ||
      Math.min(x.from, x.to) - Math.min(y.from, y.to) ||
      Math.max(x.from, x.to) - Math.max(y.from, y.to),
  );
  return query.limit === undefined ? routes : routes.slice(0, query.limit);
}

/** What a galaxy offers a new pilot: its ports with the stocks they were generated with. */
export interface GalaxyForRoutes {
  warps: readonly { from: number; to: number }[];
  ports: readonly {
    sectorId: number;
    portClass: number;
    goods: Partial<Record<string, { mode: TradeMode; stock: number; capacity: number; fixedPrice: boolean }>>;
  }[];
}

/**
 * The routes a new pilot could find within `maxHops` of sector 1 (or of `start`: where a gate
 * leads into a new region), knowing every port there as generated: what the galaxy's tuning
 * promises a newcomer (game/balance.test.ts, the economy bench).
 */
export function routesNearStart(
  galaxy: GalaxyForRoutes,
  options: { maxHops: number; holds: number; credits: number; turnsPerWarp: number; limit?: number; start?: number },
): Array<TradeRoute & { hopsFromStart: number }> {
  const graph = buildWarpGraph(galaxy.warps);
  const fromStart = hopsFrom(graph, options.start ?? 1);
  const near = galaxy.ports.filter((p) => fromStart[p.sectorId]! >= 0 && fromStart[p.sectorId]! <= options.maxHops && Object.keys(p.goods).length > 0);
  const ports: SeenPort[] = near.map((p) => ({
    sectorId: p.sectorId,
    goods: GOODS.flatMap((good) => {
      const g = p.goods[good];
      return g ? [{ good, mode: g.mode, stock: g.stock, capacity: g.capacity, fixedPrice: g.fixedPrice }] : [];
    }),
  }));
  const hops = new Map(near.map((p) => [p.sectorId, hopsFrom(graph, p.sectorId)]));
  const turnsBetween = (a: number, b: number) => {
    const h = hops.get(a)![b]!;
    return h < 0 ? null : h * options.turnsPerWarp;
  };
  const routes = rankTradeRoutes({
    ports,
    pilot: { holds: options.holds, credits: options.credits },
    turnsBetween,
    turnsFromHere: (s) => fromStart[s]! * options.turnsPerWarp,
    limit: options.limit,
  });
  return routes.map((r) => ({ ...r, hopsFromStart: Math.max(fromStart[r.from]!, fromStart[r.to]!) }));
}
