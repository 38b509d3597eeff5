/**
 * Port price curve and stock drift (GAME.md "Trading"). Percentages of the base price are
 * integers so unit prices can be computed exactly in integer arithmetic.
 */
export const PRICE_CURVE = {
  /** unit price at p = 0, as % of base */
  interceptPct: 130,
  /** slope when the port sells (player buys): base × (1.30 − 0.50·p) */
  portSellsSlopePct: 50,
  /** slope when the port buys (player sells): base × (1.30 − 0.60·p) */
  portBuysSlopePct: 60,
  /** every unit price is clamped to base × [0.6, 1.4] */
  floorPct: 60,
  ceilingPct: 140,
} as const;

/** Sellers restock toward capacity, buyers consume toward zero, at this share of capacity. */
export const STOCK_DRIFT = {
  ratePerGameHour: 0.05,
} as const;
