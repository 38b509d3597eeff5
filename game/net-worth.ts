import { BASE_PRICE } from './catalog/goods.js';
import { HULLS, type HullId } from './catalog/hulls.js';
import { STARDOCK } from './catalog/stardock.js';
import { type Planet, planetWorth } from './planets.js';

export interface WorthHolding {
  credits: number;
  hull: string;
  cargo: { ore: number; organics: number; equipment: number; colonists: number };
  /** the planets the pilot owns */
  planets?: ReadonlyArray<Pick<Planet, 'stock' | 'colonists' | 'fighters' | 'citadelLevel'>>;
}

const PLANET_PRICES = { ...BASE_PRICE, fighter: STARDOCK.unitPrice.fighters };

/** What a planet adds to its owner's net worth: stock and colonists at base prices, fighters at the Stardock price, the citadel's credits. */
export function planetNetWorth(planet: Pick<Planet, 'stock' | 'colonists' | 'fighters' | 'citadelLevel'>): number {
  return planetWorth(planet, PLANET_PRICES);
}

/**
 * Net worth for the leaderboard: credits, the hull at its Stardock list price (nothing for a
 * hull that cannot be bought), cargo at base prices and owned planets (planetNetWorth), so
 * rankings do not move with markets.
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
    cargo.colonists * BASE_PRICE.colonists +
    (holding.planets ?? []).reduce((sum, planet) => sum + planetNetWorth(planet), 0)
  );
}
