import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { Problem } from '../errors.js';
import { lookUpToken, scopesCover, TOKEN_PREFIX, tokenScopeFor, tokenSessionId } from '../personal-tokens.js';
import { sessionStatus } from '../session-status.js';
import type { AppEnv, AuthUser, Deps } from './context.js';

type AuthDeps = Pick<Deps, 'tokens' | 'bus' | 'accounts'>;

/**
 * Who the bearer is: a signed-in session (an ES256 access token) or a personal access token
 * (`swp_…`). Either way its session must not be logged out or revoked and its account not
 * disabled; those come from the bus's short-lived cache of the database, or from the database
 * (see session-status.ts), and revoking overwrites the cache, so it bites at once everywhere.
 */
export async function authenticate(deps: AuthDeps, header: string | undefined): Promise<AuthUser> {
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
  if (!match) throw new Problem('unauthenticated', { headers: { 'www-authenticate': 'Bearer' } });
  const presented = match[1]!;
  let user: AuthUser;
  if (presented.startsWith(TOKEN_PREFIX)) {
    const record = await lookUpToken(deps, presented);
    if (!record) throw invalidToken();
    if (record.expiresAtMs <= Date.now()) throw invalidToken('The personal access token has expired');
    user = { id: record.userId, sessionId: tokenSessionId(record.id), scopes: record.scopes, kind: 'token', tokenId: record.id };
  } else {
    const claims = deps.tokens.verify(presented);
    if (!claims) throw invalidToken();
    user = { id: claims.sub, sessionId: claims.sid, scopes: claims.scopes, kind: 'session' };
  }
  switch (await sessionStatus(deps, { userId: user.id, sessionId: user.sessionId })) {
    case 'revoked':
      throw user.kind === 'token' ? invalidToken('The personal access token has been revoked') : new Problem('session_revoked');
    case 'missing':
      throw new Problem('invalid_token', { detail: 'The account no longer exists' });
    case 'disabled':
      throw new Problem('account_disabled');
  }
  return user;
}

function invalidToken(detail?: string): Problem {
  return new Problem('invalid_token', { ...(detail ? { detail } : {}), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
}

/** The caller as the app-wide middleware found it (rate limits need it first), or found now. */
export async function callerOf(c: Context<AppEnv>, deps: AuthDeps): Promise<AuthUser> {
  const found = c.get('caller');
  if (found) {
    if (found.ok) return found.user;
    throw found.error;
  }
  return authenticate(deps, c.req.header('authorization'));
}

/**
 * The gate for every authenticated route. A personal access token also needs the scope the route
 * asks for (tokenScopeFor): none reaches account settings or admin routes.
 */
export function requireUser(deps: AuthDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = await callerOf(c, deps);
    if (user.kind === 'token') {
      const needed = tokenScopeFor(c.req.method, c.req.path);
      if (!needed || !scopesCover(user.scopes, needed)) {
        throw new Problem('insufficient_scope', {
          detail: needed ? `This needs a token with the ${needed} scope` : 'Personal access tokens cannot reach account settings or admin routes; sign in',
          headers: { 'www-authenticate': `Bearer error="insufficient_scope"${needed ? ` scope="${needed}"` : ''}` },
        });
      }
    }
    c.set('user', user);
    await next();
  });
}
