import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateTOTP } from '@oslojs/otp';
import { registerPlayer, type TestApp } from './harness.js';

/** The code an authenticator app shows now, computed the way the app does (RFC 6238 through @oslojs/otp). */
export const totpNow = (key: Uint8Array) => generateTOTP(key, 30, 6);

/**
 * A code the server will take now. Each 30-second step is good once per account, so a test that
 * needs several codes within one step forgets the last step spent first (a shortcut around the
 * replay rule, which tests/admin-totp.test.ts checks on its own).
 */
export async function freshCode(t: Pick<TestApp, 'accounts'>, userId: string, key: Uint8Array): Promise<string> {
  await t.accounts.updateTable('users').set({ totp_last_step: null }).where('id', '=', userId).execute();
  return totpNow(key);
}

export interface TestAdmin {
  userId: string;
  username: string;
  password: string;
  key: Uint8Array;
  /** signed in with password and TOTP: carries the admin scopes */
  token: string;
  /** the session from before TOTP: no admin scopes */
  playerToken: string;
  refreshToken: string;
  recoveryCodes: string[];
  expiresIn: number;
  code(): Promise<string>;
}

/** An account holding `scopes`, enrolled in TOTP through the API and signed in with it. */
export async function signInAdmin(t: TestApp, scopes: string[]): Promise<TestAdmin> {
  const p = await registerPlayer(t);
  await t.accounts.updateTable('users').set({ scopes }).where('id', '=', p.userId).execute();
  const enroll = await t.call('POST', '/api/v1/auth/totp/enroll', { token: p.token });
  if (enroll.status !== 200) throw new Error(`enroll: ${enroll.status} ${enroll.text}`);
  const key = decodeBase32IgnorePadding(enroll.body.secret);
  const verify = await t.call('POST', '/api/v1/auth/totp/verify', { token: p.token, body: { code: await freshCode(t, p.userId, key) } });
  if (verify.status !== 200) throw new Error(`verify: ${verify.status} ${verify.text}`);
  const login = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: p.password } });
  if (login.status !== 202) throw new Error(`login: ${login.status} ${login.text}`);
  const done = await t.call('POST', '/api/v1/auth/login/totp', { body: { challenge: login.body.challenge, code: await freshCode(t, p.userId, key) } });
  if (done.status !== 200) throw new Error(`login/totp: ${done.status} ${done.text}`);
  return {
    userId: p.userId,
    username: p.username,
    password: p.password,
    key,
    token: done.body.access_token,
    playerToken: p.token,
    refreshToken: done.body.refresh_token,
    recoveryCodes: verify.body.recovery_codes,
    expiresIn: done.body.expires_in,
    code: () => freshCode(t, p.userId, key),
  };
}

/** The claims of an access token, unverified (the server verified it; the test reads what it says). */
export function claimsOf(token: string): { scopes: string[]; exp: number; iat: number } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
