/** Experience awards and ranks (GAME.md "People"). */
export const EXPERIENCE = {
  /** first visit of a sector */
  newSector: 2,
  /** one point per this many credits of trade profit */
  creditsPerTradePoint: 100,
} as const;

export interface RankDef {
  minExperience: number;
  title: string;
  /** added to TURN_POOL.max */
  maxTurnsBonus: number;
}

/** Ascending by minExperience; the first entry must start at 0. */
export const RANKS: readonly RankDef[] = [
  { minExperience: 0, title: 'Civilian', maxTurnsBonus: 0 },
  { minExperience: 100, title: 'Cadet', maxTurnsBonus: 10 },
  { minExperience: 400, title: 'Ensign', maxTurnsBonus: 20 },
  { minExperience: 1_000, title: 'Lieutenant', maxTurnsBonus: 30 },
  { minExperience: 2_500, title: 'Lieutenant Commander', maxTurnsBonus: 40 },
  { minExperience: 5_000, title: 'Commander', maxTurnsBonus: 50 },
  { minExperience: 10_000, title: 'Captain', maxTurnsBonus: 60 },
  { minExperience: 20_000, title: 'Commodore', maxTurnsBonus: 70 },
  { minExperience: 40_000, title: 'Rear Admiral', maxTurnsBonus: 80 },
  { minExperience: 80_000, title: 'Admiral', maxTurnsBonus: 90 },
  { minExperience: 160_000, title: 'Fleet Admiral', maxTurnsBonus: 100 },
];

export function rankFor(experience: number): { rank: number; title: string; maxTurnsBonus: number } {
  let rank = 0;
  for (let i = 1; i < RANKS.length; i++) {
    if (experience >= (RANKS[i] as RankDef).minExperience) rank = i;
    else break;
  }
  const def = RANKS[rank] as RankDef;
  return { rank, title: def.title, maxTurnsBonus: def.maxTurnsBonus };
}

/** Losses earn nothing; partial hundreds are dropped. */
export function tradeExperience(profit: number): number {
  return profit > 0 ? Math.floor(profit / EXPERIENCE.creditsPerTradePoint) : 0;
}
