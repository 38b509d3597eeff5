import type { HullId } from './hulls.js';

/** NPC traders (GAME.md "NPCs"): pilots the jobs process flies between ports so markets move. */
export const NPC_TRADER = {
  hullId: 'cargo_hauler',
  fighters: 50,
  /**
   * Working capital. Profit above it is paid out as upkeep (a money sink, through the ledger),
   * so NPC traders move goods and prices without growing the money supply.
   */
  capital: 30_000,
  /** how far (in warps) a trader looks for a buyer, and travels in one window */
  searchHops: 3,
  /** a purchase must promise at least this profit over its cost, in percent */
  minMarginPct: 5,
  /** the ordinary markets: not Earth Station (0) nor the Stardock (9) */
  portClasses: [1, 2, 3, 4, 5, 6, 7, 8],
} as const satisfies {
  hullId: HullId;
  fighters: number;
  capital: number;
  searchHops: number;
  minMarginPct: number;
  portClasses: readonly number[];
};

/** Family names; a trader is "Trader <name>", which no account name can be (they have no spaces). */
export const NPC_TRADER_NAMES = [
  'Okafor',
  'Lindqvist',
  'Tanaka',
  'Moreau',
  'Haddad',
  'Novak',
  'Reyes',
  'Kowalski',
  'Abara',
  'Sorensen',
  'Ivanova',
  'Mbeki',
  'Castillo',
  'Nakamura',
  'Oyelaran',
  'Petrov',
  'Quispe',
  'Rahman',
  'Salazar',
  'Takahashi',
  'Umarov',
  'Varga',
  'Whitlock',
  'Yilmaz',
] as const;
