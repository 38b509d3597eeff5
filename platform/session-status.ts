import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { type Bus, nexusBusOf } from './bus/index.js';
import type { AccountDb } from './db/database.js';
import { prepared } from './db/prepared.js';
import { Problem } from './errors.js';

/** What a session's access tokens may do: be used, or not, and why not. */
export type SessionStatus = 'active' | 'revoked' | 'disabled' | 'missing';

export interface SessionRef {
  userId: string;
  sessionId: string;
}

export const userStatusKey = (userId: string) => `auth:user-status:${userId}`;
/** `alive@<epoch>` (read from the database a moment ago) or `revoked`. */
export const sessionKey = (sessionId: string) => `auth:session:${sessionId}`;
/**
 * Positive answers (`active@…`, `alive@…`) count only under the epoch they were written in. A
 * restarted Redis has no epoch until a reader makes a new one, so a write from before the restart
 * that the client replays afterwards can never vouch for a session logged out meanwhile.
 */
const EPOCH_KEY = 'auth:cache-epoch';
const EPOCH_TTL_MS = 24 * 3_600_000;

const USER_STATUS_CACHE_MS = 30_000;
/** How stale an `alive` answer may be when a logout could not reach the bus (an outage). */
const ALIVE_CACHE_MS = 10_000;
/** Past any access token's lifetime it does not matter; the database still says so after. */
const REVOKED_CACHE_MS = 15 * 60_000;

const liveFamilies = prepared((db: AccountDb, a: { sessionIds: string[] }) =>
  db
    .selectFrom('refresh_tokens')
    .select(['family_id', 'user_id'])
    .distinct()
    .where('family_id', '=', sql<string>`any(${a.sessionIds}::uuid[])`)
    .where('revoked_at', 'is', null),
);
/** Personal access tokens are sessions named `pat:<token id>`: alive while neither revoked nor expired. */
export const TOKEN_SESSION_PREFIX = 'pat:';
const liveTokens = prepared((db: AccountDb, a: { tokenIds: string[] }) =>
  db
    .selectFrom('personal_access_tokens')
    .select(['id', 'user_id'])
    .where('id', '=', sql<string>`any(${a.tokenIds}::uuid[])`)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`),
);
const userStatuses = prepared((db: AccountDb, a: { userIds: string[] }) =>
  db.selectFrom('users').select(['id', 'status']).where('id', '=', sql<string>`any(${a.userIds}::uuid[])`),
);

/**
 * Whether sessions may still be used, in order. The database is the truth (a session lives while
 * its refresh-token family has a row not revoked); the bus caches its answers briefly, so a busy
 * session costs one bus round trip per request and the database a look every few seconds. When
 * the bus cannot answer, the database is asked; when neither can, this throws (503): a session
 * is never taken for alive without one of them saying so.
 */
export async function sessionStatuses(deps: { accounts: AccountDb; bus: Bus }, sessions: SessionRef[]): Promise<SessionStatus[]> {
  if (sessions.length === 0) return [];
  const marks = await deps.bus.getMany([EPOCH_KEY, ...sessions.flatMap((s) => [userStatusKey(s.userId), sessionKey(s.sessionId)])]).catch(() => undefined);
  const epoch = marks?.[0] ?? undefined;
  const statuses: Array<SessionStatus | undefined> = sessions.map((_, i) => {
    const user = marks?.[1 + 2 * i];
    const session = marks?.[2 + 2 * i];
    // Refusals stand whenever they were written; only fresh approvals are believed.
    if (session === 'revoked') return 'revoked';
    if (user === 'disabled' || user === 'missing') return user;
    return epoch && user === `active@${epoch}` && session === `alive@${epoch}` ? 'active' : undefined;
  });
  const unknown = sessions.filter((_, i) => statuses[i] === undefined);
  if (unknown.length === 0) return statuses as SessionStatus[];

  let families: Array<{ family_id: string; user_id: string }>;
  let users: Array<{ id: string; status: string }>;
  const familyIds = [...new Set(unknown.filter((s) => !s.sessionId.startsWith(TOKEN_SESSION_PREFIX)).map((s) => s.sessionId))];
  const tokenIds = [...new Set(unknown.filter((s) => s.sessionId.startsWith(TOKEN_SESSION_PREFIX)).map((s) => s.sessionId.slice(TOKEN_SESSION_PREFIX.length)))];
  try {
    let tokens: Array<{ id: string; user_id: string }>;
    [families, tokens, users] = await Promise.all([
      familyIds.length > 0 ? liveFamilies.execute(deps.accounts, { sessionIds: familyIds }) : [],
      tokenIds.length > 0 ? liveTokens.execute(deps.accounts, { tokenIds }) : [],
      userStatuses.execute(deps.accounts, { userIds: [...new Set(unknown.map((s) => s.userId))] }),
    ]);
    families = [...families, ...tokens.map((t) => ({ family_id: `${TOKEN_SESSION_PREFIX}${t.id}`, user_id: t.user_id }))];
  } catch {
    throw new Problem('session_check_unavailable', {
      detail: 'Signed-in requests cannot be checked right now; try again shortly',
      headers: { 'retry-after': '5' },
    });
  }
  const alive = new Set(families.map((f) => `${f.family_id}:${f.user_id}`));
  const statusOf = new Map(users.map((u) => [u.id, u.status]));
  // The bus is reachable but has no epoch (new, or restarted): start one; approvals wait for the next read.
  if (marks && !epoch) deps.bus.setIfAbsent(EPOCH_KEY, randomBytes(9).toString('base64url'), EPOCH_TTL_MS).catch(() => {});
  return sessions.map((s, i) => {
    const known = statuses[i];
    if (known) return known;
    const user = statusOf.get(s.userId) ?? 'missing';
    const live = alive.has(`${s.sessionId}:${s.userId}`);
    if (marks) remember(deps.bus, s, user, live, epoch);
    if (!live) return 'revoked';
    return user === 'active' ? 'active' : user === 'disabled' ? 'disabled' : 'missing';
  });
}

export async function sessionStatus(deps: { accounts: AccountDb; bus: Bus }, session: SessionRef): Promise<SessionStatus> {
  return (await sessionStatuses(deps, [session]))[0]!;
}

/** Logout, reuse or a disabled account: the session's tokens die at once wherever the bus reaches. */
export async function markSessionRevoked(bus: Bus, sessionId: string): Promise<void> {
  await bus.set(sessionKey(sessionId), 'revoked', REVOKED_CACHE_MS).catch(() => {});
}

/** Cache what the database said; `alive` never overwrites a `revoked` a logout wrote meanwhile. */
function remember(bus: Bus, session: SessionRef, user: string, live: boolean, epoch: string | undefined): void {
  const ignore = () => {};
  if (!live) bus.set(sessionKey(session.sessionId), 'revoked', REVOKED_CACHE_MS).catch(ignore);
  if (user !== 'active') bus.set(userStatusKey(session.userId), user, USER_STATUS_CACHE_MS).catch(ignore);
  if (!epoch) return;
  if (user === 'active') bus.set(userStatusKey(session.userId), `active@${epoch}`, USER_STATUS_CACHE_MS).catch(ignore);
  if (live) bus.setIfAbsent(sessionKey(session.sessionId), `alive@${epoch}`, ALIVE_CACHE_MS).catch(ignore);
}

/** Realtime processes listen here: an account id published closes that account's socket at once, wherever it is. */
export const DISCONNECT_CHANNEL = 'realtime:disconnect';

/**
 * End every session of an account: its refresh-token families, and with `tokens` its personal
 * access tokens too. Each is marked revoked on the bus (the API refuses it on the next request);
 * a disabled account is marked so as well; and every realtime process, in every region (the
 * nexus bus), is told to close the account's socket now rather than at its next session sweep.
 * Other regions' caches hear of the revocation from the database within ALIVE_CACHE_MS.
 */
export async function revokeAccountSessions(
  deps: { accounts: AccountDb; bus: Bus; nexusBus?: Bus },
  userId: string,
  options: { tokens: boolean; disabled?: boolean },
): Promise<{ sessions: number; tokens: number }> {
  const families = await deps.accounts
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('family_id')
    .execute();
  const tokens = options.tokens
    ? await deps.accounts
        .updateTable('personal_access_tokens')
        .set({ revoked_at: sql`now()` })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute()
    : [];
  const sessionIds = [...new Set(families.map((f) => f.family_id)), ...tokens.map((t) => `${TOKEN_SESSION_PREFIX}${t.id}`)];
  await Promise.all(sessionIds.map((id) => markSessionRevoked(deps.bus, id)));
  if (options.disabled) await deps.bus.set(userStatusKey(userId), 'disabled', USER_STATUS_CACHE_MS).catch(() => {});
  await nexusBusOf(deps)
    .publish(DISCONNECT_CHANNEL, JSON.stringify({ user_id: userId }))
    .catch(() => {});
  return { sessions: new Set(families.map((f) => f.family_id)).size, tokens: tokens.length };
}

/** An account enabled again: drop the cached `disabled`, so its next sign-in is believed at once. */
export async function forgetAccountStatus(bus: Bus, userId: string): Promise<void> {
  await bus.del(userStatusKey(userId)).catch(() => {});
}
