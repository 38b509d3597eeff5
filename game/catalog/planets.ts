import type { Commodity } from './goods.js';

/** Planet types (GAME.md "Planets"): each sets production multipliers (percent of the base rate). */
export const PLANET_TYPES = ['earthlike', 'oceanic', 'desert', 'volcanic', 'glacial', 'gaseous'] as const;
export type PlanetType = (typeof PLANET_TYPES)[number];

/** How often each type appears in a generated galaxy, and when a genesis torpedo draws one. */
export const PLANET_TYPE_WEIGHTS: readonly (readonly [PlanetType, number])[] = [
  ['earthlike', 10],
  ['oceanic', 15],
  ['desert', 20],
  ['volcanic', 15],
  ['glacial', 20],
  ['gaseous', 20],
];

export const NEW_EARTH = { name: 'New Earth', planetType: 'earthlike' } as const;

/** A sector holds at most this many planets (genesis torpedoes respect it). */
export const MAX_PLANETS_PER_SECTOR = 3;

/** What colonists can be set to work on: the three goods and fighters. */
export const PLANET_PRODUCTS = ['ore', 'organics', 'equipment', 'fighters'] as const;
export type PlanetProduct = (typeof PLANET_PRODUCTS)[number];
export type PlanetGood = Exclude<Commodity, 'colonists'>;
export const PLANET_GOODS: readonly PlanetGood[] = ['ore', 'organics', 'equipment'];

/**
 * Units produced per game day by 100 colonists working on a product, before the type's
 * multiplier: 100 colonists on fuel ore on an Earth-like planet make 100 ore a day.
 */
export const BASE_PRODUCTION_PER_100: Record<PlanetProduct, number> = { ore: 100, organics: 80, equipment: 50, fighters: 10 };

/** Production multipliers by type, in percent of the base rate. */
export const PLANET_MULTIPLIERS: Record<PlanetType, Record<PlanetProduct, number>> = {
  earthlike: { ore: 100, organics: 100, equipment: 100, fighters: 100 },
  oceanic: { ore: 50, organics: 200, equipment: 80, fighters: 80 },
  desert: { ore: 150, organics: 30, equipment: 100, fighters: 100 },
  volcanic: { ore: 250, organics: 20, equipment: 60, fighters: 120 },
  glacial: { ore: 80, organics: 40, equipment: 150, fighters: 80 },
  gaseous: { ore: 120, organics: 10, equipment: 50, fighters: 200 },
};

export interface CitadelLevel {
  level: number;
  /** most colonists the planet holds */
  population: number;
  /** most units of each good in planet stock */
  storage: number;
  /** most fighters stationed on the planet */
  fighters: number;
  /** planet shields at this level (set when the level is reached) */
  shields: number;
  /** the cost of building this level from the one below: credits from the pilot, goods from planet stock */
  credits: number;
  goods: Record<PlanetGood, number>;
  /** game hours the build takes */
  buildHours: number;
}

/** Citadel levels 0 (none) to 5. Level n's cost is what it takes to build it from n − 1. */
export const CITADEL_LEVELS: readonly CitadelLevel[] = [
  { level: 0, population: 2_000, storage: 2_000, fighters: 5_000, shields: 0, credits: 0, goods: { ore: 0, organics: 0, equipment: 0 }, buildHours: 0 },
  {
    level: 1,
    population: 5_000,
    storage: 5_000,
    fighters: 10_000,
    shields: 500,
    credits: 20_000,
    goods: { ore: 100, organics: 100, equipment: 100 },
    buildHours: 12,
  },
  {
    level: 2,
    population: 10_000,
    storage: 10_000,
    fighters: 20_000,
    shields: 1_500,
    credits: 60_000,
    goods: { ore: 500, organics: 500, equipment: 500 },
    buildHours: 24,
  },
  {
    level: 3,
    population: 20_000,
    storage: 20_000,
    fighters: 40_000,
    shields: 4_000,
    credits: 150_000,
    goods: { ore: 1_000, organics: 1_000, equipment: 1_000 },
    buildHours: 48,
  },
  {
    level: 4,
    population: 35_000,
    storage: 35_000,
    fighters: 80_000,
    shields: 8_000,
    credits: 400_000,
    goods: { ore: 2_000, organics: 2_000, equipment: 2_000 },
    buildHours: 72,
  },
  {
    level: 5,
    population: 50_000,
    storage: 50_000,
    fighters: 150_000,
    shields: 15_000,
    credits: 1_000_000,
    goods: { ore: 4_000, organics: 4_000, equipment: 4_000 },
    buildHours: 96,
  },
];
export const MAX_CITADEL_LEVEL = CITADEL_LEVELS.length - 1;

export const PLANET_NAME_MAX = 40;

/** Experience for founding a colony (genesis) and for capturing a planet. */
export const PLANET_EXPERIENCE = { genesis: 20, capture: 50 } as const;
