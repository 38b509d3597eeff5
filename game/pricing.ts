import { accrueToward } from './accrual.js';
import { BASE_PRICE, type Commodity } from './catalog/goods.js';
import { PRICE_CURVE, STOCK_DRIFT } from './catalog/market.js';
import type { TradeMode } from './catalog/ports.js';
import { GAME_HOUR_MS } from './catalog/time.js';

/** One good at one port, as the price curve sees it. */
export interface MarketGood {
  base: number;
  stock: number;
  capacity: number;
  /** Earth Station: every unit costs base */
  fixedPrice: boolean;
}

export interface TradeQuote {
  total: number;
  averageUnitPrice: number;
  stockAfter: number;
}

export type BuyQuote = TradeQuote | { error: 'exceeds_stock' | 'invalid_quantity' };
export type SellQuote = TradeQuote | { error: 'exceeds_demand' | 'invalid_quantity' };

/**
 * The player buys `quantity` from a port that sells. Each unit is priced at the stock before
 * it moves, so one order of n costs exactly what n orders of one would: splitting never pays.
 */
export function quoteBuy(good: MarketGood, quantity: number): BuyQuote {
  if (!Number.isInteger(quantity) || quantity < 1) return { error: 'invalid_quantity' };
  if (quantity > good.stock) return { error: 'exceeds_stock' };
  let total = 0;
  if (good.fixedPrice) total = good.base * quantity;
  else {
    const priceAt = priceCurve(good, 'sell');
    for (let i = 0; i < quantity; i++) total += priceAt(good.stock - i);
  }
  return { total, averageUnitPrice: total / quantity, stockAfter: good.stock - quantity };
}

/** The player sells `quantity` to a port that buys; demand is the room left below capacity. */
export function quoteSell(good: MarketGood, quantity: number): SellQuote {
  if (!Number.isInteger(quantity) || quantity < 1) return { error: 'invalid_quantity' };
  if (quantity > good.capacity - good.stock) return { error: 'exceeds_demand' };
  let total = 0;
  if (good.fixedPrice) total = good.base * quantity;
  else {
    const priceAt = priceCurve(good, 'buy');
    for (let i = 0; i < quantity; i++) total += priceAt(good.stock + i);
  }
  return { total, averageUnitPrice: total / quantity, stockAfter: good.stock + quantity };
}

/** Price of the next single unit, for display; `mode` is the port's side of the trade. */
export function currentUnitPrice(good: MarketGood & { mode: TradeMode }): number {
  return good.fixedPrice ? good.base : priceCurve(good, good.mode)(good.stock);
}

/**
 * Unit price as a function of stock, in exact integer arithmetic (percent coefficients),
 * rounded in the port's favour: up when the player pays, down when the player is paid.
 */
function priceCurve(good: MarketGood, portMode: TradeMode): (stock: number) => number {
  const { base, capacity } = good;
  const slope = portMode === 'sell' ? PRICE_CURVE.portSellsSlopePct : PRICE_CURVE.portBuysSlopePct;
  const round = portMode === 'sell' ? Math.ceil : Math.floor;
  const intercept = PRICE_CURVE.interceptPct * capacity;
  const denominator = 100 * capacity;
  const [floor, ceiling] = priceBand(base);
  // Numerator and denominator are exact integers well below 2^53, so the division rounds
  // correctly and never lands on the wrong side of a whole number.
  return (stock) => Math.min(ceiling, Math.max(floor, round((base * (intercept - slope * stock)) / denominator)));
}

/** The integer prices inside base × [0.6, 1.4]. */
export function priceBand(base: number): [floor: number, ceiling: number] {
  return [Math.ceil((base * PRICE_CURVE.floorPct) / 100), Math.floor((base * PRICE_CURVE.ceilingPct) / 100)];
}

export interface DriftingStock {
  stock: number;
  capacity: number;
  /** the port's side: each drifts toward its resting level (STOCK_DRIFT.restingShare) */
  mode: TradeMode;
  anchorMs: number;
  fixedPrice?: boolean;
}

export interface StockDrift {
  /** share of capacity moved per game hour */
  ratePerGameHour: number;
  timeScale: number;
}

/** Where a port-good's stock settles when nobody trades it. */
export function restingStock(good: Pick<DriftingStock, 'capacity' | 'mode'>): number {
  return Math.round(good.capacity * STOCK_DRIFT.restingShare[good.mode]);
}

/** Brings a port-good's stock up to date at nowMs; fractions of a unit carry via the anchor. */
export function driftStock(good: DriftingStock, nowMs: number, drift: StockDrift): { stock: number; anchorMs: number } {
  if (good.fixedPrice) return { stock: good.capacity, anchorMs: Math.max(good.anchorMs, nowMs) };
  const next = accrueToward({ value: good.stock, anchorMs: good.anchorMs }, nowMs, {
    target: restingStock(good),
    unitsPerPeriod: good.capacity * drift.ratePerGameHour * drift.timeScale,
    periodMs: GAME_HOUR_MS,
  });
  return { stock: next.value, anchorMs: next.anchorMs };
}

/** A port-good as stored: stock as of its anchor. */
export interface StoredPortGood {
  good: Commodity;
  mode: TradeMode;
  capacity: number;
  stock: number;
  anchorMs: number;
  fixedPrice: boolean;
}

/**
 * A stored port-good as the market stands at `atMs`: drift applied (players' reads pass now,
 * jobs their window's time), with its base price, ready for the quote functions.
 */
export function portGoodAt(stored: StoredPortGood, atMs: number, timeScale: number) {
  const drifted = driftStock(stored, atMs, { ratePerGameHour: STOCK_DRIFT.ratePerGameHour, timeScale });
  return { ...stored, stock: drifted.stock, anchorMs: drifted.anchorMs, base: BASE_PRICE[stored.good] };
}
