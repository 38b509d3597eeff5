import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { periodMs, triggerPattern, windowStartOf } from './windows.js';

const config = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: '/tmp/sectorwars-test-unused', JWT_SECRET: 'x'.repeat(32), ...env });
const hourly = { name: 'market-drift' as const, every: { ms: 3_600_000, clock: 'game' as const } };
const relay = { name: 'outbox-relay' as const, every: { ms: 5_000, clock: 'wall' as const } };

describe('job windows', () => {
  it('divides game-time periods by GAME_TIME_SCALE and leaves wall-clock ones alone', () => {
    expect(periodMs(hourly, config())).toBe(3_600_000);
    expect(periodMs(hourly, config({ GAME_TIME_SCALE: '144' }))).toBe(25_000);
    expect(periodMs(relay, config({ GAME_TIME_SCALE: '144' }))).toBe(5_000);
  });

  it('takes the cadence from JOB_<NAME>_EVERY, in the job’s own clock', () => {
    expect(periodMs(hourly, config({ JOB_MARKET_DRIFT_EVERY: '30m', GAME_TIME_SCALE: '2' }))).toBe(900_000);
    expect(periodMs(relay, config({ JOB_OUTBOX_RELAY_EVERY: '2s' }))).toBe(2_000);
  });

  it('never makes a window shorter than a second', () => {
    expect(periodMs(hourly, config({ GAME_TIME_SCALE: '1000000' }))).toBe(1_000);
  });

  it('aligns windows on the epoch, so every process names the same window', () => {
    expect(windowStartOf(Date.UTC(2030, 0, 1, 10, 59, 59, 999), 3_600_000).toISOString()).toBe('2030-01-01T10:00:00.000Z');
    expect(windowStartOf(Date.UTC(2030, 0, 1, 11, 0, 0, 0), 3_600_000).toISOString()).toBe('2030-01-01T11:00:00.000Z');
    expect(windowStartOf(12_345, 5_000).getTime()).toBe(10_000);
  });

  it('fires hourly, per minute or per second, whichever reaches every window boundary', () => {
    expect(triggerPattern(7_200_000)).toBe('0 0 * * * *');
    expect(triggerPattern(900_000)).toBe('0 * * * * *');
    expect(triggerPattern(25_000)).toBe('* * * * * *');
  });
});
