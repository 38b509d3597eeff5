import { Pool } from 'undici';
import { ApiError, createApiClient, newActionKey, type ApiClient } from '../client/index.js';
import type {
  AttackResult,
  EquipmentOffer,
  EquipmentPurchaseResult,
  HullOffer,
  HullPurchaseResult,
  MoveResult,
  PlayerState,
  RealtimeTicket,
  Sector,
  SectorLookup,
  Shipyard,
  TradeQuote,
  TradeResult,
} from '../client/contract.js';
import type { components } from '../client/openapi.js';

/**
 * Every game call the bench makes goes through the shared typed API client (`client/`, the one
 * the web clients use), one client per virtual player, as each player's browser would hold one.
 * Its transport is an undici Pool with keep-alive connections: the load generator shares the
 * machine's cores with the server it measures, so each request must cost it as little as it can.
 */
export type { AttackResult, MoveResult, PlayerState, TradeQuote, TradeResult };
/** A move through a gate into another region answered while the pilot is still crossing (202). */
export type GateCrossing = components['schemas']['GateCrossing'];

/** Whether a move's answer is a crossing still under way (the contract's 202), which has no pilot or sector yet. */
export function isCrossing(answer: MoveResult | GateCrossing): answer is GateCrossing {
  return !('player' in answer);
}
/** A sector as the move route answers it; GET /sectors/{id} adds whether it is live. */
export type SectorView = Sector;
export type Good = 'ore' | 'organics' | 'equipment';

/** What a call came back with. `code` is the problem's stable code on errors, else null. */
export interface Reply<T> {
  /** 0: the request never got an HTTP answer (refused, reset, timed out) */
  status: number;
  body: T;
  code: string | null;
  /** wall time from the call to having the parsed answer */
  ms: number;
}

/**
 * What the shared client reads of a response (status, a header, the body), for answers the
 * bench has already read whole: no Web Response, stream or Headers object per request.
 */
class ReadAnswer {
  readonly ok: boolean;
  readonly statusText = '';
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly status: number,
    raw: Record<string, string | string[] | undefined>,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = { get: (name) => ((value) => (value === undefined ? null : Array.isArray(value) ? value.join(', ') : value))(raw[name.toLowerCase()]) };
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }
}

/**
 * The connections to one origin, and a `fetch` over them for the shared client. The load
 * generator shares the machine with what it measures, so this `fetch` is undici's lean
 * `request` rather than its WHATWG fetch: same wire traffic, a fraction of the CPU.
 */
export class HttpDriver implements Transport {
  readonly pool: Pool;
  readonly fetch: typeof fetch;

  constructor(
    readonly origin: string,
    connections: number,
  ) {
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
    this.fetch = (async (input: string | URL, init: RequestInit = {}) => {
      const url = String(input);
      const path = url.startsWith(origin) ? url.slice(origin.length) || '/' : ((u) => `${u.pathname}${u.search}`)(new URL(url));
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers) : ((init.headers ?? {}) as Record<string, string>);
      const res = await this.pool.request({
        method: (init.method ?? 'GET') as 'GET',
        path,
        headers,
        body: (init.body as string | undefined) ?? null,
        signal: init.signal ?? null,
      });
      return new ReadAnswer(res.statusCode, res.headers, await res.body.text());
    }) as unknown as typeof fetch;
  }

  forPlayer(): { fetch: typeof fetch } {
    return { fetch: this.fetch };
  }

  /** A plain GET outside the game API (a readiness probe, a baseline's route). */
  async get(path: string): Promise<Reply<string>> {
    const started = performance.now();
    try {
      const res = await this.pool.request({ method: 'GET', path });
      const body = await res.body.text();
      return { status: res.statusCode, body, code: res.statusCode >= 400 ? `http_${res.statusCode}` : null, ms: performance.now() - started };
    } catch (err) {
      return { status: 0, body: '', code: `network:${(err as { code?: string }).code ?? (err as Error).name}`, ms: performance.now() - started };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Players spread over several api processes of one deployment, as a gateway spreads them: each
 * player's client sends through one origin's connections, the next player through the next's.
 */
export class SpreadDriver implements Transport {
  private next = 0;

  constructor(private readonly drivers: HttpDriver[]) {}

  get origin(): string {
    return this.drivers[0]!.origin;
  }

  forPlayer(): { fetch: typeof fetch } {
    return this.drivers[this.next++ % this.drivers.length]!.forPlayer();
  }

  async close(): Promise<void> {
    await Promise.all(this.drivers.map((d) => d.close()));
  }
}

/**
 * What a player's client sends through: one origin's connections (HttpDriver), or the regions'
 * (bench/region-router.ts), which keeps per player where its pilot is.
 */
export interface Transport {
  readonly origin: string;
  /** the fetch one player's client sends through, and the region that player's calls go to now (absent: one region) */
  forPlayer(): { fetch: typeof fetch; region?: () => string };
}

/** An account as the bench plays it: its own client of the shared API client. */
export interface Session {
  userId: string;
  username: string;
  client: ApiClient;
  /** the region this player's calls go to now, in multi-regional mode */
  region?: () => string;
}

/** An account the bench wrote into its own target, with an access token it signed itself. */
export interface SeededAccount {
  userId: string;
  username: string;
  authorization: string;
}

async function attempt<T>(okStatus: number, work: () => Promise<T>): Promise<Reply<T>> {
  const started = performance.now();
  try {
    const body = await work();
    return { status: okStatus, body, code: null, ms: performance.now() - started };
  } catch (err) {
    const ms = performance.now() - started;
    if (err instanceof ApiError) return { status: err.status, body: undefined as T, code: err.status === 0 ? `network:${err.code}` : err.code, ms };
    return { status: 0, body: undefined as T, code: `network:${(err as Error).name}`, ms };
  }
}

/** The game's routes, as a player's client calls them. */
export class GameApi {
  constructor(readonly http: Transport) {}

  private client(fetchImpl: typeof fetch): ApiClient {
    return createApiClient({ baseUrl: this.http.origin, fetch: fetchImpl, refreshTokenIn: 'memory' });
  }

  /** POST /auth/register with a fresh client, which then holds the session (and renews it). */
  async register(username: string, password: string): Promise<Reply<Session>> {
    const link = this.http.forPlayer();
    const client = this.client(link.fetch);
    return attempt(201, async () => {
      const user = await client.auth.register({ username, email: `${username}@bench.invalid`, password });
      return { userId: user.id, username, client, ...(link.region ? { region: link.region } : {}) };
    });
  }

  /**
   * A client for a seeded account: its token is added to every request the client sends
   * without one (the shared client has no session of its own for it).
   */
  seeded(account: SeededAccount): Session {
    const link = this.http.forPlayer();
    const inner = link.fetch;
    const withToken = ((input: string | URL, init: RequestInit = {}) => {
      const headers = { ...(init.headers as Record<string, string> | undefined) };
      headers.authorization ??= account.authorization;
      return inner(input, { ...init, headers });
    }) as typeof fetch;
    return { userId: account.userId, username: account.username, client: this.client(withToken), ...(link.region ? { region: link.region } : {}) };
  }

  state(s: Session): Promise<Reply<PlayerState>> {
    return attempt(200, () => s.client.player.state());
  }

  sector(s: Session, id: number): Promise<Reply<SectorLookup>> {
    return attempt(200, () => s.client.sectors.get(id));
  }

  quote(s: Session, side: 'buy' | 'sell', good: Good, quantity: number): Promise<Reply<TradeQuote>> {
    return attempt(200, () => s.client.trade.quote({ side, good, quantity }));
  }

  trade(s: Session, side: 'buy' | 'sell', good: Good, quantity: number, actionKey: string = newActionKey()): Promise<Reply<TradeResult>> {
    return attempt(200, () => (side === 'buy' ? s.client.trade.buy({ good, quantity }, actionKey) : s.client.trade.sell({ good, quantity }, actionKey)));
  }

  /** A move through a gate answered while still crossing (202) carries a GateCrossing instead: see `isCrossing`. */
  move(s: Session, to: number, actionKey: string = newActionKey()): Promise<Reply<MoveResult>> {
    return attempt(200, () => s.client.player.move(to, actionKey));
  }

  shipyard(s: Session): Promise<Reply<Shipyard>> {
    return attempt(200, () => s.client.shipyard.get());
  }

  buyHull(s: Session, hull: HullOffer['id'], actionKey: string = newActionKey()): Promise<Reply<HullPurchaseResult>> {
    return attempt(200, () => s.client.shipyard.buyHull({ hull }, actionKey));
  }

  buyEquipment(s: Session, item: EquipmentOffer['item'], quantity: number, actionKey: string = newActionKey()): Promise<Reply<EquipmentPurchaseResult>> {
    return attempt(200, () => s.client.shipyard.buyEquipment({ item, quantity }, actionKey));
  }

  attack(s: Session, target: string, fighters: number, actionKey: string = newActionKey()): Promise<Reply<AttackResult>> {
    return attempt(200, () => s.client.combat.attack({ target, fighters }, actionKey));
  }

  realtimeTicket(s: Session): Promise<Reply<RealtimeTicket>> {
    return attempt(201, () => s.client.realtime.ticket());
  }

  /** Stop every client's silent-refresh timer. */
  dispose(sessions: Session[]): void {
    for (const s of sessions) s.client.dispose();
  }
}
