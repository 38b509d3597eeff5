import type {
  AuthResponse,
  ApiPath,
  Body,
  GateCrossing,
  LoginRequest,
  MailFolder,
  Ok,
  Query,
  RankingOrder,
  RegisterRequest,
  TotpChallenge,
  TradeOrder,
  TradeSide,
  User,
} from './contract.js';
import { ApiError, isAbort } from './errors.js';
import { createRegionTracker, type Region, regionOf } from './region.js';

type ProviderId = 'github' | 'google' | 'discord';
import { createSession, type Session } from './session.js';

/**
 * The one typed client of the SectorWars API, shared by the player's web client, the admin
 * client and the bench. Every route it calls is named by its path in the generated contract, so
 * a route that changes on the server breaks the build here, not a player's session.
 *
 * Game actions that change state take an `actionKey` (see `newActionKey`): mint one per player
 * action and reuse it when retrying that action, so a double click or a retried request is
 * applied once.
 */
export interface ApiClientOptions {
  /** Origin of the API; '' (the default) is the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** `cookie` (browsers, the default) or `memory` (scripts and the bench). */
  refreshTokenIn?: 'cookie' | 'memory';
  now?: () => number;
  /**
   * A personal access token (`swp_…`, from POST /api/v1/auth/tokens): bots sign in with it
   * instead of a password, and it is sent as the bearer on every call (no refresh).
   */
  token?: string;
  /** Sees every response (bots read the RateLimit header here to pace themselves). */
  onResponse?: (res: Response) => void;
  /** How long to wait between attempts while the pilot is crossing a gate (409 in_transit); default 1 s. */
  inTransitRetryMs?: number;
}

/** Attempts at an action refused with 409 in_transit before the refusal is the caller's: a crossing takes well under this. */
const IN_TRANSIT_TRIES = 5;

export type ApiClient = ReturnType<typeof createApiClient>;

interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  path: ApiPath | `/api/v1/${string}`;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  actionKey?: string;
  signal?: AbortSignal;
  /** false for the auth routes that create a session */
  authenticated?: boolean;
  /** a fresh TOTP code for a dangerous admin change (sent as X-TOTP-Code) */
  totp?: string;
}

/** Did a sign-in stop at its second factor? Then finish it with `auth.loginTotp`. */
export const isTotpChallenge = (answer: User | TotpChallenge): answer is TotpChallenge => 'totp_required' in answer && answer.totp_required === true;

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
  const fetchImpl = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const session: Session = createSession({
    baseUrl,
    fetch: fetchImpl,
    refreshTokenIn: options.refreshTokenIn ?? 'cookie',
    now: options.now ?? Date.now,
  });

  const region = createRegionTracker();
  // Another pilot may sign in on this client next: where the last one flew says nothing about them.
  session.onChange((user) => {
    if (!user) region.set(null);
  });
  /**
   * Where a call goes: the account routes under /api/v1/auth stay on the unprefixed API (every
   * region serves them, and the refresh cookie's path is there); the rest goes to the region the
   * pilot is in, once a wrong_region answer or a crossing has said which.
   */
  const urlOf = (path: string) => `${baseUrl}${path.startsWith('/api/v1/auth/') ? '' : (region.current()?.base_path ?? '')}${path}`;
  const inTransitRetryMs = options.inTransitRetryMs ?? 1_000;

  async function send(call: Call, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.actionKey) headers['idempotency-key'] = call.actionKey;
    if (call.totp) headers['x-totp-code'] = call.totp;
    if (token) headers.authorization = `Bearer ${token}`;
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) search.set(name, String(value));
    const query = search.toString();
    const url = `${urlOf(call.path)}${query ? `?${query}` : ''}`;
    try {
      const res = await fetchImpl(url, {
        method: call.method,
        headers,
        credentials: call.authenticated === false ? 'include' : 'same-origin',
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
      options.onResponse?.(res);
      return res;
    } catch (err) {
      if (isAbort(err)) throw err;
      throw ApiError.unreachable(err);
    }
  }

  async function sendSigned(call: Call): Promise<Response> {
    const authenticated = call.authenticated !== false;
    const res = await send(call, authenticated ? (options.token ?? (await session.validToken())) : null);
    if (res.status === 401 && authenticated && !options.token && session.user()) {
      // The token was refused (expired in flight, or the session was renewed elsewhere): renew once.
      const refused = await ApiError.fromResponse(res);
      try {
        await session.refresh();
      } catch {
        throw refused;
      }
      return send(call, await session.validToken());
    }
    return res;
  }

  /**
   * One call, following the pilot across regions without the caller noticing: a region that does
   * not hold the pilot answers 409 wrong_region with where they are, and the call is sent there
   * once; a pilot still crossing a gate (409 in_transit) is asked again a second later, a few times.
   */
  async function request<T>(call: Call): Promise<T> {
    let followed = false;
    for (let waits = 0; ; ) {
      const res = await sendSigned(call);
      if (res.ok) {
        if (res.status === 204) return undefined as T;
        const body = (await res.json()) as T;
        // A move through a gate answers the region it arrived in: the next call goes there directly.
        const arrived = regionOf((body as { region?: unknown } | null)?.region);
        if (arrived) region.set(arrived);
        return body;
      }
      const refused = await ApiError.fromResponse(res);
      const elsewhere = refused.status === 409 && refused.code === 'wrong_region' ? regionOf(refused.extra.region) : null;
      if (elsewhere && !followed) {
        followed = true;
        region.set(elsewhere);
        continue;
      }
      if (refused.status === 409 && refused.code === 'in_transit' && waits < IN_TRANSIT_TRIES) {
        waits++;
        await pause(refused.retryAfter !== undefined ? refused.retryAfter * 1000 : inTransitRetryMs, call.signal);
        continue;
      }
      throw refused;
    }
  }

  const signIn = async (path: '/api/v1/auth/register' | '/api/v1/auth/login', body: RegisterRequest | LoginRequest): Promise<User> => {
    const auth = await request<Ok<typeof path, 'post'>>({ method: 'POST', path, body, authenticated: false });
    session.adopt(auth);
    return auth.user;
  };
  /** A sign-in that may stop at the second factor (202): the user, or the challenge to finish. */
  const signInMaybeTotp = async (path: '/api/v1/auth/login' | '/api/v1/auth/account-link', body: unknown): Promise<User | TotpChallenge> => {
    const answer = await request<AuthResponse | TotpChallenge>({ method: 'POST', path, body, authenticated: false });
    if ('totp_required' in answer) return answer;
    session.adopt(answer);
    return answer.user;
  };
  const admin = <T>(call: Omit<Call, 'path'> & { path: `/${string}` | '' }) => request<T>({ ...call, path: `/api/v1/admin${call.path}` });
  const player = (id: string) => `/players/${encodeURIComponent(id)}` as const;

  return {
    /**
     * The region the pilot is in, as far as this client knows (null: the start region, unprefixed).
     * The realtime link listens here to reopen its socket at the region's `<base_path>/ws`.
     */
    region: {
      current: (): Region | null => region.current(),
      onChange: (listener: (region: Region | null) => void) => region.onChange(listener),
    },

    session: {
      user: () => session.user(),
      onChange: (listener: (user: User | null) => void) => session.onChange(listener),
      /** For the realtime ticket and anything else that must prove the session itself. */
      accessToken: () => session.validToken(),
    },

    auth: {
      register: (body: Body<'/api/v1/auth/register', 'post'>) => signIn('/api/v1/auth/register', body),
      /** Sign in; an account with TOTP answers a challenge instead (see `isTotpChallenge`, then `loginTotp`). */
      login: (body: Body<'/api/v1/auth/login', 'post'>) => signInMaybeTotp('/api/v1/auth/login', body),
      /** Finish a sign-in with the TOTP code, or a recovery code in its place. */
      async loginTotp(body: Body<'/api/v1/auth/login/totp', 'post'>): Promise<User> {
        const auth = await request<Ok<'/api/v1/auth/login/totp', 'post'>>({ method: 'POST', path: '/api/v1/auth/login/totp', body, authenticated: false });
        session.adopt(auth);
        return auth.user;
      },
      /** Redeem a one-time account link (admin enrollment, forced password reset): set the password and sign in. */
      redeemLink: (body: Body<'/api/v1/auth/account-link', 'post'>) => signInMaybeTotp('/api/v1/auth/account-link', body),
      totp: {
        /** A new, pending key: show `otpauth_url` as a QR code. */
        enroll: () => request<Ok<'/api/v1/auth/totp/enroll', 'post'>>({ method: 'POST', path: '/api/v1/auth/totp/enroll' }),
        /** Confirm the key with a code; answers the 10 recovery codes, shown once. */
        verify: (code: string) =>
          request<Ok<'/api/v1/auth/totp/verify', 'post'>>({
            method: 'POST',
            path: '/api/v1/auth/totp/verify',
            body: { code } satisfies Body<'/api/v1/auth/totp/verify', 'post'>,
          }),
      },
      /** Pick the session up again after a reload, from the refresh cookie; null when there is none. */
      async resume(): Promise<User | null> {
        try {
          await session.refresh();
        } catch (err) {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
          throw err;
        }
        return session.user();
      },
      async logout(): Promise<void> {
        const token = await session.validToken().catch(() => null);
        const refreshToken = session.refreshTokenForBody();
        try {
          const res = await send(
            { method: 'POST', path: '/api/v1/auth/logout', authenticated: false, ...(token || !refreshToken ? {} : { body: { refresh_token: refreshToken } }) },
            token,
          );
          // 401: the session had already ended on the server; either way it is over here.
          if (!res.ok && res.status !== 401) throw await ApiError.fromResponse(res);
        } finally {
          session.end();
        }
      },
      me: () => request<Ok<'/api/v1/auth/me', 'get'>>({ method: 'GET', path: '/api/v1/auth/me' }),
      /** The sign-in providers this server offers (no session needed). */
      providers: () => request<Ok<'/api/v1/auth/providers', 'get'>>({ method: 'GET', path: '/api/v1/auth/providers', authenticated: false }),
      /** Where to send the browser to sign in with a provider. */
      startOAuth: (provider: ProviderId) =>
        request<Ok<'/api/v1/auth/oauth/{provider}/start', 'post'>>({ method: 'POST', path: `/api/v1/auth/oauth/${provider}/start`, authenticated: false }),
      /** Where to send the browser to link a provider to this account. */
      linkOAuth: (provider: ProviderId) =>
        request<Ok<'/api/v1/auth/oauth/{provider}/link', 'post'>>({ method: 'POST', path: `/api/v1/auth/oauth/${provider}/link` }),
      /** A first provider sign-in whose name was taken: choose a username and sign in. */
      async completeOAuth(body: Body<'/api/v1/auth/oauth/complete', 'post'>): Promise<User> {
        const auth = await request<Ok<'/api/v1/auth/oauth/complete', 'post'>>({
          method: 'POST',
          path: '/api/v1/auth/oauth/complete',
          body,
          authenticated: false,
        });
        session.adopt(auth);
        return auth.user;
      },
      identities: () => request<Ok<'/api/v1/auth/identities', 'get'>>({ method: 'GET', path: '/api/v1/auth/identities' }),
      unlink: (provider: ProviderId) => request<void>({ method: 'DELETE', path: `/api/v1/auth/identities/${provider}` }),
      changePassword: (body: Body<'/api/v1/auth/password', 'post'>) => request<void>({ method: 'POST', path: '/api/v1/auth/password', body }),
      tokens: {
        list: () => request<Ok<'/api/v1/auth/tokens', 'get'>>({ method: 'GET', path: '/api/v1/auth/tokens' }),
        /** The answer's `token` is shown this once. */
        create: (body: Body<'/api/v1/auth/tokens', 'post'>) =>
          request<Ok<'/api/v1/auth/tokens', 'post'>>({ method: 'POST', path: '/api/v1/auth/tokens', body }),
        revoke: (id: string) => request<void>({ method: 'DELETE', path: `/api/v1/auth/tokens/${id}` }),
      },
    },

    player: {
      state: () => request<Ok<'/api/v1/player/state', 'get'>>({ method: 'GET', path: '/api/v1/player/state' }),
      /**
       * Fly one warp; `toll` answers a sector whose fighters demand one (409 toll_required without it).
       * Through a gate into another region the answer carries `region`, and the client goes there;
       * a crossing still under way (202) is finished from the region it lands in, so the caller
       * gets the pilot and the sector as from any other move.
       */
      async move(to: number, actionKey: string, toll?: 'pay' | 'refuse'): Promise<Ok<'/api/v1/player/move', 'post'>> {
        const answer = await request<Ok<'/api/v1/player/move', 'post'> | GateCrossing>({
          method: 'POST',
          path: '/api/v1/player/move',
          body: { to, ...(toll ? { toll } : {}) } satisfies Body<'/api/v1/player/move', 'post'>,
          actionKey,
        });
        if ('player' in answer) return answer;
        const [{ player }, sector] = await Promise.all([
          request<Ok<'/api/v1/player/state', 'get'>>({ method: 'GET', path: '/api/v1/player/state' }),
          request<Ok<'/api/v1/sectors/{id}', 'get'>>({ method: 'GET', path: `/api/v1/sectors/${answer.sector_id}` }),
        ]);
        return { hop: answer.hop, player, sector, region: answer.region, transfer: answer.transfer };
      },
      map: () => request<Ok<'/api/v1/player/map', 'get'>>({ method: 'GET', path: '/api/v1/player/map' }),
      /** Scan your sector or an adjacent one (1 turn). */
      scan: (sector: number, actionKey: string) =>
        request<Ok<'/api/v1/player/scan', 'post'>>({
          method: 'POST',
          path: '/api/v1/player/scan',
          body: { sector } satisfies Body<'/api/v1/player/scan', 'post'>,
          actionKey,
        }),
    },

    shipyard: {
      /** The Stardock's hulls and equipment, priced for your ship (409 no_stardock elsewhere). */
      get: () => request<Ok<'/api/v1/shipyard', 'get'>>({ method: 'GET', path: '/api/v1/shipyard' }),
      buyHull: (body: Body<'/api/v1/shipyard/hull', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/shipyard/hull', 'post'>>({ method: 'POST', path: '/api/v1/shipyard/hull', body, actionKey }),
      buyEquipment: (body: Body<'/api/v1/shipyard/equipment', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/shipyard/equipment', 'post'>>({ method: 'POST', path: '/api/v1/shipyard/equipment', body, actionKey }),
    },

    combat: {
      attack: (body: Body<'/api/v1/combat/attack', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/combat/attack', 'post'>>({ method: 'POST', path: '/api/v1/combat/attack', body, actionKey }),
      salvage: (body: Body<'/api/v1/combat/salvage', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/combat/salvage', 'post'>>({ method: 'POST', path: '/api/v1/combat/salvage', body, actionKey }),
      logs: (limit = 20) =>
        request<Ok<'/api/v1/combat/logs', 'get'>>({
          method: 'GET',
          path: '/api/v1/combat/logs',
          query: { limit } satisfies Query<'/api/v1/combat/logs', 'get'>,
        }),
      log: (id: string) => request<Ok<'/api/v1/combat/logs/{id}', 'get'>>({ method: 'GET', path: `/api/v1/combat/logs/${encodeURIComponent(id)}` }),
      attackDefenses: (body: Body<'/api/v1/combat/attack-defenses', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/combat/attack-defenses', 'post'>>({ method: 'POST', path: '/api/v1/combat/attack-defenses', body, actionKey }),
      attackPlanet: (body: Body<'/api/v1/combat/attack-planet', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/combat/attack-planet', 'post'>>({ method: 'POST', path: '/api/v1/combat/attack-planet', body, actionKey }),
    },

    /** Planets: genesis, your colonies, and what a landed owner does on one. */
    planets: {
      list: () => request<Ok<'/api/v1/planets', 'get'>>({ method: 'GET', path: '/api/v1/planets' }),
      get: (id: number) => request<Ok<'/api/v1/planets/{id}', 'get'>>({ method: 'GET', path: `/api/v1/planets/${id}` }),
      genesis: (body: Body<'/api/v1/planets/genesis', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/planets/genesis', 'post'>>({ method: 'POST', path: '/api/v1/planets/genesis', body, actionKey }),
      land: (id: number, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/land', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/land`, body: {}, actionKey }),
      leave: (id: number, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/leave', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/leave`, body: {}, actionKey }),
      colonists: (id: number, body: Body<'/api/v1/planets/{id}/colonists', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/colonists', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/colonists`, body, actionKey }),
      allocation: (id: number, body: Body<'/api/v1/planets/{id}/allocation', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/allocation', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/allocation`, body, actionKey }),
      cargo: (id: number, body: Body<'/api/v1/planets/{id}/cargo', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/cargo', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/cargo`, body, actionKey }),
      fighters: (id: number, body: Body<'/api/v1/planets/{id}/fighters', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/fighters', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/fighters`, body, actionKey }),
      citadel: (id: number, actionKey: string) =>
        request<Ok<'/api/v1/planets/{id}/citadel', 'post'>>({ method: 'POST', path: `/api/v1/planets/${id}/citadel`, body: {}, actionKey }),
    },

    /** Fighters and mines deployed in your sector. */
    defenses: {
      list: () => request<Ok<'/api/v1/defenses', 'get'>>({ method: 'GET', path: '/api/v1/defenses' }),
      fighters: (body: Body<'/api/v1/defenses/fighters', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/defenses/fighters', 'post'>>({ method: 'POST', path: '/api/v1/defenses/fighters', body, actionKey }),
      mines: (body: Body<'/api/v1/defenses/mines', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/defenses/mines', 'post'>>({ method: 'POST', path: '/api/v1/defenses/mines', body, actionKey }),
      recall: (body: Body<'/api/v1/defenses/recall', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/defenses/recall', 'post'>>({ method: 'POST', path: '/api/v1/defenses/recall', body, actionKey }),
    },

    sectors: {
      get: (id: number) => request<Ok<'/api/v1/sectors/{id}', 'get'>>({ method: 'GET', path: `/api/v1/sectors/${id}` }),
    },

    nav: {
      plot: (to: number) =>
        request<Ok<'/api/v1/nav/plot', 'get'>>({ method: 'GET', path: '/api/v1/nav/plot', query: { to } satisfies Query<'/api/v1/nav/plot', 'get'> }),
      autopilot: (to: number, actionKey: string) =>
        request<Ok<'/api/v1/nav/autopilot', 'post'>>({
          method: 'POST',
          path: '/api/v1/nav/autopilot',
          body: { to } satisfies Body<'/api/v1/nav/autopilot', 'post'>,
          actionKey,
        }),
    },

    trade: {
      quote: (order: TradeOrder & { side: TradeSide }, signal?: AbortSignal) =>
        request<Ok<'/api/v1/trade/quote', 'get'>>({
          method: 'GET',
          path: '/api/v1/trade/quote',
          query: { good: order.good, quantity: order.quantity, side: order.side } satisfies Query<'/api/v1/trade/quote', 'get'>,
          ...(signal ? { signal } : {}),
        }),
      buy: (order: Body<'/api/v1/trade/buy', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/trade/buy', 'post'>>({ method: 'POST', path: '/api/v1/trade/buy', body: order, actionKey }),
      sell: (order: Body<'/api/v1/trade/sell', 'post'>, actionKey: string) =>
        request<Ok<'/api/v1/trade/sell', 'post'>>({ method: 'POST', path: '/api/v1/trade/sell', body: order, actionKey }),
    },

    events: {
      after: (after: number, limit = 100) =>
        request<Ok<'/api/v1/events', 'get'>>({ method: 'GET', path: '/api/v1/events', query: { after, limit } satisfies Query<'/api/v1/events', 'get'> }),
    },

    rankings: {
      list: (query: { by?: RankingOrder; page?: number; per_page?: number } = {}) =>
        request<Ok<'/api/v1/rankings', 'get'>>({ method: 'GET', path: '/api/v1/rankings', query: query satisfies Query<'/api/v1/rankings', 'get'> }),
      /** Pilots by planets owned, then colonists on them. */
      planets: (query: { page?: number; per_page?: number } = {}) =>
        request<Ok<'/api/v1/rankings/planets', 'get'>>({
          method: 'GET',
          path: '/api/v1/rankings/planets',
          query: query satisfies Query<'/api/v1/rankings/planets', 'get'>,
        }),
      /** Teams by their members' summed net worth plus the treasury. */
      teams: (query: { page?: number; per_page?: number } = {}) =>
        request<Ok<'/api/v1/rankings/teams', 'get'>>({
          method: 'GET',
          path: '/api/v1/rankings/teams',
          query: query satisfies Query<'/api/v1/rankings/teams', 'get'>,
        }),
    },

    teams: {
      create: (body: Body<'/api/v1/teams', 'post'>) => request<Ok<'/api/v1/teams', 'post'>>({ method: 'POST', path: '/api/v1/teams', body }),
      find: (query?: string) =>
        request<Ok<'/api/v1/teams', 'get'>>({ method: 'GET', path: '/api/v1/teams', query: { query } satisfies Query<'/api/v1/teams', 'get'> }),
      get: (id: number) => request<Ok<'/api/v1/teams/{id}', 'get'>>({ method: 'GET', path: `/api/v1/teams/${id}` }),
      invite: (id: number, pilot: string) =>
        request<Ok<'/api/v1/teams/{id}/invitations', 'post'>>({ method: 'POST', path: `/api/v1/teams/${id}/invitations`, body: { pilot } }),
      leave: (id: number) => request<Ok<'/api/v1/teams/{id}/leave', 'post'>>({ method: 'POST', path: `/api/v1/teams/${id}/leave` }),
      kick: (id: number, pilot: string) =>
        request<Ok<'/api/v1/teams/{id}/kick', 'post'>>({ method: 'POST', path: `/api/v1/teams/${id}/kick`, body: { pilot } }),
      makeLeader: (id: number, pilot: string) =>
        request<Ok<'/api/v1/teams/{id}/leader', 'post'>>({ method: 'POST', path: `/api/v1/teams/${id}/leader`, body: { pilot } }),
      allowWithdraw: (id: number, pilot: string, withdraw: boolean) =>
        request<Ok<'/api/v1/teams/{id}/rights', 'post'>>({ method: 'POST', path: `/api/v1/teams/${id}/rights`, body: { pilot, withdraw } }),
      /** With an `actionKey` (newActionKey), a retried deposit or withdrawal moves the credits once. */
      treasury: (id: number, body: Body<'/api/v1/teams/{id}/treasury', 'post'>, actionKey?: string) =>
        request<Ok<'/api/v1/teams/{id}/treasury', 'post'>>({ method: 'POST', path: `/api/v1/teams/${id}/treasury`, body, ...(actionKey ? { actionKey } : {}) }),
      history: (id: number) => request<Ok<'/api/v1/teams/{id}/treasury', 'get'>>({ method: 'GET', path: `/api/v1/teams/${id}/treasury` }),
      disband: (id: number) => request<Ok<'/api/v1/teams/{id}', 'delete'>>({ method: 'DELETE', path: `/api/v1/teams/${id}` }),
    },

    invitations: {
      list: () => request<Ok<'/api/v1/invitations', 'get'>>({ method: 'GET', path: '/api/v1/invitations' }),
      accept: (id: number) => request<Ok<'/api/v1/invitations/{id}/accept', 'post'>>({ method: 'POST', path: `/api/v1/invitations/${id}/accept` }),
      decline: (id: number) => request<Ok<'/api/v1/invitations/{id}/decline', 'post'>>({ method: 'POST', path: `/api/v1/invitations/${id}/decline` }),
    },

    mail: {
      send: (body: Body<'/api/v1/messages', 'post'>) => request<Ok<'/api/v1/messages', 'post'>>({ method: 'POST', path: '/api/v1/messages', body }),
      list: (query: { folder?: MailFolder; unread?: boolean; before?: number; limit?: number } = {}) =>
        request<Ok<'/api/v1/messages', 'get'>>({
          method: 'GET',
          path: '/api/v1/messages',
          query: { ...query, unread: query.unread === undefined ? undefined : query.unread ? 'true' : 'false' } satisfies Query<'/api/v1/messages', 'get'>,
        }),
      read: (id: number) => request<Ok<'/api/v1/messages/{id}/read', 'post'>>({ method: 'POST', path: `/api/v1/messages/${id}/read` }),
      remove: (id: number) => request<Ok<'/api/v1/messages/{id}', 'delete'>>({ method: 'DELETE', path: `/api/v1/messages/${id}` }),
      broadcast: (body: string) => request<Ok<'/api/v1/messages/broadcast', 'post'>>({ method: 'POST', path: '/api/v1/messages/broadcast', body: { body } }),
      blocks: () => request<Ok<'/api/v1/messages/blocks', 'get'>>({ method: 'GET', path: '/api/v1/messages/blocks' }),
      block: (pilot: string) => request<Ok<'/api/v1/messages/blocks', 'post'>>({ method: 'POST', path: '/api/v1/messages/blocks', body: { pilot } }),
      unblock: (pilot: string) => request<Ok<'/api/v1/messages/blocks', 'delete'>>({ method: 'DELETE', path: '/api/v1/messages/blocks', query: { pilot } }),
    },

    reports: {
      create: (body: Body<'/api/v1/reports', 'post'>) => request<Ok<'/api/v1/reports', 'post'>>({ method: 'POST', path: '/api/v1/reports', body }),
    },

    computer: {
      /** Every port you have seen: last-seen prices and stock, hops away. */
      ports: (signal?: AbortSignal) => request<Ok<'/api/v1/computer/ports', 'get'>>({ method: 'GET', path: '/api/v1/computer/ports', signal }),
      /** Known port pairs ranked by profit per turn. */
      routes: (limit = 20, signal?: AbortSignal) =>
        request<Ok<'/api/v1/computer/routes', 'get'>>({
          method: 'GET',
          path: '/api/v1/computer/routes',
          query: { limit } satisfies Query<'/api/v1/computer/routes', 'get'>,
          signal,
        }),
    },

    realtime: {
      /** A one-time ticket for the WebSocket; fetch one per connection attempt. */
      ticket: () => request<Ok<'/api/v1/realtime/ticket', 'post'>>({ method: 'POST', path: '/api/v1/realtime/ticket' }),
    },

    /**
     * The admin API (issue 19). Only a session signed in with TOTP reaches it; the dangerous
     * changes take a fresh code (`totp`), each good once.
     */
    admin: {
      me: () => admin<Ok<'/api/v1/admin/me', 'get'>>({ method: 'GET', path: '/me' }),
      audit: (query: Query<'/api/v1/admin/audit', 'get'> = {}) =>
        admin<Ok<'/api/v1/admin/audit', 'get'>>({ method: 'GET', path: '/audit', query: query as Record<string, string | number | undefined> }),
      scopes: {
        list: () => admin<Ok<'/api/v1/admin/scopes', 'get'>>({ method: 'GET', path: '/scopes' }),
        grant: (body: Body<'/api/v1/admin/scopes/grant', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/scopes/grant', 'post'>>({ method: 'POST', path: '/scopes/grant', body, totp }),
        revoke: (body: Body<'/api/v1/admin/scopes/revoke', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/scopes/revoke', 'post'>>({ method: 'POST', path: '/scopes/revoke', body, totp }),
        requests: (status: NonNullable<Query<'/api/v1/admin/scopes/requests', 'get'>['status']> = 'pending') =>
          admin<Ok<'/api/v1/admin/scopes/requests', 'get'>>({ method: 'GET', path: '/scopes/requests', query: { status } }),
        request: (body: Body<'/api/v1/admin/scopes/requests', 'post'>) =>
          admin<Ok<'/api/v1/admin/scopes/requests', 'post'>>({ method: 'POST', path: '/scopes/requests', body }),
        approve: (id: number, totp: string) =>
          admin<Ok<'/api/v1/admin/scopes/requests/{id}/approve', 'post'>>({ method: 'POST', path: `/scopes/requests/${id}/approve`, totp }),
        reject: (id: number, reason: string) =>
          admin<Ok<'/api/v1/admin/scopes/requests/{id}/reject', 'post'>>({ method: 'POST', path: `/scopes/requests/${id}/reject`, body: { reason } }),
      },
      players: {
        search: (q: string, cursor?: string) =>
          admin<Ok<'/api/v1/admin/players', 'get'>>({
            method: 'GET',
            path: '/players',
            query: { q, cursor } satisfies Query<'/api/v1/admin/players', 'get'>,
          }),
        get: (id: string) => admin<Ok<'/api/v1/admin/players/{id}', 'get'>>({ method: 'GET', path: player(id) }),
        ledger: (id: string, cursor?: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/ledger', 'get'>>({ method: 'GET', path: `${player(id)}/ledger`, query: { cursor } }),
        suspend: (id: string, body: Body<'/api/v1/admin/players/{id}/suspend', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/suspend', 'post'>>({ method: 'POST', path: `${player(id)}/suspend`, body, totp }),
        ban: (id: string, reason: string, totp: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/ban', 'post'>>({ method: 'POST', path: `${player(id)}/ban`, body: { reason }, totp }),
        unban: (id: string, reason: string, totp: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/unban', 'post'>>({ method: 'POST', path: `${player(id)}/unban`, body: { reason }, totp }),
        credits: (id: string, body: Body<'/api/v1/admin/players/{id}/credits', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/credits', 'post'>>({ method: 'POST', path: `${player(id)}/credits`, body, totp }),
        move: (id: string, body: Body<'/api/v1/admin/players/{id}/move', 'post'>) =>
          admin<Ok<'/api/v1/admin/players/{id}/move', 'post'>>({ method: 'POST', path: `${player(id)}/move`, body }),
        revokeTokens: (id: string, reason: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/revoke-tokens', 'post'>>({ method: 'POST', path: `${player(id)}/revoke-tokens`, body: { reason } }),
        passwordReset: (id: string, reason: string) =>
          admin<Ok<'/api/v1/admin/players/{id}/password-reset', 'post'>>({ method: 'POST', path: `${player(id)}/password-reset`, body: { reason } }),
      },
      moderation: {
        /** The report queue: open reports oldest first, decided ones newest first. */
        reports: (status: NonNullable<Query<'/api/v1/admin/moderation/reports', 'get'>['status']> = 'open') =>
          admin<Ok<'/api/v1/admin/moderation/reports', 'get'>>({
            method: 'GET',
            path: '/moderation/reports',
            query: { status } satisfies Query<'/api/v1/admin/moderation/reports', 'get'>,
          }),
        resolve: (id: number, reason: string) =>
          admin<Ok<'/api/v1/admin/moderation/reports/{id}/resolve', 'post'>>({ method: 'POST', path: `/moderation/reports/${id}/resolve`, body: { reason } }),
        dismiss: (id: number, reason: string) =>
          admin<Ok<'/api/v1/admin/moderation/reports/{id}/dismiss', 'post'>>({ method: 'POST', path: `/moderation/reports/${id}/dismiss`, body: { reason } }),
        deleteMessage: (id: number, reason: string) =>
          admin<Ok<'/api/v1/admin/moderation/messages/{id}/delete', 'post'>>({ method: 'POST', path: `/moderation/messages/${id}/delete`, body: { reason } }),
        rename: (id: string, body: Body<'/api/v1/admin/moderation/pilots/{id}/rename', 'post'>) =>
          admin<Ok<'/api/v1/admin/moderation/pilots/{id}/rename', 'post'>>({
            method: 'POST',
            path: `/moderation/pilots/${encodeURIComponent(id)}/rename`,
            body,
          }),
        /** Mute in chat for `hours`, or ban from chat without them. */
        mute: (id: string, body: Body<'/api/v1/admin/moderation/pilots/{id}/mute', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/moderation/pilots/{id}/mute', 'post'>>({
            method: 'POST',
            path: `/moderation/pilots/${encodeURIComponent(id)}/mute`,
            body,
            totp,
          }),
        unmute: (id: string, reason: string, totp: string) =>
          admin<Ok<'/api/v1/admin/moderation/pilots/{id}/unmute', 'post'>>({
            method: 'POST',
            path: `/moderation/pilots/${encodeURIComponent(id)}/unmute`,
            body: { reason },
            totp,
          }),
      },
      teams: {
        list: (query: Query<'/api/v1/admin/teams', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/teams', 'get'>>({ method: 'GET', path: '/teams', query: query satisfies Record<string, string | number | undefined> }),
        rename: (id: number, body: Body<'/api/v1/admin/teams/{id}/rename', 'post'>) =>
          admin<Ok<'/api/v1/admin/teams/{id}/rename', 'post'>>({ method: 'POST', path: `/teams/${id}/rename`, body }),
        disband: (id: number, reason: string) =>
          admin<Ok<'/api/v1/admin/teams/{id}/disband', 'post'>>({ method: 'POST', path: `/teams/${id}/disband`, body: { reason } }),
      },
      combat: {
        list: (query: Query<'/api/v1/admin/combat-logs', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/combat-logs', 'get'>>({
            method: 'GET',
            path: '/combat-logs',
            query: query satisfies Record<string, string | number | undefined>,
          }),
        get: (id: string) => admin<Ok<'/api/v1/admin/combat-logs/{id}', 'get'>>({ method: 'GET', path: `/combat-logs/${encodeURIComponent(id)}` }),
      },
      /** The economy, read from the ledger, the markets and the job runs (`admin:economy`). */
      economy: {
        moneySupply: (query: Query<'/api/v1/admin/economy/money-supply', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/economy/money-supply', 'get'>>({ method: 'GET', path: '/economy/money-supply', query }),
        flows: (query: Query<'/api/v1/admin/economy/flows', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/economy/flows', 'get'>>({ method: 'GET', path: '/economy/flows', query }),
        topEarners: (query: Query<'/api/v1/admin/economy/top-earners', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/economy/top-earners', 'get'>>({ method: 'GET', path: '/economy/top-earners', query }),
        prices: () => admin<Ok<'/api/v1/admin/economy/prices', 'get'>>({ method: 'GET', path: '/economy/prices' }),
        priceHistory: (query: Query<'/api/v1/admin/economy/prices/history', 'get'>) =>
          admin<Ok<'/api/v1/admin/economy/prices/history', 'get'>>({ method: 'GET', path: '/economy/prices/history', query }),
        npcs: (query: Query<'/api/v1/admin/economy/npcs', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/economy/npcs', 'get'>>({ method: 'GET', path: '/economy/npcs', query }),
      },
      /** Live operations: who is online, where things happen, the jobs, and a system broadcast. */
      ops: {
        online: () => admin<Ok<'/api/v1/admin/ops/online', 'get'>>({ method: 'GET', path: '/ops/online' }),
        activity: (query: Query<'/api/v1/admin/ops/activity', 'get'> = {}) =>
          admin<Ok<'/api/v1/admin/ops/activity', 'get'>>({ method: 'GET', path: '/ops/activity', query }),
        jobs: () => admin<Ok<'/api/v1/admin/ops/jobs', 'get'>>({ method: 'GET', path: '/ops/jobs' }),
        broadcast: (body: Body<'/api/v1/admin/ops/broadcast', 'post'>) =>
          admin<Ok<'/api/v1/admin/ops/broadcast', 'post'>>({ method: 'POST', path: '/ops/broadcast', body }),
      },
      universe: {
        map: () => admin<Ok<'/api/v1/admin/universe/map', 'get'>>({ method: 'GET', path: '/universe/map' }),
        previewGalaxy: (body: Body<'/api/v1/admin/universe/generate/preview', 'post'>) =>
          admin<Ok<'/api/v1/admin/universe/generate/preview', 'post'>>({ method: 'POST', path: '/universe/generate/preview', body }),
        commitGalaxy: (body: Body<'/api/v1/admin/universe/generate/commit', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/universe/generate/commit', 'post'>>({ method: 'POST', path: '/universe/generate/commit', body, totp }),
        previewRegion: (body: Body<'/api/v1/admin/universe/regions/preview', 'post'>) =>
          admin<Ok<'/api/v1/admin/universe/regions/preview', 'post'>>({ method: 'POST', path: '/universe/regions/preview', body }),
        commitRegion: (body: Body<'/api/v1/admin/universe/regions', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/universe/regions', 'post'>>({ method: 'POST', path: '/universe/regions', body, totp }),
        job: (id: string) => admin<Ok<'/api/v1/admin/universe/generate/jobs/{id}', 'get'>>({ method: 'GET', path: `/universe/generate/jobs/${id}` }),
        sector: (id: number) => admin<Ok<'/api/v1/admin/universe/sectors/{id}/warps', 'get'>>({ method: 'GET', path: `/universe/sectors/${id}/warps` }),
        editWarps: (id: number, body: Body<'/api/v1/admin/universe/sectors/{id}/warps', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/universe/sectors/{id}/warps', 'post'>>({ method: 'POST', path: `/universe/sectors/${id}/warps`, body, totp }),
        port: (id: number) => admin<Ok<'/api/v1/admin/universe/ports/{id}', 'get'>>({ method: 'GET', path: `/universe/ports/${id}` }),
        editPort: (id: number, body: Body<'/api/v1/admin/universe/ports/{id}', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/universe/ports/{id}', 'post'>>({ method: 'POST', path: `/universe/ports/${id}`, body, totp }),
        editPlanet: (id: number, body: Body<'/api/v1/admin/universe/planets/{id}', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/universe/planets/{id}', 'post'>>({ method: 'POST', path: `/universe/planets/${id}`, body, totp }),
      },
      /** The region manager (issue 21): regions with their health, creating one (a job to follow), scaling, stopping, starting, deleting. */
      regions: {
        list: () => admin<Ok<'/api/v1/admin/regions', 'get'>>({ method: 'GET', path: '/regions' }),
        create: (body: Body<'/api/v1/admin/regions', 'post'>) => admin<Ok<'/api/v1/admin/regions', 'post'>>({ method: 'POST', path: '/regions', body }),
        job: (slug: string, id: string) =>
          admin<Ok<'/api/v1/admin/regions/{slug}/jobs/{id}', 'get'>>({
            method: 'GET',
            path: `/regions/${encodeURIComponent(slug)}/jobs/${encodeURIComponent(id)}`,
          }),
        scale: (slug: string, body: Body<'/api/v1/admin/regions/{slug}/scale', 'post'>) =>
          admin<Ok<'/api/v1/admin/regions/{slug}/scale', 'post'>>({ method: 'POST', path: `/regions/${encodeURIComponent(slug)}/scale`, body }),
        start: (slug: string, body: Body<'/api/v1/admin/regions/{slug}/start', 'post'>) =>
          admin<Ok<'/api/v1/admin/regions/{slug}/start', 'post'>>({ method: 'POST', path: `/regions/${encodeURIComponent(slug)}/start`, body }),
        stop: (slug: string, body: Body<'/api/v1/admin/regions/{slug}/stop', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/regions/{slug}/stop', 'post'>>({ method: 'POST', path: `/regions/${encodeURIComponent(slug)}/stop`, body, totp }),
        delete: (slug: string, body: Body<'/api/v1/admin/regions/{slug}/delete', 'post'>, totp: string) =>
          admin<Ok<'/api/v1/admin/regions/{slug}/delete', 'post'>>({ method: 'POST', path: `/regions/${encodeURIComponent(slug)}/delete`, body, totp }),
      },
    },

    /** Stop the silent-refresh timer (scripts that are done, tests). */
    dispose: () => {
      session.dispose();
      region.dispose();
    },
  };
}

/** Wait `ms`, or until the call is aborted. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
