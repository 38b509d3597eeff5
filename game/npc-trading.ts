import type { Commodity, Good } from './catalog/goods.js';
import type { TradeMode } from './catalog/ports.js';
import { type ChangeSet, crewAfter, type Decision, mergeChanges, noChanges } from './changes.js';
import { decideMove } from './movement.js';
import { type Crew, freeHolds, type GameTime } from './pilot.js';
import { type MarketGood, quoteBuy, quoteSell } from './pricing.js';
import type { Random } from './random.js';
import { decideTrade, type PortGood } from './trade.js';

/**
 * How an NPC trader decides, as pure functions of the markets it can see: buy here what sells
 * best at a port within reach, unit by unit while each unit still earns. Prices come from the
 * same curves players trade on (pricing.ts), so an NPC never gets a deal a player could not.
 */
export interface PortGoodMarket extends MarketGood {
  good: Commodity;
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
  good: Commodity;
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

// ---- an NPC trader's leg, decided through the players' own rules -------------------------

/** The port an NPC stands at, every good it trades, drifted to the window. */
export interface NpcPort {
  id: number;
  name: string;
  sectorId: number;
  goods: PortGood[];
}

export interface NpcLegPlan {
  /** ports of its region within reach, as the markets stood at the window's start */
  reachable: readonly ReachablePort[];
  /** where to roam when no trade is in reach: sectors with a port in its region */
  roamTo: readonly number[];
  /** the warps from `from` to `to` in its region (both ends included), or null */
  course(from: number, to: number): number[] | null;
  random: Random;
  capital: number;
  minMarginPct: number;
}

export interface NpcLegOutcome {
  trades: Array<{ side: 'buy' | 'sell'; good: Commodity; quantity: number; total: number }>;
  upkeep: number;
  hops: number;
  /** the port's goods after its trades, for the next trader's plan */
  portGoods: Array<{ good: Commodity; stock: number; anchorMs: number }>;
}

/**
 * One NPC trader's turn in a window, as one decision made of the players' decisions: sell here
 * what the port buys, pay upkeep on profit above its capital (a money sink), buy what sells best
 * within reach, and fly there warp by warp. Every trade is decideTrade's and every hop
 * decideMove's, so an NPC pays the same prices, turns and ledger as a player would.
 */
export function decideNpcLeg(crew: Crew, port: NpcPort | null, plan: NpcLegPlan, at: GameTime): Decision<NpcLegOutcome> {
  const steps: ChangeSet[] = [];
  const outcome: NpcLegOutcome = { trades: [], upkeep: 0, hops: 0, portGoods: [] };
  let current = crew;
  const goods = new Map((port?.goods ?? []).map((g) => [g.good, { ...g }]));
  const trade = (good: PortGood, side: 'buy' | 'sell', quantity: number): boolean => {
    const decision = decideTrade(current, { id: port!.id, name: port!.name, sectorId: port!.sectorId, good }, { side, good: good.good, quantity }, at);
    if ('refused' in decision) return false;
    steps.push(decision.changes);
    current = crewAfter(current, decision.changes);
    good.stock = decision.outcome.port_stock_after;
    outcome.trades.push({ side, good: good.good, quantity, total: decision.outcome.total });
    return true;
  };

  let destination: number | undefined;
  if (port) {
    for (const good of goods.values()) {
      const carried = current.ship.cargo[good.good];
      if (good.mode !== 'buy' || carried === 0) continue;
      const quantity = Math.min(carried, good.capacity - good.stock);
      if (quantity >= 1) trade(good, 'sell', quantity);
    }
    if (current.pilot.credits > plan.capital) {
      const upkeep = noChanges();
      outcome.upkeep = current.pilot.credits - plan.capital;
      upkeep.credits.push({ userId: current.pilot.userId, delta: -outcome.upkeep, reason: 'npc_upkeep' });
      steps.push(upkeep);
      current = crewAfter(current, upkeep);
    }
    const market = { portId: port.id, sectorId: port.sectorId, goods: [...goods.values()] as PortGoodMarket[] };
    const purchase = planPurchase(market, plan.reachable, freeHolds(current.ship), current.pilot.credits, plan.minMarginPct);
    const selling = purchase && goods.get(purchase.good);
    if (purchase && selling?.mode === 'sell' && trade(selling, 'buy', purchase.quantity)) destination = purchase.destination.sectorId;
    outcome.portGoods = [...goods.values()].map((g) => ({ good: g.good, stock: g.stock, anchorMs: g.anchorMs }));
  }

  // Nothing bought: carry what is left to whoever pays best, or look for trade elsewhere.
  const carried = (['ore', 'organics', 'equipment'] as const)
    .filter((g) => current.ship.cargo[g] > 0)
    .sort((a, b) => current.ship.cargo[b] - current.ship.cargo[a])[0];
  if (destination === undefined && carried) destination = bestBuyerFor(carried, current.ship.cargo[carried], plan.reachable)?.sectorId;
  if (destination === undefined) {
    const elsewhere = plan.roamTo.filter((sectorId) => sectorId !== current.pilot.sectorId);
    if (plan.reachable.length > 0) destination = plan.random.pick(plan.reachable).sectorId;
    else if (elsewhere.length > 0) destination = plan.random.pick(elsewhere);
  }

  const path = destination === undefined ? null : plan.course(current.pilot.sectorId, destination);
  for (const next of path?.slice(1) ?? []) {
    const passage = { warp: 'out' as const, toRegionId: current.pilot.regionId, known: true, snapshot: null };
    const hop = decideMove(current, next, passage, at, { remember: false });
    if ('refused' in hop) break;
    steps.push(hop.changes);
    current = crewAfter(current, hop.changes);
    outcome.hops++;
  }
  return { changes: mergeChanges(...steps), outcome };
}
