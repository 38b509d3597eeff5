/** Sector defenses (GAME.md "Combat and defenses"): the numbers game/defenses.ts runs on. */
export const DEFENSES = {
  /** an entrant meets this share of a hostile mine field (at least one mine), spread by the seed */
  mineHitShare: 0.25,
  /** the random spread of the mines that hit: × [1 − spread, 1 + spread] */
  mineSpread: 0.3,
  /** damage one mine deals, absorbed by shields first, then fighters; mines alone never destroy a ship */
  mineDamage: 10,
  /** the most a toll may be set to */
  maxToll: 1_000_000,
} as const;
