/** Planet types (GAME.md "Planets"); production multipliers will join these rows. */
export const PLANET_TYPES = ['earthlike', 'oceanic', 'desert', 'volcanic', 'glacial', 'gaseous'] as const;
export type PlanetType = (typeof PLANET_TYPES)[number];

/** How often each type appears in a generated galaxy. */
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
