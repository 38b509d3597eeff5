import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { afterAll, describe, expect, it } from 'vitest';
import { totpNow } from './admin-helpers.js';
import { createTestApp, TEST_SECRET, testBackends, uniqueName } from './harness.js';
import { type RunningRole, spawnRole } from './spawn-role.js';

const folders: string[] = [];
const running: RunningRole[] = [];
afterAll(async () => {
  await Promise.all(running.map((role) => role.stop()));
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** `sectorwars admin …` as an operator runs it, with only the environment given here. */
function cli(args: string[], env: Record<string, string>) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  const result = spawnSync(process.execPath, ['bin/sectorwars.js', 'admin', ...args], { env: { ...base, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, token: /\/admin\/enroll\?token=([A-Za-z0-9_-]{43})/.exec(result.stdout)?.[1] };
}

async function post(url: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('sectorwars admin create', () => {
  it('in embedded mode: creates an admin with an enrollment link, refuses while the server holds the folder, promotes after', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-admin-cli-'));
    folders.push(dataDir);
    const username = uniqueName('adm');
    const created = cli(['create', '--username', username, '--scopes', 'admin:read,admin:players'], { DATA_DIR: dataDir });
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain(`created ${username}`);
    expect(created.stdout).toContain('with scopes admin:players, admin:read');
    expect(created.token).toBeDefined();

    const server = await spawnRole('all', { DATA_DIR: dataDir });
    running.push(server);
    // The server holds the folder: the CLI says so and what to do, and changes nothing.
    const busy = cli(['create', '--username', username, '--scopes', 'admin:scopes'], { DATA_DIR: dataDir });
    expect(busy.status).toBe(75);
    expect(busy.stderr).toContain('is in use by another sectorwars process');
    expect(busy.stderr).toContain('stop the server first');

    // The link sets a password and signs in; TOTP follows; then the admin routes answer.
    const password = 'correct horse battery staple';
    const redeemed = await post(server.url, '/api/v1/auth/account-link', { token: created.token, password });
    expect(redeemed.status).toBe(200);
    expect((await post(server.url, '/api/v1/auth/account-link', { token: created.token, password })).body.code).toBe('account_link_invalid');
    const session = redeemed.body.access_token as string;
    const refused = await fetch(`${server.url}/api/v1/admin/audit`, { headers: { authorization: `Bearer ${session}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('second_factor_required');
    const enroll = await post(server.url, '/api/v1/auth/totp/enroll', {}, session);
    const key = decodeBase32IgnorePadding(enroll.body.secret);
    expect((await post(server.url, '/api/v1/auth/totp/verify', { code: totpNow(key) }, session)).status).toBe(200);
    const challenge = await post(server.url, '/api/v1/auth/login', { username, password });
    expect(challenge.status).toBe(202);
    // The verify spent this step's code; the next step's is accepted (one step of drift either way).
    const next = generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + 1), 6);
    const signedIn = await post(server.url, '/api/v1/auth/login/totp', { challenge: challenge.body.challenge, code: next });
    expect(signedIn.status).toBe(200);
    const audit = await fetch(`${server.url}/api/v1/admin/audit?action=account.create_admin`, {
      headers: { authorization: `Bearer ${signedIn.body.access_token}` },
    });
    expect(audit.status).toBe(200);
    const entries = ((await audit.json()) as { entries: Array<Record<string, unknown>> }).entries;
    expect(entries).toEqual([
      expect.objectContaining({ actor_id: null, actor_name: 'cli', target_id: redeemed.body.user.id, after: { scopes: ['admin:players', 'admin:read'] } }),
    ]);
    await server.stop();

    const promoted = cli(['create', '--username', username.toUpperCase(), '--scopes', 'admin:scopes'], { DATA_DIR: dataDir });
    expect(promoted.status).toBe(0);
    expect(promoted.stdout).toContain(`promoted ${username}`);
    expect(promoted.stdout).toContain('with scopes admin:players, admin:read, admin:scopes');
    // A first start migrates and generates a world: on two loaded cores that takes a minute.
  }, 240_000);

  it('refuses unknown scopes and bad names, changing nothing', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sw-admin-cli-'));
    folders.push(dataDir);
    const bad = cli(['create', '--username', 'ok_name', '--scopes', 'admin:read,admin:everything'], { DATA_DIR: dataDir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not: admin:everything');
    expect(cli(['create', '--username', 'no spaces', '--scopes', 'admin:read'], { DATA_DIR: dataDir }).status).toBe(2);
    expect(cli(['remove'], { DATA_DIR: dataDir }).stderr).toContain('usage: sectorwars admin create');
  });

  it.skipIf(!testBackends().databaseUrl)(
    'in server mode: against DATABASE_URL, the link works on the API',
    async () => {
      const t = await createTestApp();
      try {
        const username = uniqueName('srv');
        const created = cli(['create', '--username', username, '--scopes', 'admin:read', '--email', `${username}@example.test`], {
          DATABASE_URL: t.config.databaseUrl!,
          JWT_SECRET: TEST_SECRET,
        });
        expect(created.stderr).toBe('');
        expect(created.status).toBe(0);
        const user = await t.accounts.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
        expect(user).toMatchObject({ scopes: ['admin:read'], email: `${username}@example.test`, password_hash: null });
        const redeemed = await t.call('POST', '/api/v1/auth/account-link', { body: { token: created.token, password: 'a long enough password' } });
        expect(redeemed.status).toBe(200);
        expect(redeemed.body.user.id).toBe(user.id);
      } finally {
        await t.close();
      }
    },
    60_000,
  );
});
