import { createMiddleware } from 'hono/factory';
import type { Bus } from '../bus/index.js';
import { MemoryBus } from '../bus/memory-bus.js';
import { Problem } from '../errors.js';
import { authenticate } from './require-user.js';
import type { AppEnv, Deps } from './context.js';

/**
 * Request limits on every /api response, per the IETF RateLimit header fields draft
 * (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy` names each limit that applies
 * (`"token";q=120;w=60`), `RateLimit` what is left of it and when it resets
 * (`"token";r=87;t=23`). Past a limit the answer is 429 with `Retry-After`.
 *
 * Which limits apply depends on the caller:
 * - a personal access token: `token` (that token) and `account` (all the account's tokens together,
 *   so ten tokens do not buy ten times the rate);
 * - a signed-in session (the web client): `session`;
 * - no bearer: `anonymous`, per address.
 *
 * The windows are fixed minutes counted on the bus, so every replica counts together and the
 * numbers in the headers are exact. Without the bus each process counts alone (at half the limit,
 * so two replicas allow about what the shared count would). Defaults, and why: bots and people
 * share one turn economy, so a faster bot earns nothing a person cannot; the limit is only there
 * so no one client hogs the servers (TWGS learned this the hard way). 120 a minute per token (2/s)
 * is more than a bot needs to spend its turns (each move or trade is one request), 300 a minute per
 * account lets a player run two bots and the web client at once, and 600 a minute per session is
 * far above what a person clicking makes, including the web client's own reads.
 */
interface Window {
  name: 'token' | 'account' | 'session' | 'anonymous';
  subject: string;
  limit: number;
}

const WINDOW_MS = 60_000;
const fallbacks = new WeakMap<Bus, MemoryBus>();

export function apiLimits(deps: Deps) {
  const { config, bus } = deps;
  const limits = config.apiLimits;
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    let caller: AppEnv['Variables']['caller'];
    if (header) {
      try {
        caller = { ok: true, user: await authenticate(deps, header) };
      } catch (error) {
        caller = { ok: false, error };
      }
      c.set('caller', caller);
    }
    if (!config.rateLimits) return next();

    const user = caller?.ok ? caller.user : undefined;
    const windows: Window[] = user
      ? user.kind === 'token'
        ? [
            { name: 'token', subject: user.tokenId!, limit: limits.tokenPerMinute },
            { name: 'account', subject: user.id, limit: limits.accountPerMinute },
          ]
        : [{ name: 'session', subject: user.sessionId, limit: limits.sessionPerMinute }]
      : [{ name: 'anonymous', subject: c.get('clientIp'), limit: limits.anonymousPerMinute }];

    const nowMs = Date.now();
    const windowIndex = Math.floor(nowMs / WINDOW_MS);
    const resetSeconds = Math.max(1, Math.ceil(((windowIndex + 1) * WINDOW_MS - nowMs) / 1000));
    const counts = await count(bus, windows, windowIndex);
    const policy = windows.map((w) => `"${w.name}";q=${w.limit};w=${WINDOW_MS / 1000}`).join(', ');
    const state = windows.map((w, i) => `"${w.name}";r=${Math.max(0, w.limit - counts[i]!)};t=${resetSeconds}`).join(', ');
    const over = windows.find((w, i) => counts[i]! > w.limit);
    if (over) {
      throw new Problem('rate_limited', {
        detail: `Over the ${over.name} limit of ${over.limit} requests a minute; try again in ${resetSeconds} s.`,
        retry_after: resetSeconds,
        headers: { 'retry-after': String(resetSeconds), 'ratelimit-policy': policy, ratelimit: state },
      });
    }
    await next();
    c.res.headers.set('ratelimit-policy', policy);
    c.res.headers.set('ratelimit', state);
  });
}

async function count(bus: Bus, windows: Window[], windowIndex: number): Promise<number[]> {
  const key = (w: Window) => `rl:api-${w.name}:${w.subject}:${windowIndex}`;
  try {
    return await Promise.all(windows.map((w) => bus.increment(key(w), WINDOW_MS + 5_000)));
  } catch {
    let local = fallbacks.get(bus);
    if (!local) fallbacks.set(bus, (local = new MemoryBus()));
    const counts = await Promise.all(windows.map((w) => local.increment(key(w), WINDOW_MS + 5_000)));
    // Alone, a process allows half: counting twice as fast is the same thing.
    return counts.map((n) => n * 2);
  }
}
