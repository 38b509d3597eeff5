import { BASE_PRICE, GOODS, type Good } from '../../game/catalog/goods.js';
import { generateGalaxy, type GalaxyParams } from '../../game/galaxy.js';
import { buildWarpGraph, plotCourse } from '../../game/pathfinding.js';
import { quoteBuy, quoteSell } from '../../game/pricing.js';

export interface TradeRoute {
  good: Good;
  /** where the pilot buys, and where it sells */
  buyAt: number;
  sellAt: number;
  /** Terra → sellAt, sellAt → buyAt: the flight that charts both ports before the trade */
  outbound: number[];
  toBuyer: number[];
  expectedProfit: number;
}

/**
 * The browser test's flight plan, worked out from the same seed the server generated its galaxy
 * from (generation is deterministic): two ports near Terra, one selling a good cheaply and one
 * buying it dearly, so a full hold bought at one sells at a clear profit at the other.
 */
export function planTradeRoute(params: GalaxyParams, holds: number): TradeRoute {
  const galaxy = generateGalaxy(params);
  const graph = buildWarpGraph(galaxy.warps);
  const course = (from: number, to: number) => plotCourse(graph, from, to, { turnsPerWarp: 2 })?.path ?? null;
  const near = galaxy.ports.filter((p) => p.portClass >= 1 && p.portClass <= 8 && !galaxy.sectors[p.sectorId - 1]!.fedspace);
  let best: TradeRoute | null = null;
  for (const seller of near) {
    for (const buyer of near) {
      if (seller === buyer) continue;
      for (const good of GOODS) {
        const sells = seller.goods[good];
        const buys = buyer.goods[good];
        if (sells?.mode !== 'sell' || buys?.mode !== 'buy') continue;
        const bought = quoteBuy({ ...sells, base: BASE_PRICE[good] }, holds);
        const sold = quoteSell({ ...buys, base: BASE_PRICE[good] }, holds);
        if ('error' in bought || 'error' in sold) continue;
        const profit = sold.total - bought.total;
        if (profit < bought.total * 0.15) continue;
        const outbound = course(1, buyer.sectorId);
        const toBuyer = course(buyer.sectorId, seller.sectorId);
        const back = course(seller.sectorId, buyer.sectorId);
        if (!outbound || !toBuyer || !back || outbound.length > 5 || toBuyer.length > 5 || back.length > 5) continue;
        const hops = outbound.length + toBuyer.length;
        if (!best || hops < best.outbound.length + best.toBuyer.length) {
          best = { good, buyAt: seller.sectorId, sellAt: buyer.sectorId, outbound, toBuyer, expectedProfit: profit };
        }
      }
    }
  }
  if (!best) throw new Error(`no profitable port pair near Terra in galaxy "${params.seed}"`);
  return best;
}
