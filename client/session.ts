import type { AuthResponse, User } from './contract.js';
import { ApiError } from './errors.js';

/**
 * Who is signed in, and the access token that proves it. The access token lives in memory only.
 * The refresh token is the browser's httpOnly `sw_refresh` cookie (`cookie` mode: scripts never
 * see it), or, for scripts and the bench that have no cookie jar, kept in memory (`memory` mode).
 *
 * Refreshing is single-flight (concurrent callers share one exchange) and silent: a timer
 * renews the token shortly before it expires. Browser tabs take a Web Lock around the exchange,
 * so two tabs never present the same rotated cookie (which the server treats as theft).
 */
export interface SessionOptions {
  baseUrl: string;
  fetch: typeof fetch;
  refreshTokenIn: 'cookie' | 'memory';
  now: () => number;
}

export interface Session {
  user(): User | null;
  /** A token good for at least a few more seconds, refreshed first if need be; null when signed out. */
  validToken(): Promise<string | null>;
  adopt(auth: AuthResponse): void;
  /** Exchange the refresh token. Rejects with the ApiError; an auth failure also ends the session. */
  refresh(): Promise<void>;
  /** Forget the session locally (the server side is ended by logout). */
  end(): void;
  /** The refresh token to send in a body (memory mode only). */
  refreshTokenForBody(): string | undefined;
  onChange(listener: (user: User | null) => void): () => void;
  dispose(): void;
}

const REFRESH_PATH = '/api/v1/auth/refresh';
/** Renew this long before expiry (or at three quarters of a short lifetime). */
const LEAD_MS = 60_000;
/** A token this close to expiry (or a quarter of a short lifetime) is refreshed before use rather than sent to be refused. */
const SKEW_MS = 5_000;
const RETRY_MS = 15_000;

interface WebLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export function createSession(options: SessionOptions): Session {
  const { baseUrl, now } = options;
  let user: User | null = null;
  let token: { value: string; expiresAt: number; skewMs: number } | null = null;
  let refreshToken: string | undefined;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<(user: User | null) => void>();

  const notify = () => {
    for (const listener of listeners) listener(user);
  };

  const schedule = (lifetimeMs: number, delayMs?: number) => {
    clearTimeout(timer);
    const wait = delayMs ?? Math.max(1_000, lifetimeMs - Math.min(LEAD_MS, lifetimeMs / 4));
    timer = setTimeout(() => {
      session.refresh().catch((err: unknown) => {
        // Offline for a moment: try again soon while still signed in; the next request would too.
        if (user && err instanceof ApiError && err.status === 0) schedule(0, RETRY_MS);
      });
    }, wait);
    (timer as { unref?: () => void }).unref?.();
  };

  const exchange = async (): Promise<void> => {
    let res: Response;
    try {
      res = await options.fetch(`${baseUrl}${REFRESH_PATH}`, {
        method: 'POST',
        credentials: 'include',
        headers: { accept: 'application/json', ...(refreshToken ? { 'content-type': 'application/json' } : {}) },
        ...(refreshToken ? { body: JSON.stringify({ refresh_token: refreshToken }) } : {}),
      });
    } catch (err) {
      throw ApiError.unreachable(err);
    }
    if (!res.ok) {
      const error = await ApiError.fromResponse(res);
      if (error.status === 401 || error.status === 403) session.end();
      throw error;
    }
    session.adopt((await res.json()) as AuthResponse);
  };

  const session: Session = {
    user: () => user,

    async validToken() {
      if (token && token.expiresAt - token.skewMs > now()) return token.value;
      if (!user) return null;
      await session.refresh();
      return token?.value ?? null;
    },

    adopt(auth) {
      const lifetimeMs = auth.expires_in * 1000;
      token = { value: auth.access_token, expiresAt: now() + lifetimeMs, skewMs: Math.min(SKEW_MS, lifetimeMs / 4) };
      if (options.refreshTokenIn === 'memory') refreshToken = auth.refresh_token;
      const changed = user?.id !== auth.user.id;
      user = auth.user;
      schedule(lifetimeMs);
      if (changed) notify();
    },

    refresh() {
      inFlight ??= (async () => {
        try {
          const locks = (globalThis as { navigator?: { locks?: WebLocks } }).navigator?.locks;
          if (options.refreshTokenIn === 'cookie' && locks) await locks.request('sectorwars-refresh', exchange);
          else await exchange();
        } finally {
          inFlight = null;
        }
      })();
      return inFlight;
    },

    end() {
      clearTimeout(timer);
      token = null;
      refreshToken = undefined;
      if (user) {
        user = null;
        notify();
      }
    },

    refreshTokenForBody: () => refreshToken,

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      clearTimeout(timer);
      listeners.clear();
    },
  };
  return session;
}
