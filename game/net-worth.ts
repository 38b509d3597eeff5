import { BASE_PRICE } from './catalog/goods.js';
import { HULLS, type HullId } from './catalog/hulls.js';

export interface WorthHolding {
  credits: number;
  hull: string;
  cargo: { ore: number; organics: number; equipment: number; colonists: number };
}

/**
 * Net worth for the leaderboard: credits, the hull at its Stardock list price (nothing for a
 * hull that cannot be bought) and cargo at base prices, so rankings do not move with markets.
 */
export function netWorth(holding: WorthHolding): number {
  const hull = HULLS[holding.hull as HullId];
  const { cargo } = holding;
  return (
    holding.credits +
    (hull?.cost ?? 0) +
    cargo.ore * BASE_PRICE.ore +
    cargo.organics * BASE_PRICE.organics +
    cargo.equipment * BASE_PRICE.equipment +
    cargo.colonists * BASE_PRICE.colonists
  );
}
