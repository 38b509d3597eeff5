import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, uniqueName, type TestApp } from '../tests/harness.js';
import { createApiClient, type ApiClientOptions } from './api.js';
import { newActionKey } from './action-key.js';
import { ApiError } from './errors.js';

/**
 * The client against the real app, in process: a fetch that hands requests to `app.request`,
 * with a cookie jar standing in for the browser's (so the httpOnly refresh cookie is exercised
 * the way a browser uses it) and a log of what was sent.
 */
function browserLike(t: TestApp) {
  const jar = new Map<string, string>();
  const sent: Array<{ method: string; path: string; headers: Headers }> = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    if (url.pathname.startsWith('/api/v1/auth') && jar.size > 0) {
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    sent.push({ method: init.method ?? 'GET', path: url.pathname, headers });
    const res = await t.app.request(url.toString(), { ...init, headers }, { incoming: { socket: { remoteAddress: randomIp() } } });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') jar.delete(name.trim());
      else jar.set(name.trim(), value.trim());
    }
    return res;
  };
  return { fetch, jar, sent, refreshes: () => sent.filter((s) => s.path === '/api/v1/auth/refresh').length };
}

const PASSWORD = 'correct horse battery';

async function signedUp(t: TestApp, options: Partial<ApiClientOptions> = {}) {
  const browser = browserLike(t);
  const api = createApiClient({ baseUrl: 'http://sw.test', fetch: browser.fetch, ...options });
  const username = uniqueName('cl');
  const user = await api.auth.register({ username, email: `${username}@example.test`, password: PASSWORD });
  return { api, browser, username, user };
}

describe('the API client', () => {
  let t: TestApp;
  let shortLived: TestApp;
  beforeAll(async () => {
    [t, shortLived] = await Promise.all([createTestApp(), createTestApp({ config: { ACCESS_TOKEN_TTL_SECONDS: '4' } })]);
  });
  afterAll(async () => {
    await Promise.all([t.close(), shortLived.close()]);
  });

  it('signs up, keeps the access token in memory and the refresh token only in the cookie', async () => {
    const { api, browser, username, user } = await signedUp(t);
    expect(user.username).toBe(username);
    expect(api.session.user()?.id).toBe(user.id);
    expect(browser.jar.get('sw_refresh')).toMatch(/.{20,}/);
    const state = await api.player.state();
    expect(state.player).toMatchObject({ name: username, credits: 20_000, sector_id: 1 });
    const authorization = browser.sent.at(-1)!.headers.get('authorization');
    expect(authorization).toMatch(/^Bearer .+/);
    api.dispose();
  });

  it('turns problem+json into an ApiError with the code and one message per field', async () => {
    const api = createApiClient({ baseUrl: 'http://sw.test', fetch: browserLike(t).fetch });
    const invalid = await api.auth.register({ username: 'x', email: 'not-an-email', password: 'short' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    const error = invalid as ApiError;
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.fieldMessage('username')).toBe('3–24 letters, digits or underscores');
    expect(error.fieldMessage('email')).toBe('must be an email address');
    expect(error.fieldMessage('password')).toBe('at least 10 characters');

    const { username } = await signedUp(t);
    const taken = (await api.auth.register({ username, email: `${uniqueName()}@example.test`, password: PASSWORD }).catch((e: unknown) => e)) as ApiError;
    expect(taken.code).toBe('username_taken');
    expect(taken.fieldMessage('username')).toBe('is taken');

    const wrong = (await api.auth.login({ username, password: 'not the password' }).catch((e: unknown) => e)) as ApiError;
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(api.session.user()).toBeNull();
  });

  it('resumes a session after a reload from the refresh cookie alone, and not without it', async () => {
    const { browser, user } = await signedUp(t);
    const reloaded = createApiClient({ baseUrl: 'http://sw.test', fetch: browser.fetch });
    expect(reloaded.session.user()).toBeNull();
    expect((await reloaded.auth.resume())?.id).toBe(user.id);
    expect((await reloaded.player.state()).player.credits).toBe(20_000);
    reloaded.dispose();

    const stranger = createApiClient({ baseUrl: 'http://sw.test', fetch: browserLike(t).fetch });
    expect(await stranger.auth.resume()).toBeNull();
  });

  it('refreshes once for many callers when the token has run out (single flight)', async () => {
    let clock = Date.now();
    const { api, browser } = await signedUp(t, { now: () => clock });
    clock += 3_600_000; // an hour later, as far as the client can tell
    const results = await Promise.all([api.player.state(), api.player.map(), api.rankings.list(), api.player.state()]);
    expect(results[0].player.sector_id).toBe(1);
    expect(browser.refreshes()).toBe(1);
    api.dispose();
  });

  it('renews a token the server refused and repeats the request once', async () => {
    const { api, browser } = await signedUp(t);
    // The first state request reaches the server with a token it no longer accepts.
    let spoiled = false;
    const spoiling = createApiClient({
      baseUrl: 'http://sw.test',
      fetch: (input, init = {}) => {
        if (!spoiled && String(input).endsWith('/api/v1/player/state')) {
          spoiled = true;
          return browser.fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: 'Bearer expired.token.value' } });
        }
        return browser.fetch(input, init);
      },
    });
    api.dispose();
    await spoiling.auth.resume();
    const refreshesBefore = browser.refreshes();
    const state = await spoiling.player.state();
    expect(state.player.credits).toBe(20_000);
    expect(browser.refreshes() - refreshesBefore).toBe(1);
    const sent = browser.sent.filter((s) => s.path === '/api/v1/player/state');
    expect(sent.map((s) => s.headers.get('authorization') === 'Bearer expired.token.value')).toEqual([true, false]);
    spoiling.dispose();
  });

  it('renews silently before the token expires', async () => {
    const { api, browser } = await signedUp(shortLived);
    const before = await api.session.accessToken();
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(browser.refreshes()).toBe(1);
    const after = await api.session.accessToken();
    expect(after).not.toBe(before);
    expect((await api.player.state()).player.credits).toBe(20_000);
    expect(browser.refreshes()).toBe(1);
    api.dispose();
  });

  it('applies an action once however often its key is sent', async () => {
    const { api } = await signedUp(t);
    const key = newActionKey();
    const twins = await Promise.all([
      api.trade.buy({ good: 'ore', quantity: 3 }, key).catch((e: unknown) => e),
      api.trade.buy({ good: 'ore', quantity: 3 }, key).catch((e: unknown) => e),
    ]);
    // Whichever commits first acts; the other waits for it and replays its answer.
    const answers = twins.filter((r): r is Exclude<(typeof twins)[number], ApiError> => !(r instanceof ApiError));
    expect(answers).toHaveLength(2);
    const first = answers[0] as Awaited<ReturnType<typeof api.trade.buy>>;
    for (const answer of answers) expect(answer).toEqual(first);
    const third = await api.trade.buy({ good: 'ore', quantity: 3 }, key);
    expect(third).toEqual(first);
    const state = await api.player.state();
    expect(state.ship.cargo.ore).toBe(3);
    expect(state.player.credits).toBe(20_000 - first.trade.total);
    api.dispose();
  });

  it('logs out: the cookie is gone, the session ends here and on the server', async () => {
    const { api, browser } = await signedUp(t);
    const seen: Array<string | null> = [];
    api.session.onChange((user) => seen.push(user?.username ?? null));
    await api.auth.logout();
    expect(seen).toEqual([null]);
    expect(browser.jar.has('sw_refresh')).toBe(false);
    const refused = (await api.player.state().catch((e: unknown) => e)) as ApiError;
    expect(refused).toMatchObject({ status: 401, code: 'unauthenticated' });
    const reloaded = createApiClient({ baseUrl: 'http://sw.test', fetch: browser.fetch });
    expect(await reloaded.auth.resume()).toBeNull();
  });

  it('keeps the refresh token in memory for scripts without a cookie jar', async () => {
    const plain = async (input: string | URL | Request, init: RequestInit = {}) =>
      t.app.request(String(input), init, { incoming: { socket: { remoteAddress: randomIp() } } });
    let clock = Date.now();
    const bot = createApiClient({ baseUrl: 'http://sw.test', fetch: plain, refreshTokenIn: 'memory', now: () => clock });
    const username = uniqueName('bot');
    await bot.auth.register({ username, email: `${username}@example.test`, password: PASSWORD });
    clock += 3_600_000;
    expect((await bot.player.state()).player.name).toBe(username);
    bot.dispose();
  });

  it('reports an unreachable server as an ApiError with status 0', async () => {
    const api = createApiClient({
      baseUrl: 'http://sw.test',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = (await api.auth.login({ username: 'someone', password: PASSWORD }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network_unreachable' });
  });
});
