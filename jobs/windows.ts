import type { Config } from '../platform/config.js';
import type { JobName } from './names.js';

/**
 * A job's schedule is a period; its windows are the epoch-aligned slices of that period. Every
 * process computes the same window for the same instant, so a window names one unit of work:
 * the key of its `job_runs` row, and the time the job brings the world to.
 */
export interface Cadence {
  /** default period in ms, on the clock below */
  ms: number;
  /** `game`: the period is game time, so it shrinks as GAME_TIME_SCALE grows */
  clock: 'wall' | 'game';
}

/** Windows shorter than a second would only churn job_runs; faster clocks fold into one window. */
export const MIN_PERIOD_MS = 1_000;

export function periodMs(job: { name: JobName; every: Cadence }, config: Pick<Config, 'gameTimeScale' | 'jobs'>): number {
  const every = config.jobs.every[job.name] ?? job.every.ms;
  const real = job.every.clock === 'game' ? every / config.gameTimeScale : every;
  return Math.max(MIN_PERIOD_MS, Math.round(real));
}

export function windowStartOf(nowMs: number, period: number): Date {
  return new Date(Math.floor(nowMs / period) * period);
}

/**
 * The croner pattern that fires at least once in every window: whole hours fire hourly, whole
 * minutes every minute, anything else every second. Extra firings inside a window cost one
 * comparison, as the scheduler runs a window only once.
 */
export function triggerPattern(period: number): string {
  if (period % 3_600_000 === 0) return '0 0 * * * *';
  if (period % 60_000 === 0) return '0 * * * * *';
  return '* * * * * *';
}
