/** Ship hulls (GAME.md "Ships"). */
export const HULL_IDS = ['escape_pod', 'scout', 'light_freighter', 'cargo_hauler', 'colony_ship', 'defender', 'carrier'] as const;
export type HullId = (typeof HULL_IDS)[number];

export interface HullDef {
  id: HullId;
  name: string;
  /** credits at the Stardock; null = cannot be bought */
  cost: number | null;
  holds: number;
  maxFighters: number;
  maxShields: number;
  turnsPerWarp: number;
}

export const HULLS: Readonly<Record<HullId, HullDef>> = {
  escape_pod: { id: 'escape_pod', name: 'Escape Pod', cost: null, holds: 5, maxFighters: 0, maxShields: 50, turnsPerWarp: 3 },
  scout: { id: 'scout', name: 'Scout', cost: 15_000, holds: 20, maxFighters: 100, maxShields: 100, turnsPerWarp: 1 },
  light_freighter: { id: 'light_freighter', name: 'Light Freighter', cost: 40_000, holds: 50, maxFighters: 300, maxShields: 200, turnsPerWarp: 2 },
  cargo_hauler: { id: 'cargo_hauler', name: 'Cargo Hauler', cost: 120_000, holds: 150, maxFighters: 400, maxShields: 300, turnsPerWarp: 3 },
  colony_ship: { id: 'colony_ship', name: 'Colony Ship', cost: 200_000, holds: 100, maxFighters: 200, maxShields: 400, turnsPerWarp: 3 },
  defender: { id: 'defender', name: 'Defender', cost: 250_000, holds: 60, maxFighters: 3_000, maxShields: 1_200, turnsPerWarp: 2 },
  carrier: { id: 'carrier', name: 'Carrier', cost: 800_000, holds: 120, maxFighters: 12_000, maxShields: 2_500, turnsPerWarp: 3 },
};
