import { createMiddleware } from 'hono/factory';
import { Problem } from '../errors.js';
import type { AppEnv, Deps } from './context.js';

const STATUS_CACHE_MS = 30_000;

export const userStatusKey = (userId: string) => `auth:user-status:${userId}`;
export const revokedSessionKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;

/**
 * The gate for every authenticated route: a valid access token (checked without the database),
 * a session that was not logged out, and an account that is not disabled. Account status is
 * cached on the bus briefly; disabling an account overwrites the cache, so it bites at once.
 */
export function requireUser(deps: Pick<Deps, 'tokens' | 'bus' | 'db'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match) {
      throw new Problem(401, 'unauthenticated', 'Authentication required', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    const claims = deps.tokens.verify(match[1]!);
    if (!claims) {
      throw new Problem(401, 'invalid_token', 'The access token is invalid or expired', {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    // During a bus outage the API keeps serving: status then comes from the database.
    const [status, revoked] = await deps.bus.getMany([userStatusKey(claims.sub), revokedSessionKey(claims.sid)]).catch(() => [null, null]);
    if (revoked) throw new Problem(401, 'session_revoked', 'This session has been logged out');
    let current = status;
    if (!current) {
      const row = await deps.db.selectFrom('users').select('status').where('id', '=', claims.sub).executeTakeFirst();
      current = row?.status ?? 'missing';
      await deps.bus.set(userStatusKey(claims.sub), current, STATUS_CACHE_MS).catch(() => {});
    }
    if (current === 'missing') throw new Problem(401, 'invalid_token', 'The account no longer exists');
    if (current !== 'active') throw new Problem(403, 'account_disabled', 'This account is disabled');
    c.set('user', { id: claims.sub, sessionId: claims.sid, scopes: claims.scopes });
    await next();
  });
}
