import type { Good } from './catalog/goods.js';
import type { TradeMode } from './catalog/ports.js';
import { quoteBuy, quoteSell, type MarketGood } from './pricing.js';

/**
 * How an NPC trader decides, as pure functions of the markets it can see: buy here what sells
 * best at a port within reach, unit by unit while each unit still earns. Prices come from the
 * same curves players trade on (pricing.ts), so an NPC never gets a deal a player could not.
 */
export interface PortGoodMarket extends MarketGood {
  good: Good;
  /** the port's side: it sells (you buy) or buys (you sell) */
  mode: TradeMode;
}

export interface PortMarket {
  portId: number;
  sectorId: number;
  goods: PortGoodMarket[];
}

export interface ReachablePort extends PortMarket {
  /** warps from where the trader is */
  hops: number;
}

export interface TradeRun {
  quantity: number;
  cost: number;
  revenue: number;
}

export interface Purchase extends TradeRun {
  good: Good;
  destination: ReachablePort;
}

/**
 * Units to buy from `seller` and sell to `buyer`: one at a time, each priced where the stock
 * will then stand, stopping at the first unit that would not earn, at `limit` units, or when
 * the next unit is more than the credits left.
 */
export function bestRun(seller: PortGoodMarket, buyer: PortGoodMarket, limit: number, credits: number): TradeRun {
  const most = Math.min(limit, seller.stock, buyer.capacity - buyer.stock);
  let cost = 0;
  let revenue = 0;
  let quantity = 0;
  for (; quantity < most; quantity++) {
    const pay = quoteBuy({ ...seller, stock: seller.stock - quantity }, 1);
    const earn = quoteSell({ ...buyer, stock: buyer.stock + quantity }, 1);
    if ('error' in pay || 'error' in earn) break;
    if (earn.total <= pay.total || cost + pay.total > credits) break;
    cost += pay.total;
    revenue += earn.total;
  }
  return { quantity, cost, revenue };
}

/**
 * The best purchase here for a trader with `freeHolds` and `credits`: the highest profit per
 * warp travelled among goods this port sells and reachable ports buy, if it clears the margin.
 * Ties go to the nearer port, then the lower sector id, so the choice is reproducible.
 */
export function planPurchase(here: PortMarket, reachable: readonly ReachablePort[], freeHolds: number, credits: number, minMarginPct: number): Purchase | null {
  let best: { purchase: Purchase; score: number } | null = null;
  if (freeHolds <= 0 || credits <= 0) return null;
  for (const selling of here.goods) {
    if (selling.mode !== 'sell') continue;
    for (const port of reachable) {
      if (port.portId === here.portId || port.hops < 1) continue;
      const buying = port.goods.find((g) => g.good === selling.good && g.mode === 'buy');
      if (!buying) continue;
      const run = bestRun(selling, buying, freeHolds, credits);
      const profit = run.revenue - run.cost;
      if (run.quantity === 0 || profit * 100 < run.cost * minMarginPct) continue;
      const score = profit / port.hops;
      const better =
        !best ||
        score > best.score ||
        (score === best.score &&
          (port.hops < best.purchase.destination.hops || (port.hops === best.purchase.destination.hops && port.sectorId < best.purchase.destination.sectorId)));
      if (better) best = { purchase: { good: selling.good, ...run, destination: port }, score };
    }
  }
  return best?.purchase ?? null;
}

/** Where to take `quantity` of a good nobody here buys: the reachable port paying the most per warp. */
export function bestBuyerFor(good: Good, quantity: number, reachable: readonly ReachablePort[]): ReachablePort | null {
  let best: { port: ReachablePort; score: number } | null = null;
  for (const port of reachable) {
    const buying = port.goods.find((g) => g.good === good && g.mode === 'buy');
    if (!buying || port.hops < 1) continue;
    const units = Math.min(quantity, buying.capacity - buying.stock);
    if (units < 1) continue;
    const quote = quoteSell(buying, units);
    if ('error' in quote) continue;
    const score = quote.total / port.hops;
    if (!best || score > best.score || (score === best.score && port.sectorId < best.port.sectorId)) best = { port, score };
  }
  return best?.port ?? null;
}
