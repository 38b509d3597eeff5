/** Ship combat (GAME.md "Combat and defenses"): the numbers the rule in game/combat.ts runs on. */
export const COMBAT = {
  /** each round a side hits with this share of its fighters (at least one hit while it has any) */
  roundShare: 0.25,
  /** the random spread of a side's hits in a round: × [1 − spread, 1 + spread] */
  spread: 0.3,
  /** the defender's fighters hit this much harder */
  defenderBonus: 0.1,
  /** an exchange stops after this many rounds even if both sides still stand */
  maxRounds: 60,
  /** experience: one point per this many enemy fighters destroyed, plus a bonus for a kill */
  fightersPerExperience: 10,
  destructionExperience: 50,
  /** alignment: attacking a good pilot (alignment ≥ 0) costs this, an evil one gains it; a kill doubles it */
  alignmentShift: 10,
  /** a wreck can be salvaged for one game day */
  wreckLifetimeGameMs: 86_400_000,
} as const;

/**
 * New-pilot protection defaults (config: NEW_PILOT_PROTECTION_NET_WORTH,
 * NEW_PILOT_PROTECTION_HOURS; 0 turns either off). A pilot is protected while it is both below
 * the net worth and younger than the hours (game hours); passing either ends it.
 */
export const NEW_PILOT_PROTECTION = {
  netWorth: 100_000,
  hours: 48,
} as const;

/** How a scan reports fighters and shields: rounded to one of these bands (lower bounds). */
export const SCAN_BANDS = [0, 1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000] as const;
