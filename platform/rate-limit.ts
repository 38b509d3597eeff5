import type { Bus } from './bus/index.js';
import { MemoryBus } from './bus/memory-bus.js';
import { Problem } from './errors.js';

export interface RateRule {
  /** Names the limit in keys and logs, e.g. `login-ip`. */
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * While the bus cannot answer, each process counts on its own, at half of every limit: two
 * replicas together then allow about what the shared count would, and sign-in keeps working.
 */
const fallbacks = new WeakMap<Bus, MemoryBus>();
const fallbackLimit = (limit: number) => Math.ceil(limit / 2);

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * One attempt against the limits. They are sliding windows of the attempts they let through,
 * shared by every process on the bus: an attempt counts against all of them or, when any refuses
 * it, against none, so hammering a full limit never pushes its end back. The retry time is when
 * the oldest attempt in the way leaves its window, rounded up to whole seconds: a retry then gets
 * through (unless others came first).
 */
export async function hitRateLimits(bus: Bus, checks: Array<[RateRule, string]>, nowMs = Date.now()): Promise<RateDecision> {
  const windows = checks.map(([rule, subject]) => ({ key: `rl:${rule.name}:${subject.toLowerCase()}`, limit: rule.limit, windowMs: rule.windowMs }));
  let waits: number[];
  try {
    waits = await bus.admit(windows, nowMs);
  } catch {
    let local = fallbacks.get(bus);
    if (!local) fallbacks.set(bus, (local = new MemoryBus()));
    waits = await local.admit(
      windows.map((w) => ({ ...w, limit: fallbackLimit(w.limit) })),
      nowMs,
    );
  }
  const wait = Math.max(0, ...waits);
  return wait === 0 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
}

/** Throws the 429 problem (with Retry-After) when any of the limits refuses the attempt. */
export async function enforceRateLimits(bus: Bus, checks: Array<[RateRule, string]>, nowMs = Date.now()): Promise<void> {
  const decision = await hitRateLimits(bus, checks, nowMs);
  if (decision.allowed) return;
  const retryAfter = decision.retryAfterSeconds;
  throw new Problem('rate_limited', {
    detail: `Try again in ${retryAfter} s.`,
    retry_after: retryAfter,
    headers: { 'retry-after': String(retryAfter) },
  });
}
