import { BASE_PRICE, type Commodity } from '../../game/catalog/goods.js';
import { tradeExperience } from '../../game/catalog/experience.js';
import { TURN_COSTS } from '../../game/catalog/turns.js';
import { currentUnitPrice, quoteBuy, quoteSell } from '../../game/pricing.js';
import type { Trx } from '../../platform/actions.js';
import type { Db } from '../../platform/db/database.js';
import type { Player, Ship } from '../../platform/db/schema.js';
import { prepared } from '../../platform/db/prepared.js';
import { Problem } from '../../platform/errors.js';
import { topics, type DomainEvent } from '../../platform/events.js';
import { changeCredits } from '../../platform/ledger.js';
import { driftedGood, type DriftedGood } from '../sectors/market.js';
import { cargoUsed, currentTurns, spendPilotTurns, type Pilot } from '../player/pilot.js';

export type TradeSide = 'buy' | 'sell';

const CARGO_COLUMN = {
  ore: 'cargo_ore',
  organics: 'cargo_organics',
  equipment: 'cargo_equipment',
  colonists: 'cargo_colonists',
} as const satisfies Record<Commodity, keyof Ship>;

export interface PricedTrade {
  side: TradeSide;
  good: Commodity;
  quantity: number;
  total: number;
  average_unit_price: number;
  port_stock_after: number;
  turns: number;
}

interface PortAtHand {
  port: { id: number; name: string; sector_id: number };
  good: DriftedGood;
}

const portIn = prepared((db, a: { sectorId: number }) => db.selectFrom('ports').select(['id', 'name', 'sector_id']).where('sector_id', '=', a.sectorId));
const portGoodQuery = (db: Db, a: { portId: number; good: string }) =>
  db.selectFrom('port_goods').selectAll().where('port_id', '=', a.portId).where('good', '=', a.good);
const portGood = prepared(portGoodQuery);
const lockedPortGood = prepared((db, a: { portId: number; good: string }) => portGoodQuery(db, a).forUpdate());
const setPortStock = prepared((db, a: { portId: number; good: string; stock: number; anchor: Date }) =>
  db.updateTable('port_goods').set({ stock: a.stock, anchor_at: a.anchor }).where('port_id', '=', a.portId).where('good', '=', a.good),
);
/** One statement per cargo column: the column is part of the SQL, the amount a parameter. */
const addCargo = Object.fromEntries(
  Object.entries(CARGO_COLUMN).map(([good, column]) => [
    good,
    prepared((db, a: { shipId: number; delta: number }) =>
      db
        .updateTable('ships')
        .set((eb) => ({ [column]: eb(column, '+', a.delta) }))
        .where('id', '=', a.shipId),
    ),
  ]),
) as Record<Commodity, ReturnType<typeof prepared<{ shipId: number; delta: number }, unknown>>>;
const addExperience = prepared((db, a: { userId: string; experience: number }) =>
  db
    .updateTable('players')
    .set((eb) => ({ experience: eb('experience', '+', a.experience) }))
    .where('user_id', '=', a.userId),
);

/**
 * The port good a trade touches, drifted to now. With `trx` the row is locked (FOR UPDATE):
 * callers have already locked the player and the ship, keeping the fixed lock order.
 */
async function portGoodForTrade(
  db: Db | Trx,
  sectorId: number,
  side: TradeSide,
  good: Commodity,
  nowMs: number,
  timeScale: number,
  lock: boolean,
): Promise<PortAtHand> {
  const port = await portIn.first(db, { sectorId });
  if (!port) throw new Problem(409, 'no_port', 'There is no port in this sector');
  const row = await (lock ? lockedPortGood : portGood).first(db, { portId: port.id, good });
  const wanted = side === 'buy' ? 'sell' : 'buy';
  if (!row || row.mode !== wanted) {
    throw new Problem(
      409,
      side === 'buy' ? 'good_not_sold_here' : 'good_not_bought_here',
      side === 'buy' ? `This port does not sell ${good}` : `This port does not buy ${good}`,
    );
  }
  return { port, good: driftedGood(row, nowMs, timeScale) };
}

/** Price a trade along the port's curve; refuses what the port itself cannot do. */
function priceAtPort(at: PortAtHand, side: TradeSide, quantity: number): PricedTrade {
  const { good } = at;
  const quote = side === 'buy' ? quoteBuy(good, quantity) : quoteSell(good, quantity);
  if ('error' in quote) {
    if (quote.error === 'exceeds_stock') throw new Problem(409, 'exceeds_stock', `The port has only ${good.stock} ${good.good}`, { available: good.stock });
    if (quote.error === 'exceeds_demand')
      throw new Problem(409, 'exceeds_demand', `The port will buy only ${good.capacity - good.stock} ${good.good}`, { available: good.capacity - good.stock });
    throw new Problem(422, 'invalid_quantity', 'Quantity must be a whole number of at least 1');
  }
  return {
    side,
    good: good.good,
    quantity,
    total: quote.total,
    average_unit_price: Math.round(quote.averageUnitPrice * 100) / 100,
    port_stock_after: quote.stockAfter,
    turns: TURN_COSTS.trade,
  };
}

/** What on the pilot's side would refuse a priced trade: turns, holds, credits or cargo. */
function pilotObstacle(player: Player, ship: Ship, priced: PricedTrade, nowMs: number, timeScale: number): Problem | null {
  const { quantity, good } = priced;
  const turns = currentTurns(player, nowMs, timeScale).turns;
  if (turns < TURN_COSTS.trade) return new Problem(409, 'insufficient_turns', 'Not enough turns', { available: turns, needed: TURN_COSTS.trade });
  if (priced.side === 'buy') {
    const free = ship.holds - cargoUsed(ship);
    if (quantity > free) return new Problem(409, 'insufficient_holds', `Only ${free} holds are free`, { available: free });
    if (priced.total > player.credits) {
      return new Problem(409, 'insufficient_credits', `That costs ${priced.total} credits; you have ${player.credits}`, {
        available: player.credits,
        needed: priced.total,
      });
    }
    return null;
  }
  const carried = ship[CARGO_COLUMN[good]];
  if (quantity > carried) return new Problem(409, 'insufficient_cargo', `You carry only ${carried} ${good}`, { available: carried });
  return null;
}

/** The price of a trade here and now, and whether this pilot could make it (changes nothing). */
export async function quoteTrade(db: Db, pilot: Pilot, side: TradeSide, good: Commodity, quantity: number, nowMs: number, timeScale: number) {
  const at = await portGoodForTrade(db, pilot.player.sector_id, side, good, nowMs, timeScale, false);
  const priced = priceAtPort(at, side, quantity);
  const obstacle = pilotObstacle(pilot.player, pilot.ship, priced, nowMs, timeScale);
  return { ...priced, port_id: at.port.id, can_execute: obstacle === null, blocked_by: obstacle?.code ?? null };
}

/**
 * Execute a trade on a locked pilot: lock the port good, price it, then move credits (through
 * the ledger), cargo and stock together. Goods are conserved: what leaves the port's stock
 * lands in the hold and the other way round.
 */
export async function executeTrade(
  trx: Trx,
  pilot: Pilot,
  side: TradeSide,
  good: Commodity,
  quantity: number,
  nowMs: number,
  timeScale: number,
  events: DomainEvent[],
) {
  const { player, ship } = pilot;
  const at = await portGoodForTrade(trx, player.sector_id, side, good, nowMs, timeScale, true);
  const priced = priceAtPort(at, side, quantity);
  const obstacle = pilotObstacle(player, ship, priced, nowMs, timeScale);
  if (obstacle) throw obstacle;
  await spendPilotTurns(trx, player, TURN_COSTS.trade, nowMs, timeScale);

  const signed = side === 'buy' ? -priced.total : priced.total;
  const reason = side === 'buy' ? 'trade_buy' : 'trade_sell';
  const credits = await changeCredits(trx, player.user_id, signed, reason, { port_id: at.port.id, good, quantity });
  const column = CARGO_COLUMN[good];
  const cargoDelta = side === 'buy' ? quantity : -quantity;
  await addCargo[good].execute(trx, { shipId: ship.id, delta: cargoDelta });
  await setPortStock.execute(trx, { portId: at.port.id, good, stock: priced.port_stock_after, anchor: new Date(at.good.anchorMs) });

  // Selling above the galaxy's base price is what counts as trade profit for experience.
  const experience = side === 'sell' ? tradeExperience(priced.total - quantity * BASE_PRICE[good]) : 0;
  if (experience > 0) {
    await addExperience.execute(trx, { userId: player.user_id, experience });
  }
  player.credits = credits;
  player.experience += experience;
  ship[column] += cargoDelta;

  const nextPrice = currentUnitPrice({ ...at.good, stock: priced.port_stock_after });
  events.push(
    {
      topic: topics.player(player.user_id),
      type: 'trade.completed',
      data: { ...priced, port_id: at.port.id, port_name: at.port.name, sector_id: player.sector_id, credits_after: credits, experience_gained: experience },
    },
    {
      topic: topics.sector(player.sector_id),
      type: 'port.traded',
      data: {
        port_id: at.port.id,
        sector_id: player.sector_id,
        trader: player.name,
        side,
        good,
        quantity,
        unit_price: nextPrice,
        stock: priced.port_stock_after,
      },
    },
  );
  return { ...priced, port_id: at.port.id, credits_after: credits, experience_gained: experience };
}
