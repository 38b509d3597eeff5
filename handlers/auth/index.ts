import { sql } from 'kysely';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type AppEnv, type Bundle, type Deps } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../platform/passwords.js';
import { enforceRateLimits, type RateRule } from '../../platform/rate-limit.js';
import type { User } from '../../platform/db/schema.js';
import { refreshRotationKey } from '../../platform/tokens.js';
import { loginRoute, logoutRoute, meRoute, refreshRoute, registerRoute } from './routes.js';
import { oauthRoutes } from './oauth.js';
import { tokenRoutes } from './tokens.js';
import { issueChallenge, totpRoutes } from './totp.js';
import { endSession, familyOfRefreshToken, rotateSession, startSession, type IssuedSession } from './sessions.js';

const MINUTE = 60_000;
/**
 * Guessing is limited where the guesser is: per address, and per username from one address.
 * Per username alone the limit is loose, and above what one address may try, so an attacker at
 * one address cannot lock the owner out from another (it takes six addresses at full rate).
 */
export const AUTH_LIMITS = {
  loginPerIp: { name: 'login-ip', limit: 10, windowMs: MINUTE },
  loginPerUsernameAndIp: { name: 'login-user-ip', limit: 5, windowMs: MINUTE },
  loginPerUsername: { name: 'login-user', limit: 30, windowMs: MINUTE },
  registerPerIp: { name: 'register-ip', limit: 5, windowMs: 10 * MINUTE },
} satisfies Record<string, RateRule>;

export const REFRESH_COOKIE = 'sw_refresh';
const COOKIE_PATH = '/api/v1/auth';

export const authBundle: Bundle = {
  name: 'auth',
  basePath: '/api/v1/auth',
  create(deps) {
    const { accounts: db, bus, config } = deps;
    const policy = {
      tokens: deps.tokens,
      refreshTtlDays: config.refreshTokenTtlDays,
      reuseGraceSeconds: config.refreshReuseGraceSeconds,
      rotationKey: refreshRotationKey(config.jwt.secret),
      adminTtlSeconds: config.jwt.adminAccessTtlSeconds,
    };
    const limit = (checks: Array<[RateRule, string]>) => (config.rateLimits ? enforceRateLimits(bus, checks) : Promise.resolve());

    const setRefreshCookie = (c: Context<AppEnv>, session: IssuedSession) =>
      setCookie(c, REFRESH_COOKIE, session.refreshToken, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: config.cookieSecure,
        path: COOKIE_PATH,
        maxAge: config.refreshTokenTtlDays * 86_400,
      });
    const respond = <S extends 200 | 201>(c: Context<AppEnv>, session: IssuedSession, user: User, status: S) => {
      setRefreshCookie(c, session);
      c.header('cache-control', 'no-store');
      return c.json(authBody(session, user), status);
    };
    const authBody = (session: IssuedSession, user: User) => ({
      access_token: session.accessToken,
      token_type: 'Bearer' as const,
      expires_in: session.expiresIn,
      refresh_token: session.refreshToken,
      user: userView(user),
    });

    return bundleRouter()
      .openapi(registerRoute, async (c) => {
        const { username, email, password } = c.req.valid('json');
        await limit([[AUTH_LIMITS.registerPerIp, c.get('clientIp')]]);
        const normalizedEmail = email.toLowerCase();
        await assertAvailable(deps, username, normalizedEmail);
        const passwordHash = await hashPassword(password);
        let user: User;
        try {
          user = await db
            .insertInto('users')
            .values({ username, email: normalizedEmail, password_hash: passwordHash })
            .returningAll()
            .executeTakeFirstOrThrow();
        } catch (err) {
          // Two registrations racing for one name: the unique index decides, the loser gets the 409.
          if (isUniqueViolation(err)) await assertAvailable(deps, username, normalizedEmail);
          throw err;
        }
        c.get('log').info({ user_id: user.id, username }, 'registered');
        return respond(c, await startSession(db, policy, user), user, 201);
      })
      .openapi(loginRoute, async (c) => {
        const { username, password } = c.req.valid('json');
        await limit([
          [AUTH_LIMITS.loginPerIp, c.get('clientIp')],
          [AUTH_LIMITS.loginPerUsernameAndIp, `${username}|${c.get('clientIp')}`],
          [AUTH_LIMITS.loginPerUsername, username],
        ]);
        const user = await db.selectFrom('users').selectAll().where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
        // Unknown users cost one Argon2 verification too, so timing does not reveal who exists.
        // An account without a password (provider sign-in only) costs the same and never matches.
        const ok = user?.password_hash ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password).then(() => false);
        if (!user || !ok) throw new Problem('invalid_credentials');
        if (user.status !== 'active' && !(await suspensionOver(deps, user))) throw new Problem('account_disabled', disabledDetail(user));
        if (user.password_reset_required) throw new Problem('password_reset_required');
        await db.updateTable('users').set({ last_login_at: sql`now()` }).where('id', '=', user.id).execute();
        if (user.totp_enabled_at) {
          c.header('cache-control', 'no-store');
          return c.json(await issueChallenge(bus, user.id), 202);
        }
        return respond(c, await startSession(db, policy, user), user, 200);
      })
      .openapi(refreshRoute, async (c) => {
        const token = refreshTokenFrom(c, c.req.valid('json'));
        if (!token) throw new Problem('invalid_refresh_token', { detail: 'No refresh token was presented' });
        const { session, user } = await rotateSession(db, bus, policy, token);
        return respond(c, session, user, 200);
      })
      .openapi(logoutRoute, async (c) => {
        const bearer = c.req.header('authorization');
        let familyId: string | undefined;
        if (bearer) {
          const claims = deps.tokens.verify(bearer.replace(/^Bearer /i, ''));
          if (!claims) throw new Problem('invalid_token');
          familyId = claims.sid;
        } else {
          const token = refreshTokenFrom(c, c.req.valid('json'));
          familyId = token ? await familyOfRefreshToken(db, token) : undefined;
          if (!familyId) throw new Problem('unauthenticated', { detail: 'Send the access token or the refresh token to log out' });
        }
        await endSession(db, bus, familyId);
        deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH });
        return c.body(null, 204);
      })
      .openapi({ ...meRoute, middleware: [requireUser(deps)] as const }, async (c) => {
        const user = await db.selectFrom('users').selectAll().where('id', '=', c.get('user').id).executeTakeFirst();
        if (!user) throw new Problem('invalid_token', { detail: 'The account no longer exists' });
        return c.json(userView(user), 200);
      })
      .route('/', tokenRoutes(deps))
      .route(
        '/',
        totpRoutes(deps, {
          async signIn(c, user, { secondFactor }) {
            const session = await startSession(db, policy, user, { secondFactor });
            setRefreshCookie(c, session);
            c.header('cache-control', 'no-store');
            return { session, body: authBody(session, user) };
          },
        }),
      )
      .route('/', oauthRoutes(deps, { policy, setRefreshCookie, authBody }));
  },
};

/** A suspension whose time is up ends at the next sign-in (a ban never does). */
async function suspensionOver(deps: Pick<Deps, 'accounts'>, user: User): Promise<boolean> {
  if (user.disabled_reason !== 'suspended' || !user.disabled_until || new Date(user.disabled_until).getTime() > Date.now()) return false;
  const lifted = await deps.accounts
    .updateTable('users')
    .set({ status: 'active', disabled_reason: null, disabled_until: null })
    .where('id', '=', user.id)
    .where('disabled_reason', '=', 'suspended')
    .where('disabled_until', '<=', sql<Date>`now()`)
    .returning('id')
    .executeTakeFirst();
  return lifted !== undefined;
}

function disabledDetail(user: User): { detail?: string } {
  if (user.disabled_reason === 'banned') return { detail: 'The account is banned' };
  if (user.disabled_reason === 'suspended' && user.disabled_until)
    return { detail: `The account is suspended until ${new Date(user.disabled_until).toISOString()}` };
  return {};
}

function refreshTokenFrom(c: Context<AppEnv>, body: { refresh_token?: string | undefined } | undefined): string | undefined {
  return body?.refresh_token ?? getCookie(c, REFRESH_COOKIE);
}

async function assertAvailable(deps: Pick<Deps, 'accounts'>, username: string, email: string): Promise<void> {
  const taken = await deps.accounts
    .selectFrom('users')
    .select([sql<boolean>`lower(username) = ${username.toLowerCase()}`.as('same_name')])
    .where((eb) => eb.or([eb(sql`lower(username)`, '=', username.toLowerCase()), eb('email', '=', email)]))
    .execute();
  if (taken.some((row) => row.same_name)) {
    throw new Problem('username_taken', { errors: [{ path: 'username', code: 'taken', message: 'is taken' }] });
  }
  if (taken.length > 0) {
    throw new Problem('email_taken', { errors: [{ path: 'email', code: 'taken', message: 'is already registered' }] });
  }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export function userView(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email ?? '',
    scopes: user.scopes,
    created_at: new Date(user.created_at).toISOString(),
  };
}
