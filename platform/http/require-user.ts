import { createMiddleware } from 'hono/factory';
import { Problem } from '../errors.js';
import { sessionStatus } from '../session-status.js';
import type { AppEnv, Deps } from './context.js';

/**
 * The gate for every authenticated route: a valid access token (checked without the database),
 * a session that was not logged out, and an account that is not disabled. The last two come from
 * the bus's short-lived cache of the database, or from the database (see session-status.ts);
 * disabling an account or logging out overwrites the cache, so it bites at once.
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
    switch (await sessionStatus(deps, { userId: claims.sub, sessionId: claims.sid })) {
      case 'revoked':
        throw new Problem(401, 'session_revoked', 'This session has been logged out');
      case 'missing':
        throw new Problem(401, 'invalid_token', 'The account no longer exists');
      case 'disabled':
        throw new Problem(403, 'account_disabled', 'This account is disabled');
    }
    c.set('user', { id: claims.sub, sessionId: claims.sid, scopes: claims.scopes });
    await next();
  });
}
