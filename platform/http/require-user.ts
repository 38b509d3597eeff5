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
export function requireUser(deps: Pick<Deps, 'tokens' | 'bus' | 'accounts'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match) {
      throw new Problem('unauthenticated', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    const claims = deps.tokens.verify(match[1]!);
    if (!claims) {
      throw new Problem('invalid_token', {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    switch (await sessionStatus(deps, { userId: claims.sub, sessionId: claims.sid })) {
      case 'revoked':
        throw new Problem('session_revoked');
      case 'missing':
        throw new Problem('invalid_token', { detail: 'The account no longer exists' });
      case 'disabled':
        throw new Problem('account_disabled');
    }
    c.set('user', { id: claims.sub, sessionId: claims.sid, scopes: claims.scopes });
    await next();
  });
}
