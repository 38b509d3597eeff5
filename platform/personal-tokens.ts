import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Bus } from './bus/index.js';
import type { AccountDb } from './db/database.js';
import { prepared } from './db/prepared.js';
import { Problem } from './errors.js';
import { TOKEN_SESSION_PREFIX } from './session-status.js';
import { hashRefreshToken } from './tokens.js';

/**
 * Personal access tokens: what bots send as `Authorization: Bearer swp_…`. The prefix makes a
 * leaked token recognizable to secret scanners; the rest is 32 random bytes. Only the SHA-256 is
 * stored. A token is a session of its own (`pat:<id>`, see session-status.ts), so revoking it
 * bites at once on every replica the same way a logout does.
 */
export const TOKEN_PREFIX = 'swp_';
export const TOKEN_PATTERN = /^swp_[A-Za-z0-9_-]{43}$/;

/** What a token may do. `game:play` includes `game:read`. No scope reaches account settings or admin routes. */
export const TOKEN_SCOPES = ['game:read', 'game:play'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function newPersonalToken(): { token: string; hash: string; start: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashRefreshToken(token), start: token.slice(0, 12) };
}

export interface TokenRecord {
  id: string;
  userId: string;
  scopes: string[];
  expiresAtMs: number;
}

const tokenKey = (hash: string) => `auth:pat:${hash}`;
/** A token's record never changes (revocation is its session's status), so it can be cached for long. */
const RECORD_CACHE_MS = 10 * 60_000;
const UNKNOWN_CACHE_MS = 30_000;
/** last_used_at is written at most this often per token. */
const LAST_USED_EVERY_MS = 60_000;

const byHash = prepared((db: AccountDb, a: { hash: string }) =>
  db.selectFrom('personal_access_tokens').select(['id', 'user_id', 'scopes', 'expires_at', 'last_used_at']).where('token_hash', '=', a.hash),
);

/** The record of a presented token, or null when it is none of ours (revocation is checked apart). */
export async function lookUpToken(deps: { accounts: AccountDb; bus: Bus }, token: string): Promise<TokenRecord | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = hashRefreshToken(token);
  const cached = await deps.bus.get(tokenKey(hash)).catch(() => null);
  if (cached === 'unknown') return null;
  if (cached) {
    const record = JSON.parse(cached) as TokenRecord;
    noteUse(deps, record);
    return record;
  }
  let row: Awaited<ReturnType<typeof byHash.execute>>[number] | undefined;
  try {
    row = (await byHash.execute(deps.accounts, { hash }))[0];
  } catch {
    throw new Problem('session_check_unavailable', { detail: 'Tokens cannot be checked right now; try again shortly', headers: { 'retry-after': '5' } });
  }
  if (!row) {
    deps.bus.set(tokenKey(hash), 'unknown', UNKNOWN_CACHE_MS).catch(() => {});
    return null;
  }
  const record: TokenRecord = { id: row.id, userId: row.user_id, scopes: row.scopes, expiresAtMs: new Date(row.expires_at).getTime() };
  deps.bus.set(tokenKey(hash), JSON.stringify(record), RECORD_CACHE_MS).catch(() => {});
  noteUse(deps, record);
  return record;
}

/** Remember the use for the token list, at most once a minute per token (the bus decides who writes). */
function noteUse(deps: { accounts: AccountDb; bus: Bus }, record: TokenRecord): void {
  deps.bus
    .setIfAbsent(`auth:pat-used:${record.id}`, '1', LAST_USED_EVERY_MS)
    .then((first) =>
      first ? deps.accounts.updateTable('personal_access_tokens').set({ last_used_at: sql`now()` }).where('id', '=', record.id).execute() : undefined,
    )
    .catch(() => {});
}

export const tokenSessionId = (tokenId: string) => `${TOKEN_SESSION_PREFIX}${tokenId}`;

/** Whether the scopes a token holds cover `needed` (`game:play` covers `game:read`). */
export function scopesCover(held: readonly string[], needed: TokenScope): boolean {
  return held.includes(needed) || (needed === 'game:read' && held.includes('game:play'));
}

/**
 * The scope a personal access token needs for a route, or null where no token may go: the
 * account's own settings and sessions (`/api/v1/auth/…`, token management included) and admin
 * routes. Reading needs `game:read`; anything that changes the game needs `game:play`. Opening
 * the realtime socket only reads. The OpenAPI document's per-operation scopes come from here too.
 */
export function tokenScopeFor(method: string, path: string): TokenScope | null {
  if (path.startsWith('/api/v1/auth') || path.startsWith('/api/v1/admin') || path.startsWith('/api/admin')) return null;
  if (path === '/api/v1/realtime/ticket') return 'game:read';
  return method === 'GET' || method === 'HEAD' ? 'game:read' : 'game:play';
}
