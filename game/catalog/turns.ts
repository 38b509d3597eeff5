/** The turn pool (GAME.md "Turns"). A warp hop costs the hull's turnsPerWarp (hulls.ts). */
export const TURN_POOL = {
  max: 1000,
  perDay: 1000,
} as const;

export const TURN_COSTS = {
  trade: 1,
  scan: 1,
  attack: 3,
  salvage: 1,
  deploy: 1,
  landPlanet: 1,
  leavePlanet: 1,
} as const;
export type TurnAction = keyof typeof TURN_COSTS;
