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

/**
 * Markets recover after players trade: stock moves back toward a resting level at this share of
 * capacity per game hour. GAME.md has sellers restock to capacity and buyers consume to zero, but
 * at those extremes every port pair pays 1.30 / 0.80 − 1 ≈ 62% (56% for a full hold), three
 * times GAME.md's own balance target; resting at 75% (sellers) and 25% (buyers) puts the best
 * pair near a new player's start at 10–30% (`game/balance.test.ts`, `npm run bench -- economy`).
 *
 * The rate is what makes markets remember play: at 5% an hour a drained port was back within
 * 15 game hours, so a pair could be worked forever and nothing a player did lasted a day. At 2%
 * a seller drained to empty takes 37 game hours to refill (a half-drained one 19): a pair worked
 * hard pays less while it is worked and recovers over one to two game days (the economy bench's
 * worked pair against an idle one).
 */
export const STOCK_DRIFT = {
  ratePerGameHour: 0.02,
  restingShare: { sell: 0.75, buy: 0.25 },
} as const;
