import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, registerPlayer, uniqueName, type TestApp } from '../../tests/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = 'correct horse battery';

describe('register', () => {
  it('creates an account and returns a token pair that works', async () => {
    const name = uniqueName('Reg');
    const res = await t.call('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@Example.TEST`, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      user: { username: name, email: `${name.toLowerCase()}@example.test`, scopes: [] },
    });
    expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/sw_refresh=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await t.call('GET', '/api/v1/auth/me', { token: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(name);
    const stored = await t.accounts.selectFrom('users').select('password_hash').where('id', '=', res.body.user.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a taken username whatever its case, and a taken email, with 409 codes', async () => {
    const p = await registerPlayer(t);
    const upper = await t.call('POST', '/api/v1/auth/register', {
      body: { username: p.username.toUpperCase(), email: `other_${p.username}@example.test`, password: PASSWORD },
    });
    expect(upper.status).toBe(409);
    expect(upper.body.code).toBe('username_taken');
    expect(upper.headers.get('content-type')).toBe('application/problem+json');
    const email = await t.call('POST', '/api/v1/auth/register', { body: { username: uniqueName(), email: `${p.username}@example.test`, password: PASSWORD } });
    expect(email.status).toBe(409);
    expect(email.body.code).toBe('email_taken');
  });

  it('lists every invalid field in a 422 and creates nothing', async () => {
    const before = await countUsers();
    const res = await t.call('POST', '/api/v1/auth/register', { body: { username: 'a!', email: 'nope', password: 'short' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'password', 'username']);
    expect(await countUsers()).toBe(before);
  });

  it('rejects unknown fields by name', async () => {
    const res = await t.call('POST', '/api/v1/auth/register', { body: { username: uniqueName(), email: 'x@example.test', password: PASSWORD, admin: true } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual({ path: 'admin', code: 'unknown_field', message: 'is not a known field' });
  });
});

describe('login', () => {
  it('signs in with the right password, any username case', async () => {
    const p = await registerPlayer(t);
    const res = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username.toUpperCase(), password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(p.userId);
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    const p = await registerPlayer(t);
    const wrong = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: 'not the password' } });
    const unknown = await t.call('POST', '/api/v1/auth/login', { body: { username: uniqueName('ghost'), password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(unknown.body.code).toBe('invalid_credentials');
    expect(unknown.body.title).toBe(wrong.body.title);
  });

  it('takes about as long for unknown users as for wrong passwords (the dummy hash)', async () => {
    const p = await registerPlayer(t);
    const time = async (username: string) => {
      const started = performance.now();
      await t.call('POST', '/api/v1/auth/login', { body: { username, password: 'not the password' } });
      return performance.now() - started;
    };
    await time(uniqueName('warm'));
    // The fastest of a few tries on each side: load on the machine only ever adds time.
    const fastest = async (username: () => string) => Math.min(...[await time(username()), await time(username()), await time(username())]);
    const known = await fastest(() => p.username);
    const unknown = await fastest(() => uniqueName('ghost'));
    // Both sides run one Argon2id verification (tens of ms); a skipped hash would be ~100× faster.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });

  it('refuses a disabled account, and its live tokens stop working', async () => {
    const p = await registerPlayer(t);
    await t.accounts.updateTable('users').set({ status: 'disabled' }).where('id', '=', p.userId).execute();
    await t.bus.del(`auth:user-status:${p.userId}`);
    const login = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: PASSWORD } });
    expect(login.status).toBe(403);
    expect(login.body.code).toBe('account_disabled');
    const me = await t.call('GET', '/api/v1/auth/me', { token: p.token });
    expect(me.status).toBe(403);
    const refresh = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } });
    expect(refresh.status).toBe(403);
  });
});

describe('refresh', () => {
  it('rotates: the new pair works and the old refresh token does not', async () => {
    const p = await registerPlayer(t);
    const first = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(p.refreshToken);
    expect((await t.call('GET', '/api/v1/auth/me', { token: first.body.access_token })).status).toBe(200);
    const second = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect(second.status).toBe(200);
  });

  it('accepts the refresh token from the cookie', async () => {
    const p = await registerPlayer(t);
    const res = await t.call('POST', '/api/v1/auth/refresh', { headers: { cookie: `sw_refresh=${p.refreshToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain(`sw_refresh=${res.body.refresh_token}`);
  });

  it('lets two tabs refresh one token at once: both get the same successor and the session lives', async () => {
    const p = await registerPlayer(t);
    const [a, b] = await Promise.all([
      t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } }),
      t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    expect(a.body.refresh_token).not.toBe(p.refreshToken);
    for (const pair of [a, b]) expect((await t.call('GET', '/api/v1/auth/me', { token: pair.body.access_token })).status).toBe(200);
    const next = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: a.body.refresh_token } });
    expect(next.status).toBe(200);
    // Only the hash of the successor is stored, as of every token.
    const rows = await t.accounts.selectFrom('refresh_tokens').select(['token_hash', 'revoked_at']).where('user_id', '=', p.userId).execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.revoked_at === null && /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('revokes the whole family when a rotated token is presented after the overlap', async () => {
    const p = await registerPlayer(t);
    const rotated = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } });
    expect(rotated.status).toBe(200);
    await rotatedSecondsAgo(p.userId, 11);
    const reuse = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    // The thief's replay also kills the legitimate holder's newer tokens.
    const victim = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: rotated.body.refresh_token } });
    expect(victim.status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/me', { token: rotated.body.access_token })).body.code).toBe('session_revoked');
  });

  it('revokes the family when a token comes back within the overlap but its successor was already exchanged', async () => {
    const p = await registerPlayer(t);
    const first = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } });
    const second = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect([first.status, second.status]).toEqual([200, 200]);
    const reuse = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } });
    expect([reuse.status, reuse.body.code]).toEqual([401, 'refresh_token_reused']);
    expect((await t.call('GET', '/api/v1/auth/me', { token: second.body.access_token })).body.code).toBe('session_revoked');
  });

  it('gives all of 20 concurrent refreshes with one token the same successor', async () => {
    const p = await registerPlayer(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
    const rows = await t.accounts.selectFrom('refresh_tokens').select('id').where('user_id', '=', p.userId).execute();
    expect(rows).toHaveLength(2); // the original and the single successor
  });

  it('refuses an unknown token and a missing one', async () => {
    const unknown = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: 'x'.repeat(43) } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('invalid_refresh_token');
    const missing = await t.call('POST', '/api/v1/auth/refresh');
    expect(missing.status).toBe(401);
  });
});

describe('refresh without an overlap (REFRESH_REUSE_GRACE_SECONDS=0)', () => {
  it('lets exactly one of 20 concurrent refreshes with one token succeed and revokes the rest', async () => {
    const strict = await createTestApp({ config: { REFRESH_REUSE_GRACE_SECONDS: '0' } });
    try {
      const p = await registerPlayer(strict);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => strict.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    } finally {
      await strict.close();
    }
  });
});

describe('logout', () => {
  it('revokes the current family: refresh and access tokens stop working', async () => {
    const p = await registerPlayer(t);
    const out = await t.call('POST', '/api/v1/auth/logout', { token: p.token });
    expect(out.status).toBe(204);
    expect((await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: p.refreshToken } })).status).toBe(401);
    const me = await t.call('GET', '/api/v1/auth/me', { token: p.token });
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('session_revoked');
  });

  it("leaves the account's other sessions alone", async () => {
    const p = await registerPlayer(t);
    const other = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: PASSWORD } });
    await t.call('POST', '/api/v1/auth/logout', { body: { refresh_token: p.refreshToken } });
    expect((await t.call('GET', '/api/v1/auth/me', { token: other.body.access_token })).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('does not let an attacker at one address lock the owner out from another', async () => {
    const p = await registerPlayer(t);
    const attacker = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await t.call('POST', '/api/v1/auth/login', { ip: attacker, body: { username: p.username, password: 'not the password' } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const owner = await t.call('POST', '/api/v1/auth/login', { ip: randomIp(), body: { username: p.username, password: PASSWORD } });
    expect(owner.status).toBe(200);
  });

  it('limits one username loosely across addresses: 30 a minute', async () => {
    const p = await registerPlayer(t);
    const statuses = await Promise.all(
      Array.from(
        { length: 30 },
        async () => (await t.call('POST', '/api/v1/auth/login', { ip: randomIp(), body: { username: p.username, password: 'not the password' } })).status,
      ),
    );
    expect(statuses).toEqual(Array(30).fill(401));
    const next = await t.call('POST', '/api/v1/auth/login', { ip: randomIp(), body: { username: p.username, password: PASSWORD } });
    expect([next.status, next.body.code]).toEqual([429, 'rate_limited']);
  });

  it('limits login to 10 a minute per address and says when to retry', async () => {
    const ip = randomIp();
    let last: Awaited<ReturnType<typeof t.call>> | undefined;
    for (let i = 0; i < 11; i++) {
      last = await t.call('POST', '/api/v1/auth/login', { ip, body: { username: uniqueName('nobody'), password: 'not the password' } });
      if (i < 10) expect(last.status).toBe(401);
    }
    expect(last!.status).toBe(429);
    expect(last!.body.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits registration to 5 per 10 minutes per address', async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const name = uniqueName('rl');
      const res = await t.call('POST', '/api/v1/auth/register', { ip, body: { username: name, email: `${name}@example.test`, password: PASSWORD } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});

/** Backdate the account's rotations, as if the overlap had passed. */
async function rotatedSecondsAgo(userId: string, seconds: number): Promise<void> {
  await t.accounts
    .updateTable('refresh_tokens')
    .set({ rotated_at: new Date(Date.now() - seconds * 1000) })
    .where('user_id', '=', userId)
    .where('rotated_at', 'is not', null)
    .execute();
}

async function countUsers(): Promise<number> {
  const row = await t.accounts
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
