import type { HullId } from './hulls.js';

/** What a newly registered pilot starts with; turns start full (TURN_POOL.max). */
export const NEW_PILOT = {
  hullId: 'light_freighter',
  credits: 20_000,
  fighters: 30,
  sectorId: 1,
} as const satisfies { hullId: HullId; credits: number; fighters: number; sectorId: number };
