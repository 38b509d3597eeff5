import { describe, expect, it } from 'vitest';
import { MemoryBus } from './bus/memory-bus.js';
import { RedisBus } from './bus/redis-bus.js';
import { Problem } from './errors.js';
import { enforceRateLimits, type RateRule } from './rate-limit.js';

const perIp: RateRule = { name: 'login-ip', limit: 10, windowMs: 60_000 };
/** 18 s into a minute, as in the probe that found the understated Retry-After. */
const T0 = 28_333_333 * 60_000 + 18_000;

async function attempt(bus: MemoryBus | RedisBus, checks: Array<[RateRule, string]>, nowMs: number): Promise<number> {
  try {
    await enforceRateLimits(bus, checks, nowMs);
    return 0;
  } catch (err) {
    if (!(err instanceof Problem) || err.status !== 429) throw err;
    expect(err.extra.headers?.['retry-after']).toBe(String(err.extra.retry_after));
    return err.extra.retry_after as number;
  }
}

describe('sliding-window rate limits', () => {
  it('say exactly when a retry succeeds, and refused attempts do not push that back', async () => {
    let now = T0;
    const bus = new MemoryBus(() => now);
    const ip: Array<[RateRule, string]> = [[perIp, '198.51.100.7']];
    for (let i = 0; i < 10; i++, now += 1_000) expect(await attempt(bus, ip, now)).toBe(0);
    // Ten attempts from T0 to T0+9 s: the first leaves the 60 s window at T0+60 s.
    expect(await attempt(bus, ip, now)).toBe(50);
    for (; now < T0 + 59_500; now += 500) expect(await attempt(bus, ip, now)).toBe(Math.ceil((T0 + 60_000 - now) / 1_000));
    expect(await attempt(bus, ip, T0 + 59_999)).toBe(1);
    // Retry-After seconds after the refusal, a retry gets through; then the next slot is the second attempt's.
    now = T0 + 60_000;
    expect(await attempt(bus, ip, now)).toBe(0);
    expect(await attempt(bus, ip, now)).toBe(1);
    expect(await attempt(bus, ip, T0 + 61_000)).toBe(0);
  });

  it('count an attempt against no limit when any of its limits refuses it', async () => {
    let now = T0;
    const bus = new MemoryBus(() => now);
    const perUser: RateRule = { name: 'login-user', limit: 2, windowMs: 60_000 };
    expect(await attempt(bus, [[perUser, 'han']], now)).toBe(0);
    expect(await attempt(bus, [[perUser, 'han']], now)).toBe(0);
    for (let i = 0; i < 20; i++)
      expect(
        await attempt(
          bus,
          [
            [perIp, '203.0.113.9'],
            [perUser, 'han'],
          ],
          (now += 100),
        ),
      ).toBeGreaterThan(0);
    // The address's twenty refused attempts left all ten of its slots free.
    for (let i = 0; i < 10; i++)
      expect(
        await attempt(
          bus,
          [
            [perIp, '203.0.113.9'],
            [perUser, `other${i}`],
          ],
          now,
        ),
      ).toBe(0);
    expect(await attempt(bus, [[perIp, '203.0.113.9']], now)).toBeGreaterThan(0);
  });

  it('keep limiting on a per-process counter, at half the limit, while the bus is unreachable', async () => {
    // Nothing listens on port 1: every command fails as during a Redis outage.
    const down = new RedisBus('redis://127.0.0.1:1', 'rl-test:');
    try {
      const ip: Array<[RateRule, string]> = [[perIp, '192.0.2.1']];
      const results: number[] = [];
      for (let i = 0; i < 6; i++) results.push(await attempt(down, ip, T0 + i));
      expect(results.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(results[5]).toBe(60);
    } finally {
      await down.close();
    }
  });
});
