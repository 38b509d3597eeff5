/** Teams and mail (GAME.md, People). */
export const TEAM = {
  /** leader included */
  maxMembers: 6,
  nameLength: { min: 3, max: 32 },
  tagLength: { min: 2, max: 5 },
} as const;

export const MAIL = {
  subjectMax: 120,
  bodyMax: 4_000,
  pageSize: 25,
} as const;

/** The global broadcast: a credit sink with a strict limit per pilot. */
export const BROADCAST = {
  cost: 5_000,
  /** one broadcast per pilot per this many milliseconds (real time) */
  intervalMs: 60 * 60 * 1000,
  bodyMax: 280,
} as const;
