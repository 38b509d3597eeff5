import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBus } from '../platform/bus/index.js';
import { createApp } from '../platform/http/app.js';
import { redeemTicket } from '../platform/realtime-tickets.js';
import { sessionStatus } from '../platform/session-status.js';
import { hashRefreshToken } from '../platform/tokens.js';
import { bundles } from '../handlers/index.js';
import { createTestApp, randomIp, registerPlayer, type TestApp } from './harness.js';

const TOKEN_LIMIT = 6;
const ACCOUNT_LIMIT = 9;

let t: TestApp;
/** A second api replica: the same database, its own bus connection (on Redis), its own app. */
let replica: ReturnType<typeof createApp>;
let replicaBus: ReturnType<typeof openBus> | undefined;

beforeAll(async () => {
  t = await createTestApp({ config: { API_LIMIT_TOKEN_PER_MINUTE: String(TOKEN_LIMIT), API_LIMIT_ACCOUNT_PER_MINUTE: String(ACCOUNT_LIMIT) } });
  replicaBus = t.config.redisUrl ? openBus(t.config) : undefined;
  replica = createApp({ ...t, bus: replicaBus ?? t.bus }, bundles);
});
afterAll(async () => {
  await replicaBus?.close();
  await t.close();
});

async function onReplica(method: string, path: string, token: string, body?: unknown) {
  const res = await replica.request(
    path,
    {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    },
    { incoming: { socket: { remoteAddress: randomIp() } } },
  );
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any, headers: res.headers };
}

async function mint(session: string, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/v1/auth/tokens', { token: session, body: { name: 'bot', scopes, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; token: string; token_start: string; scopes: string[]; expires_at: string; last_used_at: string | null };
}

/** Fixed one-minute windows: start a counting test early in a minute so it cannot straddle two. */
async function freshMinute() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((r) => setTimeout(r, left + 50));
}

describe('personal access tokens', () => {
  it('are shown once with a recognizable prefix, stored only as a hash, and listed without the secret', async () => {
    const p = await registerPlayer(t);
    const before = Date.now();
    const created = await mint(p.token, ['game:read'], { name: 'scout', expires_in_days: 7 });
    expect(created.token).toMatch(/^swp_[A-Za-z0-9_-]{43}$/);
    expect(created.token_start).toBe(created.token.slice(0, 12));
    expect(created.scopes).toEqual(['game:read']);
    expect(created.last_used_at).toBeNull();
    const expires = Date.parse(created.expires_at) - before;
    expect(expires).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expires).toBeLessThan(7 * 86_400_000 + 60_000);

    const row = await t.accounts.selectFrom('personal_access_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashRefreshToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4));

    expect((await t.call('GET', '/api/v1/player/state', { token: created.token })).status).toBe(200);
    const list = await t.call('GET', '/api/v1/auth/tokens', { token: p.token });
    expect(list.status).toBe(200);
    expect(list.body.tokens).toHaveLength(1);
    expect(list.body.tokens[0]).toMatchObject({ id: created.id, name: 'scout', scopes: ['game:read'], token_start: created.token_start });
    expect(list.body.tokens[0].token).toBeUndefined();
    expect(list.text).not.toContain(created.token);
    // last_used_at is written in the background, at most once a minute.
    await vi.waitFor(async () => {
      const again = await t.call('GET', '/api/v1/auth/tokens', { token: p.token });
      expect(Date.parse(again.body.tokens[0].last_used_at)).toBeGreaterThanOrEqual(before - 1000);
    });
  });

  it('refuses bad requests with 422 and changes nothing', async () => {
    const p = await registerPlayer(t);
    for (const body of [
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: 'x', scopes: ['game:read', 'game:read'] },
      { name: '', scopes: ['game:read'] },
      { name: 'x', scopes: ['game:read'], expires_in_days: 0 },
      { name: 'x', scopes: ['game:read'], expires_in_days: 366 },
      { name: 'x', scopes: ['game:read'], extra: 1 },
    ]) {
      const res = await t.call('POST', '/api/v1/auth/tokens', { token: p.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await t.call('DELETE', '/api/v1/auth/tokens/not-a-uuid', { token: p.token })).status).toBe(422);
    expect((await t.call('DELETE', `/api/v1/auth/tokens/${crypto.randomUUID()}`, { token: p.token })).body.code).toBe('not_found');
    expect((await t.call('GET', '/api/v1/auth/tokens', { token: p.token })).body.tokens).toEqual([]);
  });

  it('cannot revoke another account’s token', async () => {
    const owner = await registerPlayer(t);
    const other = await registerPlayer(t);
    const created = await mint(owner.token, ['game:play']);
    expect((await t.call('DELETE', `/api/v1/auth/tokens/${created.id}`, { token: other.token })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/player/state', { token: created.token })).status).toBe(200);
  });

  it('caps the live tokens of one account', async () => {
    const p = await registerPlayer(t);
    const all = await Promise.all(
      Array.from({ length: 25 }, () => t.call('POST', '/api/v1/auth/tokens', { token: p.token, body: { name: 'b', scopes: ['game:read'] } })),
    );
    expect(all.map((r) => r.status)).toEqual(Array(25).fill(201));
    const over = await t.call('POST', '/api/v1/auth/tokens', { token: p.token, body: { name: 'b', scopes: ['game:read'] } });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('token_limit_reached');
  });
});

describe('scopes', () => {
  it('game:read reads the game but cannot move or trade', async () => {
    const p = await registerPlayer(t);
    const read = await mint(p.token, ['game:read']);
    const state = await t.call('GET', '/api/v1/player/state', { token: read.token });
    expect(state.status).toBe(200);
    const sector = await t.call('GET', '/api/v1/sectors/1', { token: read.token });
    expect(sector.status).toBe(200);
    const to = sector.body.warps[0].to;
    for (const [method, path, body] of [
      ['POST', '/api/v1/player/move', { to }],
      ['POST', '/api/v1/nav/autopilot', { to }],
      ['POST', '/api/v1/trade/buy', { good: 'ore', quantity: 1 }],
      ['POST', '/api/v1/trade/sell', { good: 'ore', quantity: 1 }],
    ] as const) {
      const res = await t.call(method, path, { token: read.token, body });
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope" scope="game:play"');
    }
    // (six calls: this token's whole minute; the session checks that nothing moved)
    expect((await t.call('GET', '/api/v1/player/state', { token: p.token })).body.player.sector_id).toBe(state.body.player.sector_id);
  });

  it('game:play moves', async () => {
    const p = await registerPlayer(t);
    const play = await mint(p.token, ['game:play']);
    const to = (await t.call('GET', '/api/v1/sectors/1', { token: play.token })).body.warps[0].to;
    const moved = await t.call('POST', '/api/v1/player/move', { token: play.token, body: { to } });
    expect(moved.status, moved.text).toBe(200);
    expect((await t.call('GET', '/api/v1/player/state', { token: play.token })).body.player.sector_id).toBe(to);
  });

  it('no token reaches account settings or token management, whatever its scopes', async () => {
    const p = await registerPlayer(t);
    const play = await mint(p.token, ['game:read', 'game:play']);
    for (const [method, path, body] of [
      ['GET', '/api/v1/auth/me', undefined],
      ['GET', '/api/v1/auth/tokens', undefined],
      ['POST', '/api/v1/auth/tokens', { name: 'child', scopes: ['game:play'] }],
      ['DELETE', `/api/v1/auth/tokens/${play.id}`, undefined],
    ] as const) {
      const res = await t.call(method, path, { token: play.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
    }
    expect((await t.call('GET', '/api/v1/auth/tokens', { token: p.token })).body.tokens).toHaveLength(1);
  });

  it('a token opens the realtime socket through a ticket, which stops vouching once the token is revoked', async () => {
    const p = await registerPlayer(t);
    const read = await mint(p.token, ['game:read']);
    const issued = await t.call('POST', '/api/v1/realtime/ticket', { token: read.token });
    expect(issued.status, issued.text).toBe(201);
    const holder = await redeemTicket(t.bus, issued.body.ticket);
    expect(holder).toMatchObject({ userId: p.userId, sessionId: `pat:${read.id}`, scopes: ['game:read'] });
    expect(await sessionStatus(t, holder!)).toBe('active');
    expect((await t.call('DELETE', `/api/v1/auth/tokens/${read.id}`, { token: p.token })).status).toBe(204);
    expect(await sessionStatus(t, holder!)).toBe('revoked');
  });
});

describe('revocation and expiry', () => {
  it('a revoked token is refused at once on every replica, having just been accepted there', async () => {
    const p = await registerPlayer(t);
    const created = await mint(p.token, ['game:play']);
    expect((await onReplica('GET', '/api/v1/player/state', created.token)).status).toBe(200);
    expect((await t.call('GET', '/api/v1/player/state', { token: created.token })).status).toBe(200);

    expect((await t.call('DELETE', `/api/v1/auth/tokens/${created.id}`, { token: p.token })).status).toBe(204);
    const there = await onReplica('GET', '/api/v1/player/state', created.token);
    expect(there.status).toBe(401);
    expect(there.body.code).toBe('invalid_token');
    expect((await t.call('GET', '/api/v1/player/state', { token: created.token })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/tokens', { token: p.token })).body.tokens).toEqual([]);
    // Revoking again is fine.
    expect((await t.call('DELETE', `/api/v1/auth/tokens/${created.id}`, { token: p.token })).status).toBe(204);
  });

  it('an expired token is refused the moment it expires, on every replica', async () => {
    const p = await registerPlayer(t);
    const created = await mint(p.token, ['game:read'], { expires_in_days: 1 });
    expect((await onReplica('GET', '/api/v1/player/state', created.token)).status).toBe(200);
    expect((await t.call('GET', '/api/v1/player/state', { token: created.token })).status).toBe(200);
    const realNow = Date.now;
    const later = Date.parse(created.expires_at) + 1000;
    vi.spyOn(Date, 'now').mockImplementation(() => later + (realNow() % 1000));
    try {
      for (const res of [
        await onReplica('GET', '/api/v1/player/state', created.token),
        await t.call('GET', '/api/v1/player/state', { token: created.token }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('invalid_token');
        expect(res.body.detail).toMatch(/expired/);
      }
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('a token of a disabled account is refused', async () => {
    const p = await registerPlayer(t);
    const created = await mint(p.token, ['game:read']);
    await t.accounts.updateTable('users').set({ status: 'disabled' }).where('id', '=', p.userId).execute();
    await t.bus.del(`auth:user-status:${p.userId}`);
    const res = await t.call('GET', '/api/v1/player/state', { token: created.token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('account_disabled');
  });

  it('an unknown or malformed swp_ token is 401', async () => {
    for (const token of [`swp_${'A'.repeat(43)}`, 'swp_short']) {
      const res = await t.call('GET', '/api/v1/player/state', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });
});

describe('rate limits', () => {
  it('sends exact RateLimit-Policy and RateLimit headers per token and per account, and 429 with Retry-After past them', async () => {
    const p = await registerPlayer(t);
    const first = await mint(p.token, ['game:read']);
    const second = await mint(p.token, ['game:read']);
    await freshMinute();
    const policy = `"token";q=${TOKEN_LIMIT};w=60, "account";q=${ACCOUNT_LIMIT};w=60`;
    for (let i = 1; i <= TOKEN_LIMIT; i++) {
      const res = await t.call('GET', '/api/v1/player/state', { token: first.token });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe(policy);
      const m = /^"token";r=(\d+);t=(\d+), "account";r=(\d+);t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '');
      expect(m, res.headers.get('ratelimit') ?? 'none').not.toBeNull();
      expect(Number(m![1])).toBe(TOKEN_LIMIT - i);
      expect(Number(m![3])).toBe(ACCOUNT_LIMIT - i);
      expect(Number(m![2])).toBeGreaterThan(0);
      expect(Number(m![2])).toBeLessThanOrEqual(60);
    }
    const refused = await t.call('GET', '/api/v1/player/state', { token: first.token });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toBe(`"token";r=0;t=${retryAfter}, "account";r=${ACCOUNT_LIMIT - TOKEN_LIMIT - 1};t=${retryAfter}`);

    // The account's other token has its own token limit but shares the account's: 7 used of 9.
    expect((await onReplica('GET', '/api/v1/player/state', second.token)).status).toBe(200);
    const last = await t.call('GET', '/api/v1/player/state', { token: second.token });
    expect(last.status).toBe(200);
    expect(last.headers.get('ratelimit')).toMatch(new RegExp(`^"token";r=${TOKEN_LIMIT - 2};t=\\d+, "account";r=0;t=\\d+$`));
    const overAccount = await onReplica('GET', '/api/v1/player/state', second.token);
    expect(overAccount.status).toBe(429);
    expect(overAccount.body.detail).toMatch(/account limit of 9/);
    // The person's own session is limited apart and still plays.
    expect((await t.call('GET', '/api/v1/player/state', { token: p.token })).status).toBe(200);
  });

  it('puts the headers on every /api response: sessions, anonymous callers and errors alike', async () => {
    const p = await registerPlayer(t);
    const mine = await t.call('GET', '/api/v1/player/state', { token: p.token });
    expect(mine.headers.get('ratelimit-policy')).toBe('"session";q=600;w=60');
    expect(mine.headers.get('ratelimit')).toMatch(/^"session";r=\d+;t=\d+$/);
    const ip = randomIp();
    const docs = await t.call('GET', '/api/openapi.json', { ip });
    expect(docs.headers.get('ratelimit-policy')).toBe('"anonymous";q=300;w=60');
    const r = Number(/r=(\d+)/.exec(docs.headers.get('ratelimit')!)![1]);
    const wrong = await t.call('POST', '/api/v1/auth/login', { ip, body: { username: 'nobody_here', password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('ratelimit')).toMatch(new RegExp(`^"anonymous";r=${r - 1};t=\\d+$`));
    const missing = await t.call('GET', '/api/v1/nowhere', { ip });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('ratelimit')).toMatch(new RegExp(`^"anonymous";r=${r - 2};t=\\d+$`));
  });
});
