import { randomBytes } from 'node:crypto';
import { Events, OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET, createTestApp, testBackends, uniqueName, type TestApp } from './harness.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

const { redisUrl, redisPrefix } = testBackends();
const prefix = `${redisPrefix}oauth-${randomBytes(3).toString('hex')}:`;

/**
 * Two `sectorwars api` processes on this run's PostgreSQL and Redis, and a local authorization
 * server: a sign-in begun on one is finished on the other (what it began with is on the bus).
 */
describe.runIf(redisUrl)('a sign-in across two api processes', () => {
  let t: TestApp;
  let mock: OAuth2Server;
  let one: RunningRole;
  let two: RunningRole;
  const name = uniqueName('x');

  beforeAll(async () => {
    mock = new OAuth2Server();
    await mock.issuer.keys.generate('RS256');
    await mock.start(0, '127.0.0.1');
    mock.service.on(Events.BeforeUserinfo, (res: { body: Record<string, unknown> }) => {
      res.body = { id: 4242, login: name, email: null };
    });
    t = await createTestApp({ config: { REDIS_PREFIX: prefix } });
    const url = mock.issuer.url!;
    const start = () =>
      spawnRole('api', {
        DATABASE_URL: t.config.databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        JWT_SECRET: TEST_SECRET,
        PUBLIC_URL: 'http://localhost:8080',
        OAUTH_GITHUB_CLIENT_ID: 'github-client',
        OAUTH_GITHUB_CLIENT_SECRET: 'github-secret',
        OAUTH_GITHUB_AUTHORIZE_URL: `${url}/authorize`,
        OAUTH_GITHUB_TOKEN_URL: `${url}/token`,
        OAUTH_GITHUB_USER_URL: `${url}/userinfo`,
      });
    [one, two] = await Promise.all([start(), start()]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await t?.close();
    await mock?.stop();
  });

  it('starts on one process, finishes on the other, and cannot be finished twice', async () => {
    const started = await fetch(`${one.url}/api/v1/auth/oauth/github/start`, { method: 'POST' });
    expect(started.status).toBe(200);
    const { authorization_url } = (await started.json()) as { authorization_url: string };
    const cookie = /sw_oauth_state=[^;]+/.exec(started.headers.get('set-cookie') ?? '')![0];
    const approved = await fetch(authorization_url, { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location')!);
    const path = `${callback.pathname}${callback.search}`;

    const finished = await fetch(`${two.url}${path}`, { redirect: 'manual', headers: { cookie } });
    expect(finished.status).toBe(302);
    expect(finished.headers.get('location')).toBe('/?signed_in=github');
    const session = /sw_refresh=[^;]+/.exec(finished.headers.get('set-cookie') ?? '')![0];

    // The session works on the first process too.
    const refreshed = await fetch(`${one.url}/api/v1/auth/refresh`, { method: 'POST', headers: { cookie: session } });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { user: { username: string } }).user.username).toBe(name);

    for (const server of [one, two]) {
      const replay = await fetch(`${server.url}${path}`, { redirect: 'manual', headers: { cookie } });
      expect(replay.headers.get('location')).toBe('/?oauth_error=oauth_state_invalid');
    }
  });
});
