import { randomBytes } from 'node:crypto';
import { generateTOTP } from '@oslojs/otp';
import { Events, OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpKey, totpVault } from '../platform/totp.js';
import { createTestApp, registerPlayer, uniqueName, type TestApp } from './harness.js';

/**
 * Sign-in with each provider's code path against a real local authorization server
 * (oauth2-mock-server: authorize, token with PKCE checks, JWKS, userinfo), started here.
 * GitHub and Discord are OAuth 2.0 with a user endpoint (the mock's userinfo, answering in each
 * provider's shape); Google is OpenID Connect with a signed ID token.
 */
type ProviderId = 'github' | 'google' | 'discord';
const PROVIDERS: ProviderId[] = ['github', 'google', 'discord'];
const servers = {} as Record<ProviderId, OAuth2Server>;
/** What each provider says about the next person to sign in. */
const next = {} as Record<ProviderId, { id: string; name: string; email: string | null }>;
/** Google: claims to force into the next ID token (a wrong audience, a wrong nonce). */
let forceClaims: Record<string, unknown> | undefined;

let t: TestApp;

beforeAll(async () => {
  for (const id of PROVIDERS) {
    const server = new OAuth2Server();
    await server.issuer.keys.generate('RS256');
    await server.start(0, '127.0.0.1');
    server.service.on(Events.BeforeUserinfo, (res: { body: Record<string, unknown> }) => {
      const p = next[id];
      res.body = id === 'github' ? { id: Number(p.id), login: p.name, email: p.email } : { id: p.id, username: p.name, email: p.email, global_name: p.name };
    });
    if (id === 'google') {
      server.service.on(Events.BeforeTokenSigning, (token: { payload: Record<string, unknown> }) => {
        const p = next.google;
        Object.assign(token.payload, { sub: p.id, given_name: p.name, email: p.email, email_verified: true }, forceClaims ?? {});
      });
    }
    servers[id] = server;
  }
  const env: Record<string, string> = { PUBLIC_URL: 'http://localhost:8080' };
  for (const id of PROVIDERS) {
    const url = servers[id].issuer.url!;
    const P = `OAUTH_${id.toUpperCase()}_`;
    Object.assign(env, {
      [`${P}CLIENT_ID`]: `${id}-client`,
      [`${P}CLIENT_SECRET`]: `${id}-secret`,
      [`${P}AUTHORIZE_URL`]: `${url}/authorize`,
      [`${P}TOKEN_URL`]: `${url}/token`,
      ...(id === 'google' ? { [`${P}ISSUER`]: url, [`${P}JWKS_URL`]: `${url}/jwks` } : { [`${P}USER_URL`]: `${url}/userinfo` }),
    });
  }
  t = await createTestApp({ config: env });
});
afterAll(async () => {
  await t?.close();
  for (const server of Object.values(servers)) await server.stop();
});

function person(id: ProviderId, name = uniqueName('o')) {
  next[id] = { id: String(Math.floor(Math.random() * 1e9)), name, email: `${name}@provider.test` };
  return next[id];
}

/** Start a sign-in (or a link, with a session), let the provider approve it, and return where it sends the browser back. */
async function approve(id: ProviderId, session?: string) {
  const started = await t.call('POST', `/api/v1/auth/oauth/${id}/${session ? 'link' : 'start'}`, session ? { token: session } : {});
  expect(started.status, started.text).toBe(200);
  const authorization = new URL(started.body.authorization_url);
  const back = await fetch(authorization, { redirect: 'manual' });
  expect(back.status).toBe(302);
  const callback = new URL(back.headers.get('location')!);
  // The browser that began the sign-in holds its state in a cookie too.
  const cookie = /sw_oauth_state=[^;]+/.exec(started.headers.get('set-cookie') ?? '')![0];
  return {
    authorization,
    cookie,
    callback: `${callback.pathname}${callback.search}`,
    code: callback.searchParams.get('code')!,
    state: callback.searchParams.get('state')!,
  };
}

/** Come back to the api with the browser (its state cookie), and follow the session cookie it sets, if any. */
const landFrom = (flow: { callback: string; cookie: string }) => land(flow.callback, flow.cookie);

async function land(callback: string, cookie?: string) {
  const res = await t.call('GET', callback, cookie ? { headers: { cookie } } : {});
  expect(res.status, res.text).toBe(302);
  const location = res.headers.get('location')!;
  const refresh = /sw_refresh=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  let user: { id: string; username: string } | undefined;
  if (refresh) {
    const refreshed = await t.call('POST', '/api/v1/auth/refresh', { headers: { cookie: `sw_refresh=${refresh}` } });
    expect(refreshed.status).toBe(200);
    user = refreshed.body.user;
  }
  return { location, user };
}

describe.each(PROVIDERS)('%s sign-in', (id) => {
  it('goes the full round trip: PKCE and state (and a nonce for OIDC), a new account named after the person, the same account next time', async () => {
    const who = person(id);
    const { authorization, callback, cookie } = await approve(id);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('redirect_uri')).toBe(`http://localhost:8080/api/v1/auth/oauth/${id}/callback`);
    expect(authorization.searchParams.has('nonce')).toBe(id === 'google');

    const first = await land(callback, cookie);
    expect(first.location).toBe(`/?signed_in=${id}`);
    expect(first.user?.username).toBe(who.name);
    const stored = await t.accounts.selectFrom('users').select(['password_hash', 'email']).where('id', '=', first.user!.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ password_hash: null, email: who.email });

    const again = await landFrom(await approve(id));
    expect(again.user?.id).toBe(first.user!.id);
  });

  it('stands in for the password only: an account with TOTP is sent on to its challenge, with no session', async () => {
    person(id);
    const signedUp = await landFrom(await approve(id));
    const userId = signedUp.user!.id;
    const key = newTotpKey();
    await t.accounts
      .updateTable('users')
      .set({ totp_secret: totpVault(t.config.jwt.secret).seal(userId, key), totp_enabled_at: new Date() })
      .where('id', '=', userId)
      .execute();

    const back = await landFrom(await approve(id));
    expect(back.user).toBeUndefined();
    const challenge = /^\/\?totp_challenge=([A-Za-z0-9_-]{43})$/.exec(back.location)?.[1];
    expect(challenge, back.location).toBeDefined();
    const done = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge, code: generateTOTP(key, 30, 6) } });
    expect(done.status).toBe(200);
    expect(done.body.user.id).toBe(userId);
  });

  it('refuses a wrong state, a replayed state, and a state another provider started', async () => {
    person(id);
    const { code, state, callback, cookie } = await approve(id);
    const forged = randomBytes(16).toString('base64url');
    const wrong = await land(`/api/v1/auth/oauth/${id}/callback?code=${code}&state=${forged}`, `sw_oauth_state=${forged}`);
    expect(wrong).toEqual({ location: '/?oauth_error=oauth_state_invalid', user: undefined });
    const other = PROVIDERS.find((p) => p !== id)!;
    expect((await land(`/api/v1/auth/oauth/${other}/callback?code=${code}&state=${state}`, cookie)).location).toBe('/?oauth_error=oauth_state_invalid');
    // That state was taken by the attempt on the wrong provider: single use, whatever happened.
    expect((await land(callback, cookie)).location).toBe('/?oauth_error=oauth_state_invalid');

    const fresh = await approve(id);
    expect((await land(fresh.callback, fresh.cookie)).location).toBe(`/?signed_in=${id}`);
    expect((await land(fresh.callback, fresh.cookie)).location).toBe('/?oauth_error=oauth_state_invalid');
  });

  it('refuses a callback in a browser that did not begin the sign-in (login CSRF)', async () => {
    person(id);
    const theirs = await approve(id);
    // Someone else's completed callback URL, opened in another browser: no state cookie, or another one.
    expect((await land(theirs.callback)).location).toBe('/?oauth_error=oauth_state_invalid');
    const mine = await approve(id);
    expect((await land(mine.callback, theirs.cookie)).location).toBe('/?oauth_error=oauth_state_invalid');
  });

  it('refuses a replayed code, even under a fresh state', async () => {
    person(id);
    const used = await approve(id);
    expect((await landFrom(used)).location).toBe(`/?signed_in=${id}`);
    const fresh = await approve(id);
    const replay = await land(`/api/v1/auth/oauth/${id}/callback?code=${used.code}&state=${fresh.state}`, fresh.cookie);
    expect(replay).toEqual({ location: '/?oauth_error=oauth_exchange_failed', user: undefined });
  });

  it('never links by email: a matching email still needs its owner to sign in and link', async () => {
    const owner = await registerPlayer(t);
    const email = `${owner.username}@example.test`;
    next[id] = { id: String(Math.floor(Math.random() * 1e9)), name: owner.username, email };
    const { location, user } = await landFrom(await approve(id));
    // The name is taken: the person chooses another on a short form; it is a new account.
    expect(user).toBeUndefined();
    const pending = /^\/\?oauth_pending=([A-Za-z0-9_-]{32})&suggested=/.exec(location)?.[1];
    expect(pending, location).toBeTruthy();
    const taken = await t.call('POST', '/api/v1/auth/oauth/complete', { body: { pending, username: owner.username } });
    expect(taken.status).toBe(409);
    const chosen = uniqueName('n');
    const done = await t.call('POST', '/api/v1/auth/oauth/complete', { body: { pending, username: chosen } });
    expect(done.status, done.text).toBe(201);
    expect(done.body.user.username).toBe(chosen);
    expect(done.body.user.id).not.toBe(owner.userId);
    expect(done.body.user.email).toBe('');
    expect((await t.call('GET', '/api/v1/auth/identities', { token: owner.token })).body.identities).toEqual([]);
    // The pending sign-up is single use.
    expect((await t.call('POST', '/api/v1/auth/oauth/complete', { body: { pending, username: uniqueName('n') } })).body.code).toBe('oauth_pending_invalid');
  });
});

describe('OpenID Connect ID tokens', () => {
  it('refuses an ID token for another audience', async () => {
    person('google');
    forceClaims = { aud: 'someone-else' };
    try {
      expect(await landFrom(await approve('google'))).toEqual({ location: '/?oauth_error=oauth_id_token_invalid', user: undefined });
    } finally {
      forceClaims = undefined;
    }
  });

  it('refuses an ID token with another nonce', async () => {
    person('google');
    forceClaims = { nonce: 'not-the-one-we-sent' };
    try {
      expect(await landFrom(await approve('google'))).toEqual({ location: '/?oauth_error=oauth_id_token_invalid', user: undefined });
    } finally {
      forceClaims = undefined;
    }
  });

  it('refuses an ID token from another issuer', async () => {
    person('google');
    forceClaims = { iss: 'https://accounts.example.test' };
    try {
      expect((await landFrom(await approve('google'))).location).toBe('/?oauth_error=oauth_id_token_invalid');
    } finally {
      forceClaims = undefined;
    }
  });
});

describe('linking', () => {
  it('links a provider to the signed-in account, signs in to it, and unlinks while a password remains', async () => {
    const p = await registerPlayer(t);
    person('github');
    const linked = await landFrom(await approve('github', p.token));
    expect(linked).toEqual({ location: '/account?linked=github', user: undefined });
    const list = await t.call('GET', '/api/v1/auth/identities', { token: p.token });
    expect(list.body).toMatchObject({ has_password: true, identities: [{ provider: 'github', name: next.github.name }] });
    expect((await landFrom(await approve('github'))).user?.id).toBe(p.userId);

    // That GitHub person cannot be linked to a second account.
    const other = await registerPlayer(t);
    expect((await landFrom(await approve('github', other.token))).location).toBe('/account?oauth_error=identity_taken');

    expect((await t.call('DELETE', '/api/v1/auth/identities/github', { token: p.token })).status).toBe(204);
    expect((await t.call('DELETE', '/api/v1/auth/identities/github', { token: p.token })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/auth/identities', { token: p.token })).body.identities).toEqual([]);
  });

  it('refuses to unlink the last way to sign in, until a password is set', async () => {
    person('discord');
    const { user } = await landFrom(await approve('discord'));
    const login = await t.call('POST', '/api/v1/auth/refresh', {});
    expect(login.status).toBe(401);
    // Sign in again to get an access token for the provider-only account.
    const flow = await approve('discord');
    const again = await t.call('GET', flow.callback, { headers: { cookie: flow.cookie } });
    const cookie = /sw_refresh=([^;]+)/.exec(again.headers.get('set-cookie')!)![1];
    const session = (await t.call('POST', '/api/v1/auth/refresh', { headers: { cookie: `sw_refresh=${cookie}` } })).body;
    expect(session.user.id).toBe(user!.id);

    const refused = await t.call('DELETE', '/api/v1/auth/identities/discord', { token: session.access_token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('last_sign_in_method');
    expect((await t.call('GET', '/api/v1/auth/identities', { token: session.access_token })).body.has_password).toBe(false);

    const set = await t.call('POST', '/api/v1/auth/password', { token: session.access_token, body: { new_password: 'a brand new password' } });
    expect(set.status, set.text).toBe(204);
    expect((await t.call('DELETE', '/api/v1/auth/identities/discord', { token: session.access_token })).status).toBe(204);
    const byPassword = await t.call('POST', '/api/v1/auth/login', { body: { username: session.user.username, password: 'a brand new password' } });
    expect(byPassword.status).toBe(200);
    // Changing it now needs the current one.
    const change = await t.call('POST', '/api/v1/auth/password', { token: session.access_token, body: { new_password: 'another new password' } });
    expect(change.status).toBe(401);
  });
});

describe('configuration', () => {
  it('lists the configured providers, and refuses an unknown one', async () => {
    const list = await t.call('GET', '/api/v1/auth/providers');
    expect(list.body.providers.map((p: { id: string }) => p.id).sort()).toEqual(['discord', 'github', 'google']);
    expect((await t.call('POST', '/api/v1/auth/oauth/steam/start')).status).toBe(422);
  });

  it('offers no provider that is not configured', async () => {
    const bare = await createTestApp();
    try {
      expect((await bare.call('GET', '/api/v1/auth/providers')).body).toEqual({ providers: [] });
      const start = await bare.call('POST', '/api/v1/auth/oauth/github/start');
      expect(start.status).toBe(404);
      expect(start.body.code).toBe('provider_not_configured');
    } finally {
      await bare.close();
    }
  });
});
