import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type AdminScope, adminScopesOf } from '../admin-scopes.js';
import { Problem } from '../errors.js';
import { spendTotpCode, totpVault } from '../totp.js';
import type { AppEnv, Deps } from './context.js';
import { callerOf } from './require-user.js';

type AdminDeps = Pick<Deps, 'tokens' | 'bus' | 'accounts' | 'config'>;

/** The header a dangerous admin change carries its fresh TOTP code in. */
export const TOTP_HEADER = 'x-totp-code';

/**
 * The gate of every admin route, in this order: a signed-in session (personal access tokens never
 * reach admin routes); an account that holds `scope` now (so a revoked scope stops at once, not
 * when the token expires); TOTP enrolled, and this session signed in with it (only then does the
 * access token carry the scope); and for a dangerous change, a fresh TOTP code in `X-TOTP-Code`,
 * spent once, and only on a request the route's validation accepts. Admin routes are few and
 * rare, so the account is read on every request.
 */
export function requireAdmin(
  deps: AdminDeps,
  scope: AdminScope,
  options: {
    totp: boolean;
    /** the route's request validation, run before the code is spent so an invalid change leaves it unspent */
    validate?: (c: Context<AppEnv>) => Promise<void>;
  },
) {
  const vault = totpVault(deps.config.jwt.secret);
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = await callerOf(c, deps);
    if (user.kind === 'token') {
      throw new Problem('insufficient_scope', {
        detail: 'Personal access tokens cannot reach admin routes; sign in',
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' },
      });
    }
    const account = await deps.accounts.selectFrom('users').select(['username', 'scopes', 'totp_enabled_at']).where('id', '=', user.id).executeTakeFirst();
    if (!account) throw new Problem('invalid_token', { detail: 'The account no longer exists' });
    if (!account.scopes.includes(scope)) {
      throw new Problem('insufficient_scope', {
        detail: `This needs the ${scope} scope`,
        needed: scope,
        headers: { 'www-authenticate': `Bearer error="insufficient_scope" scope="${scope}"` },
      });
    }
    if (!account.totp_enabled_at) throw new Problem('second_factor_required', { detail: 'Enroll TOTP first: POST /api/v1/auth/totp/enroll, then /verify' });
    if (!user.scopes.includes(scope)) throw new Problem('second_factor_required', { detail: 'Sign in again with your TOTP code: this session was not' });
    if (options.totp) {
      const code = c.req.header(TOTP_HEADER)?.trim();
      if (!code) throw new Problem('totp_required');
      await options.validate?.(c);
      const check = await spendTotpCode(deps.accounts, vault, user.id, code);
      if (check !== 'ok')
        throw new Problem('totp_invalid', { detail: check === 'reused' ? 'That code was already used; wait for the next one' : 'Wrong or expired code' });
    }
    c.set('user', user);
    c.set('admin', { id: user.id, name: account.username, scopes: adminScopesOf(account.scopes) });
    await next();
  });
}
