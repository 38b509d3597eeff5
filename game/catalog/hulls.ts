/** Ship hulls (GAME.md "Ships"). */
export const HULL_IDS = ['escape_pod', 'scout', 'light_freighter', 'cargo_hauler', 'colony_ship', 'defender', 'carrier'] as const;
export type HullId = (typeof HULL_IDS)[number];
/** The hulls the Stardock sells (an Escape Pod is only ever ejected into). */
export const BUYABLE_HULL_IDS = ['scout', 'light_freighter', 'cargo_hauler', 'colony_ship', 'defender', 'carrier'] as const;
export type BuyableHullId = (typeof BUYABLE_HULL_IDS)[number];

export interface HullDef {
  id: HullId;
  name: string;
  /** credits at the Stardock; null = cannot be bought */
  cost: number | null;
  /** holds the hull comes with */
  holds: number;
  /** the most holds extra purchases can bring it to */
  maxHolds: number;
  maxFighters: number;
  maxShields: number;
  /** shields a new ship of this hull comes with */
  startingShields: number;
  maxMines: number;
  maxGenesisTorpedoes: number;
  turnsPerWarp: number;
}

export const HULLS: Readonly<Record<HullId, HullDef>> = {
  escape_pod: {
    id: 'escape_pod',
    name: 'Escape Pod',
    cost: null,
    holds: 5,
    maxHolds: 5,
    maxFighters: 0,
    maxShields: 50,
    startingShields: 50,
    maxMines: 0,
    maxGenesisTorpedoes: 0,
    turnsPerWarp: 3,
  },
  scout: {
    id: 'scout',
    name: 'Scout',
    cost: 15_000,
    holds: 20,
    maxHolds: 40,
    maxFighters: 100,
    maxShields: 100,
    startingShields: 50,
    maxMines: 5,
    maxGenesisTorpedoes: 0,
    turnsPerWarp: 1,
  },
  light_freighter: {
    id: 'light_freighter',
    name: 'Light Freighter',
    cost: 40_000,
    holds: 50,
    maxHolds: 100,
    maxFighters: 300,
    maxShields: 200,
    startingShields: 50,
    maxMines: 10,
    maxGenesisTorpedoes: 1,
    turnsPerWarp: 2,
  },
  cargo_hauler: {
    id: 'cargo_hauler',
    name: 'Cargo Hauler',
    cost: 120_000,
    holds: 150,
    maxHolds: 250,
    maxFighters: 400,
    maxShields: 300,
    startingShields: 100,
    maxMines: 10,
    maxGenesisTorpedoes: 2,
    turnsPerWarp: 3,
  },
  colony_ship: {
    id: 'colony_ship',
    name: 'Colony Ship',
    cost: 200_000,
    holds: 100,
    maxHolds: 200,
    maxFighters: 200,
    maxShields: 400,
    startingShields: 100,
    maxMines: 10,
    maxGenesisTorpedoes: 5,
    turnsPerWarp: 3,
  },
  defender: {
    id: 'defender',
    name: 'Defender',
    cost: 250_000,
    holds: 60,
    maxHolds: 100,
    maxFighters: 3_000,
    maxShields: 1_200,
    startingShields: 300,
    maxMines: 50,
    maxGenesisTorpedoes: 2,
    turnsPerWarp: 2,
  },
  carrier: {
    id: 'carrier',
    name: 'Carrier',
    cost: 800_000,
    holds: 120,
    maxHolds: 200,
    maxFighters: 12_000,
    maxShields: 2_500,
    startingShields: 500,
    maxMines: 100,
    maxGenesisTorpedoes: 5,
    turnsPerWarp: 3,
  },
};
