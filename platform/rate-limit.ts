import type { Bus } from './bus/index.js';
import { Problem } from './errors.js';

export interface RateRule {
  /** Names the limit in keys and logs, e.g. `login-ip`. */
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * A sliding-window limit from two fixed-window counters on the bus (the previous window's count
 * weighted by how much of it still overlaps): one round trip, shared by every process.
 */
export async function hitRateLimit(bus: Bus, rule: RateRule, subject: string, nowMs = Date.now()): Promise<RateDecision> {
  const window = Math.floor(nowMs / rule.windowMs);
  const key = `rl:${rule.name}:${subject}:`;
  const [count, previous] = await Promise.all([bus.increment(key + window, rule.windowMs * 2), bus.get(key + (window - 1))]);
  const elapsed = (nowMs % rule.windowMs) / rule.windowMs;
  const estimate = Number(previous ?? 0) * (1 - elapsed) + count;
  if (estimate <= rule.limit) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((rule.windowMs - (nowMs % rule.windowMs)) / 1000)) };
}

/** Throws the 429 problem (with Retry-After) when any of the limits is exceeded. */
export async function enforceRateLimits(bus: Bus, checks: Array<[RateRule, string]>, nowMs = Date.now()): Promise<void> {
  const decisions = await Promise.all(checks.map(([rule, subject]) => hitRateLimit(bus, rule, subject.toLowerCase(), nowMs)));
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length === 0) return;
  const retryAfter = Math.max(...refused.map((d) => d.retryAfterSeconds));
  throw new Problem(429, 'rate_limited', 'Too many requests', {
    detail: `Try again in ${retryAfter} s.`,
    retry_after: retryAfter,
    headers: { 'retry-after': String(retryAfter) },
  });
}
