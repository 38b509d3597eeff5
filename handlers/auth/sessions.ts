import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Bus } from '../../platform/bus/index.js';
import type { AccountDb } from '../../platform/db/database.js';
import type { User } from '../../platform/db/schema.js';
import { adminScopesOf, withoutAdminScopes } from '../../platform/admin-scopes.js';
import { Problem } from '../../platform/errors.js';
import { markSessionRevoked } from '../../platform/session-status.js';
import { hashRefreshToken, newRefreshToken, successorRefreshToken, type AccessTokens } from '../../platform/tokens.js';

const DAY_MS = 86_400_000;

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  familyId: string;
  /** Seconds the access token lives: shorter when it carries admin scopes. */
  expiresIn: number;
}

export interface SessionPolicy {
  tokens: AccessTokens;
  refreshTtlDays: number;
  /** Seconds after a rotation in which the rotated token still gets its successor (REFRESH_REUSE_GRACE_SECONDS). */
  reuseGraceSeconds: number;
  /** Derives each successor from its token (see successorRefreshToken). */
  rotationKey: Buffer;
  /** How long an access token carrying admin scopes lives (ADMIN_ACCESS_TOKEN_TTL_SECONDS). */
  adminTtlSeconds: number;
}

/**
 * The access token of a session: the account's admin scopes only when the session was signed in
 * with its second factor, and then the shorter lifetime.
 */
function accessTokenFor(policy: SessionPolicy, user: Pick<User, 'id' | 'scopes'>, familyId: string, secondFactor: boolean) {
  const scopes = secondFactor ? user.scopes : withoutAdminScopes(user.scopes);
  const ttlSeconds = adminScopesOf(scopes).length > 0 ? policy.adminTtlSeconds : policy.tokens.ttlSeconds;
  return { accessToken: policy.tokens.sign({ userId: user.id, sessionId: familyId, scopes, ttlSeconds }), expiresIn: ttlSeconds };
}

/** A new login: a new refresh-token family and the first pair of tokens in it (`secondFactor`: TOTP was given too). */
export async function startSession(
  db: AccountDb,
  policy: SessionPolicy,
  user: Pick<User, 'id' | 'scopes'>,
  options: { secondFactor?: boolean } = {},
): Promise<IssuedSession> {
  const secondFactor = options.secondFactor ?? false;
  const familyId = randomUUID();
  const refresh = newRefreshToken();
  await db
    .insertInto('refresh_tokens')
    .values({
      family_id: familyId,
      user_id: user.id,
      token_hash: refresh.hash,
      expires_at: new Date(Date.now() + policy.refreshTtlDays * DAY_MS),
      second_factor: secondFactor,
    })
    .execute();
  return { ...accessTokenFor(policy, user, familyId, secondFactor), refreshToken: refresh.token, familyId };
}

/**
 * Exchange a refresh token for a new pair. The exchange is one conditional UPDATE, so of any
 * number of concurrent presentations exactly one rotates the token. The others, within the
 * overlap (two tabs refreshing at once), get the same successor, as long as it has not been
 * exchanged in turn; a token presented later is treated as stolen and its whole family is revoked.
 */
export async function rotateSession(db: AccountDb, bus: Bus, policy: SessionPolicy, token: string): Promise<{ session: IssuedSession; user: User }> {
  const hash = hashRefreshToken(token);
  const successor = successorRefreshToken(policy.rotationKey, token);
  const outcome = await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('refresh_tokens')
      .set({ rotated_at: sql`now()` })
      .where('token_hash', '=', hash)
      .where('rotated_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning(['family_id', 'user_id', 'second_factor'])
      .executeTakeFirst();
    if (!claimed) {
      const known = await trx
        .selectFrom('refresh_tokens')
        .select(['family_id', 'user_id', 'rotated_at', 'revoked_at', 'second_factor'])
        .select(sql<boolean>`rotated_at > now() - make_interval(secs => ${policy.reuseGraceSeconds})`.as('overlapping'))
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      if (known?.overlapping && !known.revoked_at) {
        const next = await trx
          .selectFrom('refresh_tokens')
          .select('id')
          .where('token_hash', '=', successor.hash)
          .where('family_id', '=', known.family_id)
          .where('rotated_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', sql<Date>`now()`)
          .executeTakeFirst();
        if (next) {
          const user = await trx.selectFrom('users').selectAll().where('id', '=', known.user_id).executeTakeFirstOrThrow();
          if (user.status !== 'active') {
            await revokeFamilyRows(trx, known.family_id);
            return { kind: 'disabled' as const, familyId: known.family_id };
          }
          return { kind: 'rotated' as const, user, refreshToken: successor.token, familyId: known.family_id, secondFactor: known.second_factor };
        }
      }
      if (known && (known.rotated_at || known.revoked_at)) {
        await revokeFamilyRows(trx, known.family_id);
        return { kind: 'reused' as const, familyId: known.family_id };
      }
      return { kind: known ? ('expired' as const) : ('unknown' as const) };
    }
    const user = await trx.selectFrom('users').selectAll().where('id', '=', claimed.user_id).executeTakeFirstOrThrow();
    if (user.status !== 'active') {
      await revokeFamilyRows(trx, claimed.family_id);
      return { kind: 'disabled' as const, familyId: claimed.family_id };
    }
    await trx
      .insertInto('refresh_tokens')
      .values({
        family_id: claimed.family_id,
        user_id: user.id,
        token_hash: successor.hash,
        expires_at: new Date(Date.now() + policy.refreshTtlDays * DAY_MS),
        second_factor: claimed.second_factor,
      })
      .execute();
    return { kind: 'rotated' as const, user, refreshToken: successor.token, familyId: claimed.family_id, secondFactor: claimed.second_factor };
  });

  switch (outcome.kind) {
    case 'rotated':
      return {
        user: outcome.user,
        session: {
          ...accessTokenFor(policy, outcome.user, outcome.familyId, outcome.secondFactor),
          refreshToken: outcome.refreshToken,
          familyId: outcome.familyId,
        },
      };
    case 'reused':
      await markSessionRevoked(bus, outcome.familyId);
      throw new Problem('refresh_token_reused');
    case 'disabled':
      await markSessionRevoked(bus, outcome.familyId);
      throw new Problem('account_disabled');
    case 'expired':
      throw new Problem('refresh_token_expired');
    case 'unknown':
      throw new Problem('invalid_refresh_token');
  }
}

/** Logout: every token of the family stops working, including live access tokens. */
export async function endSession(db: AccountDb, bus: Bus, familyId: string): Promise<void> {
  await revokeFamilyRows(db, familyId);
  await markSessionRevoked(bus, familyId);
}

export async function familyOfRefreshToken(db: AccountDb, token: string): Promise<string | undefined> {
  const row = await db.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', hashRefreshToken(token)).executeTakeFirst();
  return row?.family_id;
}

async function revokeFamilyRows(db: AccountDb, familyId: string): Promise<void> {
  await db.updateTable('refresh_tokens').set({ revoked_at: sql`now()` }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}
