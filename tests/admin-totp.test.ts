import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoveryCodeHash } from '../platform/totp.js';
import { claimsOf, freshCode, signInAdmin, totpNow } from './admin-helpers.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, registerPlayer, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false' } });
});
afterAll(async () => {
  await t.close();
});

const login = (username: string, password: string) => t.call('POST', '/api/v1/auth/login', { body: { username, password } });

describe('TOTP enrollment', () => {
  it('answers a key and its otpauth URI, which sign nobody in until a code confirms it', async () => {
    const p = await registerPlayer(t);
    const enroll = await t.call('POST', '/api/v1/auth/totp/enroll', { token: p.token });
    expect(enroll.status).toBe(200);
    expect(enroll.headers.get('cache-control')).toBe('no-store');
    expect(enroll.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enroll.body.otpauth_url).toBe(
      `otpauth://totp/SectorWars:${p.username}?issuer=SectorWars&algorithm=SHA1&secret=${enroll.body.secret}&period=30&digits=6`,
    );
    // Sealed at rest: the database holds no key an app could be given.
    const stored = await t.accounts.selectFrom('users').select('totp_secret').where('id', '=', p.userId).executeTakeFirstOrThrow();
    expect(stored.totp_secret).toMatch(/^v1\./);
    expect(Buffer.from(stored.totp_secret!.slice(3), 'base64url').includes(Buffer.from(decodeBase32IgnorePadding(enroll.body.secret)))).toBe(false);
    // Still pending: the password alone signs in.
    expect((await login(p.username, p.password)).status).toBe(200);

    const key = decodeBase32IgnorePadding(enroll.body.secret);
    const wrong = String((Number(totpNow(key)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await t.call('POST', '/api/v1/auth/totp/verify', { token: p.token, body: { code: wrong } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('totp_invalid');

    const verify = await t.call('POST', '/api/v1/auth/totp/verify', { token: p.token, body: { code: totpNow(key) } });
    expect(verify.status).toBe(200);
    const codes: string[] = verify.body.recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    // Stored hashed: the rows hold the hashes, never the codes.
    const rows = await t.accounts.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', p.userId).execute();
    expect(rows.map((r) => r.code_hash).sort()).toEqual(codes.map(recoveryCodeHash).sort());
    expect(rows.some((r) => codes.includes(r.code_hash))).toBe(false);

    const again = await t.call('POST', '/api/v1/auth/totp/enroll', { token: p.token });
    expect(again.body.code).toBe('totp_already_enrolled');
    expect((await t.call('POST', '/api/v1/auth/totp/verify', { token: p.token, body: { code: totpNow(key) } })).body.code).toBe('totp_already_enrolled');
  });

  it('refuses verification before enrollment started', async () => {
    const p = await registerPlayer(t);
    const res = await t.call('POST', '/api/v1/auth/totp/verify', { token: p.token, body: { code: '123456' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('totp_enrollment_missing');
  });
});

describe('signing in with TOTP', () => {
  it('answers a challenge instead of tokens, then tokens for a right code, once per code', async () => {
    const admin = await signInAdmin(t, ['admin:read']);
    const first = await login(admin.username, admin.password);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ totp_required: true, challenge: expect.any(String), expires_in: 300 });
    expect(first.body.access_token).toBeUndefined();
    expect(first.headers.get('set-cookie')).toBeNull();

    const code = await freshCode(t, admin.userId, admin.key);
    const ok = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge: first.body.challenge, code } });
    expect(ok.status).toBe(200);
    expect(claimsOf(ok.body.access_token).scopes).toEqual(['admin:read']);
    // The challenge is spent, and so is the code: a second challenge with the same code is refused.
    expect((await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge: first.body.challenge, code } })).body.code).toBe('totp_challenge_invalid');
    const second = await login(admin.username, admin.password);
    const replay = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge: second.body.challenge, code } });
    expect(replay.status).toBe(403);
    expect(replay.body.code).toBe('totp_invalid');
  });

  it('accepts the code of the step before or after (clock drift), not two steps away', async () => {
    const admin = await signInAdmin(t, ['admin:read']);
    for (const [offset, status] of [
      [-2, 403],
      [2, 403],
      [1, 200],
    ] as const) {
      await freshCode(t, admin.userId, admin.key);
      const challenge = (await login(admin.username, admin.password)).body.challenge;
      // The step the server will see: never within 3 s of a boundary, or "two steps away" could
      // become one by the time the code arrives.
      const step = await stepClearOfBoundary();
      const res = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge, code: generateHOTP(admin.key, BigInt(step + offset), 6) } });
      expect(res.status, `offset ${offset}`).toBe(status);
    }
  });

  it('takes a recovery code once in place of a code', async () => {
    const admin = await signInAdmin(t, ['admin:read']);
    const [code] = admin.recoveryCodes;
    const challenge = (await login(admin.username, admin.password)).body.challenge;
    const ok = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge, code: code!.toUpperCase() } });
    expect(ok.status).toBe(200);
    expect(claimsOf(ok.body.access_token).scopes).toEqual(['admin:read']);
    const again = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge: (await login(admin.username, admin.password)).body.challenge, code } });
    expect(again.body.code).toBe('totp_invalid');
    const used = await t.accounts.selectFrom('totp_recovery_codes').select('id').where('user_id', '=', admin.userId).where('used_at', 'is not', null).execute();
    expect(used).toHaveLength(1);
  });

  it('spends a challenge after five wrong codes', async () => {
    const admin = await signInAdmin(t, ['admin:read']);
    const challenge = (await login(admin.username, admin.password)).body.challenge;
    const wrong = String((Number(totpNow(admin.key)) + 500_000) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      expect((await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge, code: wrong } })).body.code).toBe('totp_invalid');
    }
    const late = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge, code: await admin.code() } });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('totp_challenge_invalid');
  });
});

describe('admin access tokens', () => {
  it('carry admin scopes only after the second factor, and live 5 minutes instead of 15', async () => {
    const p = await registerPlayer(t);
    await t.accounts
      .updateTable('users')
      .set({ scopes: ['admin:read', 'admin:players'] })
      .where('id', '=', p.userId)
      .execute();
    // Without TOTP, a password sign-in gets a player's token.
    const plain = await login(p.username, p.password);
    expect(plain.status).toBe(200);
    expect(claimsOf(plain.body.access_token).scopes).toEqual([]);
    expect(plain.body.expires_in).toBe(900);

    const admin = await signInAdmin(t, ['admin:read', 'admin:players']);
    const claims = claimsOf(admin.token);
    expect(claims.scopes).toEqual(['admin:read', 'admin:players']);
    expect(claims.exp - claims.iat).toBe(300);
    expect(admin.expiresIn).toBe(300);

    // A refresh keeps what the sign-in proved: the TOTP session's scopes, the password session's none.
    const refreshed = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: admin.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.body.access_token).scopes).toEqual(['admin:read', 'admin:players']);
    expect(refreshed.body.expires_in).toBe(300);
    const plainRefresh = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: plain.body.refresh_token } });
    expect(claimsOf(plainRefresh.body.access_token).scopes).toEqual([]);
  });
});

describe('X-TOTP-Code on dangerous changes', () => {
  it('is required, checked, and good once', async () => {
    const admin = await signInAdmin(t, ['admin:read', 'admin:players']);
    const target = await registerPlayer(t);
    const ban = (headers: Record<string, string>) =>
      t.call('POST', `/api/v1/admin/players/${target.userId}/ban`, { token: admin.token, headers, body: { reason: 'testing the TOTP rule' } });
    const missing = await ban({});
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('totp_required');
    const wrong = await ban({ 'x-totp-code': String((Number(totpNow(admin.key)) + 1) % 1_000_000).padStart(6, '0') });
    expect(wrong.body.code).toBe('totp_invalid');
    expect((await t.accounts.selectFrom('users').select('status').where('id', '=', target.userId).executeTakeFirstOrThrow()).status).toBe('active');

    const code = await admin.code();
    expect((await ban({ 'x-totp-code': code })).status).toBe(200);
    const reused = await t.call('POST', `/api/v1/admin/players/${target.userId}/unban`, {
      token: admin.token,
      headers: { 'x-totp-code': code },
      body: { reason: 'the same code again' },
    });
    expect(reused.status).toBe(403);
    expect(reused.body.code).toBe('totp_invalid');
    expect(reused.body.detail).toContain('already used');
  });

  it('is not spent by a change the route refuses as invalid', async () => {
    const admin = await signInAdmin(t, ['admin:read', 'admin:economy']);
    const target = await newPilot(t);
    const code = await admin.code();
    const credits = (body: object, id = target.userId) =>
      t.call('POST', `/api/v1/admin/players/${id}/credits`, { token: admin.token, headers: { 'x-totp-code': code }, body });
    const noReason = await credits({ delta: 100 });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('validation_failed');
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toContain('reason');
    const badId = await credits({ delta: 100, reason: 'refund (ticket 7)' }, 'not-an-id');
    expect(badId.status).toBe(422);
    expect((await credits({ delta: 100, reason: 'refund (ticket 7)' })).status).toBe(200);
    expect((await credits({ delta: 100, reason: 'refund (ticket 7)' })).body.code).toBe('totp_invalid');
  });
});

/** The current 30-second TOTP step, waiting for the next one when this one ends within 3 s. */
async function stepClearOfBoundary(): Promise<number> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return Math.floor(Date.now() / 30_000);
}
