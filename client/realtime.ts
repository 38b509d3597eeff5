import type { ApiClient } from './api.js';
import { ApiError } from './errors.js';
import type { Region } from './region.js';

/**
 * The one connection to the realtime server (realtime/PROTOCOL.md), shared by every client.
 *
 * For each attempt it fetches a one-time ticket over the API (no token in a URL), connects, and
 * on `welcome` asks to `resume` after the newest event it delivered, so nothing is missed across
 * a reconnect (events carry their outbox id: the app drops any it sees twice); on the first
 * connection it asks for a window of recent history instead. A reconnect uses the resume token
 * the last `welcome` (or `resume_token` frame) gave it instead of a ticket, once, while it is
 * valid: when a realtime server restarts, its thousands of clients come back without a ticket
 * request each. Dropped connections come back with jittered exponential backoff, the first
 * attempt after a live connection drops spread over `reconnectSpreadMs` (they all drop at
 * once); the close codes that mean "do not come back" (superseded by another tab, session ended) stop it.
 */

/** A frame from the server. Events carry their outbox id (a number), chat lines a string id. */
export interface RealtimeFrame {
  id: number | string | null;
  type: string;
  topic: string | null;
  at: string;
  data: Record<string, unknown>;
}

export type ClientFrame =
  | { type: 'ping'; ref?: string }
  | { type: 'resume'; ref?: string; after?: number }
  | { type: 'chat'; ref?: string; channel: 'sector' | 'team' | 'global' | 'direct'; to?: string; text: string };

/**
 * - `connecting`: first attempt under way
 * - `live`: connected and greeted
 * - `reconnecting`: dropped; the next attempt is scheduled (see `retryAt`)
 * - `superseded`: this account connected elsewhere (another tab); call `reconnectNow()` to take over
 * - `signed-out`: the session ended; sign in again
 * - `closed`: `close()` was called
 */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting' | 'superseded' | 'signed-out' | 'closed';

export interface LinkState {
  status: LinkStatus;
  /** consecutive failed attempts */
  attempts: number;
  /** when the next attempt starts (ms since epoch), while reconnecting */
  retryAt: number | null;
  /** why the last attempt or connection ended */
  reason: string | null;
}

/** The part of a WebSocket this module uses: the browser's, or `ws` in Node. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface RealtimeOptions {
  /**
   * With `region` (the typed client has it), the link follows the pilot: when the region changes
   * it reconnects at once to that region's `<base_path>/ws`, with a ticket from its API.
   */
  api: Pick<ApiClient, 'realtime' | 'session'> & Partial<Pick<ApiClient, 'region'>>;
  /** Origin a path-only ticket URL is resolved against (the page's origin in a browser). */
  origin?: string;
  openSocket?: (url: string) => SocketLike;
  onFrame(frame: RealtimeFrame): void;
  onState?(state: LinkState): void;
  /** On the first connection, replay events this many outbox ids back (the log's history). */
  historyWindow?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** The first attempt after a live connection drops starts at a random time within this many ms (default 3 s). */
  reconnectSpreadMs?: number;
  /** For the jitter: Math.random unless given. */
  random?: () => number;
  /** Send a ping this often, and drop a connection silent for three times as long. */
  heartbeatMs?: number;
  now?: () => number;
}

/** Attempts with one resume token that never open before the client asks for a ticket instead. */
const TOKEN_TRIES = 3;

export const CLOSE_CODES = { authRevoked: 4001, superseded: 4009, fellBehind: 4011, rateLimited: 4029 } as const;

/**
 * How long to wait before reconnect attempt `attempts` (1 for the first after a drop). The first
 * one after a live connection dropped is anywhere in [0, spreadMs): a restarted server's clients
 * arrive spread out instead of all at once. The next few (a restart takes seconds, and an
 * attempt at a server still starting costs it nothing) every `initialMs` or so, jittered in
 * [½, 1½] of it; past FLAT_ATTEMPTS, exponential, with jitter in [½, 1] of it, up to `maxMs`.
 */
export function reconnectDelay(attempts: number, options: { initialMs: number; maxMs: number; spreadMs: number; random: () => number }): number {
  if (attempts <= 1) return Math.round(options.random() * options.spreadMs);
  if (attempts <= FLAT_ATTEMPTS) return Math.round(options.initialMs * (0.5 + options.random()));
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** (attempts - FLAT_ATTEMPTS));
  return Math.round(ceiling * (0.5 + options.random() * 0.5));
}

/** Attempts (counting the first) made about a second apart before the backoff grows. */
const FLAT_ATTEMPTS = 5;

/** The URL to reconnect with a resume token: the last ticket URL's, with `resume` instead of `ticket`. */
export function resumeUrl(ticketUrl: string, token: string, after?: number): string {
  const url = new URL(ticketUrl);
  url.search = '';
  url.searchParams.set('resume', token);
  // The server resumes after it at once: no `resume` frame, no round trip.
  if (after !== undefined) url.searchParams.set('after', String(after));
  return url.toString();
}

export interface RealtimeLink {
  state(): LinkState;
  /** Send a frame now; false when not connected (the caller says so to the pilot). */
  send(frame: ClientFrame): boolean;
  /** Skip the wait (network back, tab visible again, pilot pressed reconnect). */
  reconnectNow(): void;
  close(): void;
}

export function connectRealtime(options: RealtimeOptions): RealtimeLink {
  const now = options.now ?? Date.now;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const random = options.random ?? Math.random;
  const spreadMs = options.reconnectSpreadMs ?? 3_000;
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const openSocket = options.openSocket ?? ((url: string) => new (globalThis as unknown as { WebSocket: new (url: string) => SocketLike }).WebSocket(url));

  let state: LinkState = { status: 'connecting', attempts: 0, retryAt: null, reason: null };
  let socket: SocketLike | null = null;
  let live = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastHeard = now();
  let generation = 0;
  /** The newest event id delivered: where the next connection resumes. Null until the first welcome. */
  let cursor: number | null = null;
  /** The resolved URL of the last ticket, where a resume token is presented. */
  let lastUrl: string | null = null;
  /**
   * The newest resume token and when it expires (ms, local clock). Spent once a socket opens with
   * it; kept while the server cannot be reached (a browser cannot tell a refused upgrade from a
   * server still starting: both close with 1006), for at most TOKEN_TRIES attempts.
   */
  let resume: { token: string; expiresAt: number } | null = null;
  let tokenFailures = 0;
  const keepResumeToken = (data: Record<string, unknown>) => {
    if (typeof data.resume_token === 'string' && typeof data.resume_expires_in === 'number') {
      resume = { token: data.resume_token, expiresAt: now() + data.resume_expires_in * 1000 };
      tokenFailures = 0;
    }
  };

  const setState = (next: Partial<LinkState>) => {
    state = { ...state, ...next };
    options.onState?.(state);
  };

  const stopSocket = () => {
    clearInterval(heartbeat);
    live = false;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, 'client_closing');
      } catch {
        // already closed
      }
      socket = null;
    }
  };

  const scheduleRetry = (reason: string, minimumMs = 0) => {
    stopSocket();
    if (state.status === 'closed' || state.status === 'superseded' || state.status === 'signed-out') return;
    const attempts = state.attempts + 1;
    const delay = Math.max(minimumMs, reconnectDelay(attempts, { ...backoff, spreadMs, random }));
    setState({ status: 'reconnecting', attempts, retryAt: now() + delay, reason });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void attempt(), delay);
  };

  const resolveUrl = (url: string) => {
    if (/^wss?:\/\//.test(url)) return url;
    const origin = options.origin ?? (globalThis as { location?: { origin: string } }).location?.origin;
    if (!origin) throw new Error('a realtime URL without a host needs an origin to resolve against');
    const resolved = new URL(url, origin);
    resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:';
    return resolved.toString();
  };

  async function attempt() {
    const mine = ++generation;
    stopSocket();
    let url: string;
    // A valid resume token (10 s of margin) saves the ticket request; it works once, so it is dropped now.
    let inUrl = false;
    const token = resume && lastUrl && resume.expiresAt - 10_000 > now() && tokenFailures < TOKEN_TRIES ? resume.token : null;
    try {
      if (token && lastUrl) {
        inUrl = cursor !== null;
        url = resumeUrl(lastUrl, token, cursor ?? undefined);
      } else {
        const ticket = await options.api.realtime.ticket();
        const region = options.api.region?.current();
        // A region's realtime is at its own prefix, whatever public URL its servers were given.
        url = resolveUrl(region ? `${region.base_path}/ws?ticket=${encodeURIComponent(ticket.ticket)}` : ticket.url);
        lastUrl = url;
      }
    } catch (err) {
      if (mine !== generation) return;
      if (err instanceof ApiError && (err.status === 401 || err.status === 403) && !options.api.session.user()) {
        setState({ status: 'signed-out', retryAt: null, reason: err.code });
        return;
      }
      scheduleRetry(err instanceof ApiError ? err.code : 'ticket_failed', err instanceof ApiError && err.retryAfter ? err.retryAfter * 1000 : 0);
      return;
    }
    if (mine !== generation || state.status === 'closed') return;

    const ws = openSocket(url);
    socket = ws;
    lastHeard = now();
    let opened = false;
    ws.onopen = () => {
      opened = true;
      // The server has taken the token: it will not work again (the welcome brings the next one).
      if (token && resume?.token === token) resume = null;
    };
    ws.onmessage = (event) => {
      lastHeard = now();
      let frame: RealtimeFrame;
      try {
        frame = JSON.parse(String(event.data)) as RealtimeFrame;
      } catch {
        return;
      }
      if (frame.type === 'resume_token') {
        keepResumeToken(frame.data);
        return;
      }
      if (frame.type === 'welcome') {
        keepResumeToken(frame.data);
        live = true;
        cursor ??= Math.max(0, Number(frame.data.last_event_id ?? 0) - (options.historyWindow ?? 0));
        const after = cursor;
        // Already asked for in the URL (a reconnect with a resume token), or now.
        if (!inUrl) ws.send(JSON.stringify({ type: 'resume', after } satisfies ClientFrame));
        setState({ status: 'live', attempts: 0, retryAt: null, reason: null });
      }
      if (typeof frame.id === 'number' && cursor !== null) cursor = Math.max(cursor, frame.id);
      if (frame.type !== 'pong') options.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (mine !== generation) return;
      if (token && !opened) tokenFailures++;
      const reason = event.reason || `closed_${event.code}`;
      if (event.code === CLOSE_CODES.superseded) {
        stopSocket();
        setState({ status: 'superseded', retryAt: null, reason });
        return;
      }
      if (event.code === CLOSE_CODES.authRevoked && !options.api.session.user()) {
        stopSocket();
        setState({ status: 'signed-out', retryAt: null, reason });
        return;
      }
      scheduleRetry(reason, event.code === CLOSE_CODES.rateLimited ? 10_000 : 0);
    };
    ws.onerror = () => {
      // A close event follows every error; that is where the retry is decided.
    };
    clearInterval(heartbeat);
    heartbeat = setInterval(() => {
      if (now() - lastHeard > heartbeatMs * 3) {
        scheduleRetry('heartbeat_timeout');
        return;
      }
      if (live) ws.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
    }, heartbeatMs);
  }

  /**
   * A new region is another realtime server with its own event log: its resume tokens and outbox
   * ids mean nothing here, so the link starts over there as on a first connection.
   */
  const followRegion = (_region: Region | null) => {
    // Superseded: another tab holds the link, and follows the pilot itself.
    if (state.status === 'closed' || state.status === 'signed-out' || state.status === 'superseded') return;
    resume = null;
    lastUrl = null;
    cursor = null;
    tokenFailures = 0;
    clearTimeout(retryTimer);
    setState({ status: 'connecting', attempts: 0, retryAt: null, reason: 'region_changed' });
    void attempt();
  };
  const stopFollowing = options.api.region?.onChange(followRegion);

  void attempt();

  return {
    state: () => state,
    send(frame) {
      if (!socket || !live) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    reconnectNow() {
      if (state.status === 'closed' || state.status === 'signed-out' || state.status === 'live') return;
      clearTimeout(retryTimer);
      setState({ status: 'connecting', retryAt: null });
      void attempt();
    },
    close() {
      stopFollowing?.();
      generation++;
      clearTimeout(retryTimer);
      stopSocket();
      setState({ status: 'closed', retryAt: null });
    },
  };
}
