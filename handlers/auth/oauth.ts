import { createRoute, z } from '@hono/zod-openapi';
import { generateCodeVerifier, generateState } from 'arctic';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { OAUTH_PROVIDERS, type OAuthProviderId } from '../../platform/config.js';
import type { User } from '../../platform/db/schema.js';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type AppEnv, type Deps } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { hashPassword, verifyPassword } from '../../platform/passwords.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, problemResponses } from '../openapi.js';
import { configuredProviders, ProviderRefused, type ProviderProfile } from './providers.js';
import { AuthResponse, Username } from './routes.js';
import { startSession, type IssuedSession, type SessionPolicy } from './sessions.js';
import { issueChallenge } from './totp.js';

/**
 * Sign-in with GitHub, Google and Discord (each only when configured): the authorization code
 * flow with PKCE and `state` (and a nonce for Google's OpenID Connect). What a sign-in started
 * with (verifier, nonce, what it is for) waits on the bus for ten minutes and is taken once, so
 * any api replica can finish a sign-in another began, and a replayed callback finds nothing.
 *
 * A provider identity is found by the provider's own id for the person, never by email: an
 * email that matches an account links nothing (the owner signs in to that account and links the
 * provider from there), so a provider's unverified email cannot take an account over.
 */
const FLOW_TTL_MS = 10 * 60_000;
/**
 * The state is also kept in a cookie of the browser that began the sign-in, and the callback
 * must bring both: a callback URL someone else began (their code, their state, or their link)
 * cannot sign this browser in as them or link their account to this person's provider.
 */
const STATE_COOKIE = 'sw_oauth_state';
const STATE_COOKIE_PATH = '/api/v1/auth/oauth';
const flowKey = (state: string) => `oauth:flow:${state}`;
const pendingKey = (id: string) => `oauth:pending:${id}`;

interface Flow {
  provider: OAuthProviderId;
  verifier: string;
  nonce?: string;
  /** Set when a signed-in account is linking the provider. */
  linkUserId?: string;
}
type Pending = ProviderProfile & { provider: OAuthProviderId };

const ProviderParam = z.object({ provider: z.enum(OAUTH_PROVIDERS).openapi({ param: { name: 'provider', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const AuthorizationView = z
  .object({ authorization_url: z.string().openapi({ description: "Send the browser here: the provider's sign-in page" }) })
  .openapi('OAuthAuthorization');
const ProvidersView = z.object({ providers: z.array(z.object({ id: z.enum(OAUTH_PROVIDERS), name: z.string() })) }).openapi('OAuthProviders');
const IdentitiesView = z
  .object({
    has_password: z.boolean(),
    identities: z.array(
      z.object({
        provider: z.enum(OAUTH_PROVIDERS),
        name: z.string().nullable(),
        email: z.string().nullable(),
        linked_at: z.string().openapi({ format: 'date-time' }),
      }),
    ),
  })
  .openapi('Identities');
const CompleteBody = z.strictObject({ pending: z.string().regex(/^[A-Za-z0-9_-]{32}$/), username: Username }).openapi('OAuthCompleteRequest');
const PasswordBody = z
  .strictObject({
    current_password: z.string().min(1).max(256).optional().openapi({ description: 'Required when the account has a password' }),
    new_password: z.string().min(10, 'at least 10 characters').max(256, 'at most 256 characters'),
  })
  .openapi('ChangePasswordRequest');

const providersRoute = createRoute({
  method: 'get',
  path: '/providers',
  tags: ['auth'],
  operationId: 'listSignInProviders',
  summary: 'The sign-in providers this server has configured',
  responses: { 200: json(ProvidersView, 'Configured providers (possibly none)'), ...problemResponses('rate_limited') },
});
const startRoute = createRoute({
  method: 'post',
  path: '/oauth/{provider}/start',
  tags: ['auth'],
  operationId: 'startOAuthSignIn',
  summary: 'Begin signing in with a provider',
  request: { params: ProviderParam },
  responses: { 200: json(AuthorizationView, 'Where to send the browser'), ...problemResponses('validation_failed', 'provider_not_configured', 'rate_limited') },
});
const linkRoute = createRoute({
  method: 'post',
  path: '/oauth/{provider}/link',
  tags: ['auth'],
  operationId: 'startOAuthLink',
  summary: 'Begin linking a provider to the signed-in account',
  security: [{ bearer: [] }],
  request: { params: ProviderParam },
  responses: {
    200: json(AuthorizationView, 'Where to send the browser'),
    ...problemResponses('validation_failed', ...AUTH_PROBLEMS, 'insufficient_scope', 'provider_not_configured', 'rate_limited'),
  },
});
/**
 * `GET /oauth/{provider}/callback`: where the provider sends the browser back. It answers with a
 * redirect into the web client, so it is a browser endpoint and not in the OpenAPI document:
 * signed in, `/?signed_in=<provider>` with the refresh cookie set; a username needed (the
 * provider's name is taken or not a valid username), `/?oauth_pending=<id>`, then POST
 * /oauth/complete; linked, `/account?linked=<provider>`; refused, `?oauth_error=<problem code>`.
 */
const CallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
});
const completeRoute = createRoute({
  method: 'post',
  path: '/oauth/complete',
  tags: ['auth'],
  operationId: 'completeOAuthSignUp',
  summary: 'Finish a first provider sign-in by choosing a username',
  request: { body: { ...json(CompleteBody, 'The pending sign-in and the chosen username'), required: true } },
  responses: {
    201: json(AuthResponse, 'Account created and signed in'),
    ...problemResponses(...BODY_PROBLEMS, 'username_taken', 'oauth_pending_invalid', 'identity_taken', 'rate_limited'),
  },
});
const identitiesRoute = createRoute({
  method: 'get',
  path: '/identities',
  tags: ['auth'],
  operationId: 'listIdentities',
  summary: 'The sign-in providers linked to your account, and whether it has a password',
  security: [{ bearer: [] }],
  responses: { 200: json(IdentitiesView, 'Linked providers'), ...problemResponses(...AUTH_PROBLEMS, 'insufficient_scope', 'rate_limited') },
});
const unlinkRoute = createRoute({
  method: 'delete',
  path: '/identities/{provider}',
  tags: ['auth'],
  operationId: 'unlinkIdentity',
  summary: 'Unlink a provider (refused when it is the last way to sign in)',
  security: [{ bearer: [] }],
  request: { params: ProviderParam },
  responses: {
    204: { description: 'Unlinked' },
    ...problemResponses('validation_failed', ...AUTH_PROBLEMS, 'insufficient_scope', 'not_found', 'last_sign_in_method', 'rate_limited'),
  },
});
const passwordRoute = createRoute({
  method: 'post',
  path: '/password',
  tags: ['auth'],
  operationId: 'changePassword',
  summary: 'Set or change your password',
  security: [{ bearer: [] }],
  request: { body: { ...json(PasswordBody, 'The current password (if any) and the new one'), required: true } },
  responses: {
    204: { description: 'Changed' },
    ...problemResponses(...BODY_PROBLEMS, ...AUTH_PROBLEMS, 'insufficient_scope', 'invalid_credentials', 'rate_limited'),
  },
});

export interface OAuthHelpers {
  policy: SessionPolicy;
  /** Sets the refresh cookie, as every sign-in does. */
  setRefreshCookie(c: Context<AppEnv>, session: IssuedSession): void;
  /** The body every sign-in answers with. */
  authBody(session: IssuedSession, user: User): z.infer<typeof AuthResponse>;
}

export function oauthRoutes(deps: Deps, helpers: OAuthHelpers) {
  const { accounts: db, bus } = deps;
  const providers = configuredProviders(deps.config);
  const providerOf = (id: OAuthProviderId) => {
    const p = providers.get(id);
    if (!p) throw new Problem('provider_not_configured', { detail: `${id} sign-in is not configured on this server` });
    return p;
  };
  const begin = async (c: Context<AppEnv>, id: OAuthProviderId, linkUserId: string | undefined) => {
    const p = providerOf(id);
    const state = generateState();
    const verifier = generateCodeVerifier();
    const nonce = p.oidc ? generateState() : undefined;
    const flow: Flow = { provider: id, verifier, ...(nonce ? { nonce } : {}), ...(linkUserId ? { linkUserId } : {}) };
    await bus.set(flowKey(state), JSON.stringify(flow), FLOW_TTL_MS);
    // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation.
    setCookie(c, STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.config.cookieSecure,
      path: STATE_COOKIE_PATH,
      maxAge: FLOW_TTL_MS / 1000,
    });
    c.header('cache-control', 'no-store');
    return { authorization_url: p.authorizationUrl(state, verifier, nonce).toString() };
  };
  const redirect = (c: Context<AppEnv>, to: string) => {
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(to, 302);
  };

  const router = bundleRouter();
  router.get('/oauth/:provider/callback', async (c) => {
    const fail = (code: string) => redirect(c, `/?oauth_error=${code}`);
    const id = ProviderParam.shape.provider.safeParse(c.req.param('provider')).data;
    const query = CallbackQuery.safeParse(c.req.query());
    if (!id) throw new Problem('not_found', { detail: 'No such sign-in provider' });
    if (!query.success) return fail('oauth_state_invalid');
    const { code, state, error } = query.data;
    const stored = state && /^[A-Za-z0-9_-]{1,256}$/.test(state) ? await bus.take(flowKey(state)) : null;
    const flow = stored ? (JSON.parse(stored) as Flow) : undefined;
    const ownState = state !== undefined && getCookie(c, STATE_COOKIE) === state;
    deleteCookie(c, STATE_COOKIE, { path: STATE_COOKIE_PATH });
    if (!flow || flow.provider !== id || !ownState) return fail('oauth_state_invalid');
    if (error || !code) return fail('oauth_exchange_failed');
    let profile: ProviderProfile;
    try {
      profile = await providerOf(id).finish(code, flow.verifier, flow.nonce);
    } catch (err) {
      if (err instanceof ProviderRefused) {
        c.get('log').warn({ provider: id, reason: err.message }, 'oauth sign-in refused');
        return fail(err.code);
      }
      if (err instanceof Problem) return fail(err.code);
      throw err;
    }
    const known = await db.selectFrom('identities').select('user_id').where('provider', '=', id).where('subject', '=', profile.subject).executeTakeFirst();

    if (flow.linkUserId) {
      if (known && known.user_id !== flow.linkUserId) return redirect(c, `/account?oauth_error=identity_taken`);
      if (!known) {
        const inserted = await db
          .insertInto('identities')
          .values({ user_id: flow.linkUserId, provider: id, subject: profile.subject, email: profile.email, display_name: profile.name })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        // The account already has another identity of this provider.
        if (!inserted) return redirect(c, `/account?oauth_error=identity_taken`);
      }
      c.get('log').info({ user_id: flow.linkUserId, provider: id }, 'provider linked');
      return redirect(c, `/account?linked=${id}`);
    }

    if (known) {
      const user = await db.selectFrom('users').selectAll().where('id', '=', known.user_id).executeTakeFirstOrThrow();
      if (user.status !== 'active') return fail('account_disabled');
      await db.updateTable('users').set({ last_login_at: sql`now()` }).where('id', '=', user.id).execute();
      // A provider stands in for the password, never for the second factor: the client finishes with POST /login/totp.
      if (user.totp_enabled_at) return redirect(c, `/?totp_challenge=${(await issueChallenge(bus, user.id)).challenge}`);
      helpers.setRefreshCookie(c, await startSession(db, helpers.policy, user));
      return redirect(c, `/?signed_in=${id}`);
    }

    // First sign-in: an account of its own, named after the provider's name when that is free and valid.
    const suggested = profile.name && Username.safeParse(profile.name).success ? profile.name : undefined;
    const created = suggested ? await createAccount(deps, suggested, { ...profile, provider: id }).catch(() => undefined) : undefined;
    if (created) {
      helpers.setRefreshCookie(c, await startSession(db, helpers.policy, created));
      c.get('log').info({ user_id: created.id, provider: id }, 'registered through a provider');
      return redirect(c, `/?signed_in=${id}`);
    }
    const pending = randomBytes(24).toString('base64url');
    await bus.set(pendingKey(pending), JSON.stringify({ ...profile, provider: id } satisfies Pending), FLOW_TTL_MS);
    return redirect(c, `/?oauth_pending=${pending}${suggested || profile.name ? `&suggested=${encodeURIComponent(profile.name ?? '')}` : ''}`);
  });

  return router
    .openapi(providersRoute, (c) => c.json({ providers: [...providers.values()].map((p) => ({ id: p.id, name: p.title })) }, 200))
    .openapi(startRoute, async (c) => c.json(await begin(c, c.req.valid('param').provider, undefined), 200))
    .openapi({ ...linkRoute, middleware: [requireUser(deps)] as const }, async (c) =>
      c.json(await begin(c, c.req.valid('param').provider, c.get('user').id), 200),
    )
    .openapi(completeRoute, async (c) => {
      const { pending, username } = c.req.valid('json');
      const stored = await bus.get(pendingKey(pending));
      if (!stored) throw new Problem('oauth_pending_invalid');
      const profile = JSON.parse(stored) as Pending;
      const user = await createAccount(deps, username, profile);
      await bus.del(pendingKey(pending));
      c.get('log').info({ user_id: user.id, provider: profile.provider }, 'registered through a provider');
      const session = await startSession(db, helpers.policy, user);
      helpers.setRefreshCookie(c, session);
      c.header('cache-control', 'no-store');
      return c.json(helpers.authBody(session, user), 201);
    })
    .openapi({ ...identitiesRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const userId = c.get('user').id;
      const [user, rows] = await Promise.all([
        db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow(),
        db.selectFrom('identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
      ]);
      return c.json(
        {
          has_password: user.password_hash !== null,
          identities: rows.map((r) => ({
            provider: r.provider as OAuthProviderId,
            name: r.display_name,
            email: r.email,
            linked_at: new Date(r.created_at).toISOString(),
          })),
        },
        200,
      );
    })
    .openapi({ ...unlinkRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const userId = c.get('user').id;
      const { provider } = c.req.valid('param');
      await db.transaction().execute(async (trx) => {
        // Two unlinks at once must not leave the account with no way in: they queue on the user row.
        const user = await trx.selectFrom('users').select('password_hash').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
        const linked = await trx.selectFrom('identities').select('provider').where('user_id', '=', userId).execute();
        if (!linked.some((l) => l.provider === provider)) throw new Problem('not_found', { detail: `${provider} is not linked` });
        if (user.password_hash === null && linked.length === 1) {
          throw new Problem('last_sign_in_method', { detail: 'Set a password or link another provider first' });
        }
        await trx.deleteFrom('identities').where('user_id', '=', userId).where('provider', '=', provider).execute();
      });
      return c.body(null, 204);
    })
    .openapi({ ...passwordRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const userId = c.get('user').id;
      const { current_password, new_password } = c.req.valid('json');
      const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
      if (user.password_hash !== null) {
        if (!current_password || !(await verifyPassword(user.password_hash, current_password))) {
          throw new Problem('invalid_credentials', { detail: 'The current password is wrong' });
        }
      }
      await db
        .updateTable('users')
        .set({ password_hash: await hashPassword(new_password) })
        .where('id', '=', userId)
        .execute();
      return c.body(null, 204);
    });
}

/**
 * An account for a first provider sign-in, with no password. The provider's email is kept only
 * when no account has it (it never links to one that does).
 */
async function createAccount(deps: Pick<Deps, 'accounts'>, username: string, profile: Pending): Promise<User> {
  try {
    return await deps.accounts.transaction().execute(async (trx) => {
      const email = profile.email?.toLowerCase() ?? null;
      const emailFree = email ? !(await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) : false;
      const user = await trx
        .insertInto('users')
        .values({ username, email: emailFree ? email : null, password_hash: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('identities')
        .values({ user_id: user.id, provider: profile.provider, subject: profile.subject, email: profile.email, display_name: profile.name })
        .execute();
      return user;
    });
  } catch (err) {
    const violated =
      (err as { code?: string; constraint?: string }).code === '23505'
        ? String((err as { constraint?: string }).constraint ?? (err as Error).message)
        : undefined;
    if (violated?.includes('identities')) throw new Problem('identity_taken');
    if (violated) throw new Problem('username_taken', { errors: [{ path: 'username', code: 'taken', message: 'is taken' }] });
    throw err;
  }
}
