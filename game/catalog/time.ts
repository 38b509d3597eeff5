/** Game-clock units in real milliseconds at GAME_TIME_SCALE = 1; rules divide by the scale. */
export const GAME_HOUR_MS = 3_600_000;
export const GAME_DAY_MS = 86_400_000;
