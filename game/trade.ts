import { topics } from '../contract/topics.js';
import { tradeExperience } from './catalog/experience.js';
import { BASE_PRICE, type Commodity } from './catalog/goods.js';
import type { TradeMode } from './catalog/ports.js';
import { TURN_COSTS } from './catalog/turns.js';
import { type Decision, noChanges } from './changes.js';
import { type Crew, cargoUsed, currentTurns, type GameTime, turnRegenFor } from './pilot.js';
import { currentUnitPrice, type MarketGood, quoteBuy, quoteSell } from './pricing.js';
import { type Refusal, refuse } from './refusals.js';
import { spendTurns } from './turns.js';

export type TradeSide = 'buy' | 'sell';

export interface TradeOrder {
  side: TradeSide;
  good: Commodity;
  quantity: number;
}

/** A port's good as the market stands now (drift applied), ready to price. */
export interface PortGood extends MarketGood {
  good: Commodity;
  /** the port's side: it sells (you buy) or buys (you sell) */
  mode: TradeMode;
  anchorMs: number;
}

/** The port of the pilot's sector, with the good an order names (null when it does not trade it). */
export interface PortAtHand {
  id: number;
  name: string;
  sectorId: number;
  good: PortGood | null;
}

export interface PricedTrade {
  side: TradeSide;
  good: Commodity;
  quantity: number;
  total: number;
  average_unit_price: number;
  port_stock_after: number;
  turns: number;
}

export interface TradeOutcome extends PricedTrade {
  port_id: number;
  port_name: string;
  sector_id: number;
  credits_after: number;
  experience_gained: number;
}

/** What the port itself would charge or pay for an order, or why it cannot trade it. */
export function priceTrade(port: PortAtHand | null, order: TradeOrder): { refused: Refusal } | { priced: PricedTrade } {
  if (!port) return refuse('no_port');
  const { good } = port;
  const wanted = order.side === 'buy' ? 'sell' : 'buy';
  if (!good || good.mode !== wanted) {
    return order.side === 'buy'
      ? refuse('good_not_sold_here', `This port does not sell ${order.good}`)
      : refuse('good_not_bought_here', `This port does not buy ${order.good}`);
  }
  const quote = order.side === 'buy' ? quoteBuy(good, order.quantity) : quoteSell(good, order.quantity);
  if ('error' in quote) {
    if (quote.error === 'exceeds_stock') return refuse('exceeds_stock', `The port has only ${good.stock} ${good.good}`, { available: good.stock });
    if (quote.error === 'exceeds_demand') {
      const room = good.capacity - good.stock;
      return refuse('exceeds_demand', `The port will buy only ${room} ${good.good}`, { available: room });
    }
    return refuse('invalid_quantity');
  }
  return {
    priced: {
      side: order.side,
      good: order.good,
      quantity: order.quantity,
      total: quote.total,
      average_unit_price: Math.round(quote.averageUnitPrice * 100) / 100,
      port_stock_after: quote.stockAfter,
      turns: TURN_COSTS.trade,
    },
  };
}

/** What on the pilot's side would refuse a priced trade: turns, holds, credits or cargo. */
export function crewObstacle(crew: Crew, priced: PricedTrade, at: GameTime): Refusal | null {
  const { pilot, ship } = crew;
  const turns = currentTurns(pilot, at).turns;
  if (turns < TURN_COSTS.trade) return refuse('insufficient_turns', undefined, { available: turns, needed: TURN_COSTS.trade }).refused;
  if (priced.side === 'buy') {
    const free = ship.holds - cargoUsed(ship);
    if (priced.quantity > free) return refuse('insufficient_holds', `Only ${free} holds are free`, { available: free }).refused;
    if (priced.total > pilot.credits) {
      return refuse('insufficient_credits', `That costs ${priced.total} credits; you have ${pilot.credits}`, { available: pilot.credits, needed: priced.total })
        .refused;
    }
    return null;
  }
  const carried = ship.cargo[priced.good];
  if (priced.quantity > carried) return refuse('insufficient_cargo', `You carry only ${carried} ${priced.good}`, { available: carried }).refused;
  return null;
}

/**
 * Buy from or sell to the port of the crew's sector. Goods are conserved: what leaves the port's
 * stock lands in the hold and the other way round; credits move through the ledger; selling
 * above the galaxy's base price earns trade experience.
 */
export function decideTrade(crew: Crew, port: PortAtHand | null, order: TradeOrder, at: GameTime): Decision<TradeOutcome> {
  const price = priceTrade(port, order);
  if ('refused' in price) return price;
  const { priced } = price;
  const obstacle = crewObstacle(crew, priced, at);
  if (obstacle) return { refused: obstacle };
  const { pilot, ship } = crew;
  const here = port!;
  const good = here.good!;

  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.trade, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });

  const buying = order.side === 'buy';
  const creditsDelta = buying ? -priced.total : priced.total;
  const experience = buying ? 0 : tradeExperience(priced.total - order.quantity * BASE_PRICE[order.good]);
  const outcome: TradeOutcome = {
    ...priced,
    port_id: here.id,
    port_name: here.name,
    sector_id: pilot.sectorId,
    credits_after: pilot.credits + creditsDelta,
    experience_gained: experience,
  };

  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent, ...(experience > 0 ? { experience } : {}) });
  changes.ships.push({ shipId: ship.id, cargo: { [order.good]: buying ? order.quantity : -order.quantity } });
  changes.portGoods.push({ portId: here.id, good: order.good, stock: priced.port_stock_after, anchorMs: good.anchorMs });
  changes.credits.push({
    userId: pilot.userId,
    delta: creditsDelta,
    reason: buying ? 'trade_buy' : 'trade_sell',
    ref: { port_id: here.id, good: order.good, quantity: order.quantity },
  });
  changes.events.push(
    { topic: topics.player(pilot.userId), type: 'trade.completed', data: outcome },
    {
      topic: topics.sector(pilot.sectorId),
      type: 'port.traded',
      data: {
        port_id: here.id,
        sector_id: pilot.sectorId,
        trader: pilot.name,
        side: order.side,
        good: order.good,
        quantity: order.quantity,
        unit_price: currentUnitPrice({ ...good, stock: priced.port_stock_after }),
        stock: priced.port_stock_after,
      },
    },
  );
  return { changes, outcome };
}
