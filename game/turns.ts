import { accrueToward } from './accrual.js';
import { rankFor } from './catalog/experience.js';
import { GAME_DAY_MS } from './catalog/time.js';
import { TURN_POOL } from './catalog/turns.js';

export interface TurnState {
  /** whole turns available */
  turns: number;
  /** regeneration is counted from here (ms epoch) */
  anchorMs: number;
}

export interface TurnRegen {
  /** pool size for this pilot, see maxTurnsFor */
  max: number;
  perDay: number;
  /** GAME_TIME_SCALE: game days pass this many times faster than real days */
  timeScale: number;
}

/** Pool size grows a little with rank. */
export function maxTurnsFor(experience: number): number {
  return TURN_POOL.max + rankFor(experience).maxTurnsBonus;
}

/** Brings a turn pool up to date at nowMs. A pool already above max (an admin grant) is kept, not cut. */
export function regenTurns(state: TurnState, nowMs: number, regen: TurnRegen): TurnState {
  if (state.turns >= regen.max) {
    return nowMs > state.anchorMs ? { turns: state.turns, anchorMs: nowMs } : state;
  }
  const next = accrueToward({ value: state.turns, anchorMs: state.anchorMs }, nowMs, {
    target: regen.max,
    unitsPerPeriod: regen.perDay * regen.timeScale,
    periodMs: GAME_DAY_MS,
  });
  return { turns: next.value, anchorMs: next.anchorMs };
}

export type SpendTurnsResult = TurnState | { error: 'insufficient_turns'; available: number; needed: number };

/** Regenerates to nowMs, then spends; the pool never goes negative. */
export function spendTurns(state: TurnState, cost: number, nowMs: number, regen: TurnRegen): SpendTurnsResult {
  if (!Number.isInteger(cost) || cost < 0) throw new RangeError(`turn cost must be a whole number >= 0, got ${cost}`);
  const current = regenTurns(state, nowMs, regen);
  if (current.turns < cost) return { error: 'insufficient_turns', available: current.turns, needed: cost };
  return { turns: current.turns - cost, anchorMs: current.anchorMs };
}

/** Milliseconds until the next whole turn arrives, or null when the pool is full. */
export function msUntilNextTurn(state: TurnState, nowMs: number, regen: TurnRegen): number | null {
  const current = regenTurns(state, nowMs, regen);
  if (current.turns >= regen.max) return null;
  const msPerTurn = GAME_DAY_MS / (regen.perDay * regen.timeScale);
  return Math.max(0, Math.ceil(current.anchorMs + msPerTurn - nowMs));
}
