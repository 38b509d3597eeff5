import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { sql } from 'kysely';
import type { AccountDb } from './db/database.js';
import { hashRefreshToken } from './tokens.js';

/**
 * TOTP (RFC 6238, through @oslojs/otp): 30-second steps, 6 digits, SHA-1 as every authenticator
 * app expects. A code is accepted for the step before and after the current one (clock drift),
 * and each step at most once per account: `users.totp_last_step` moves forward with a
 * conditional UPDATE, so a code seen once (by a shoulder or a proxy log) is worthless after.
 */
export const TOTP = { periodSeconds: 30, digits: 6, driftSteps: 1, issuer: 'SectorWars' } as const;
export const RECOVERY_CODE_COUNT = 10;
const CODE_PATTERN = /^\d{6}$/;

export function newTotpKey(): Uint8Array {
  return new Uint8Array(randomBytes(20));
}

/**
 * TOTP keys are stored sealed (AES-256-GCM under a key derived from the server's secret, the
 * account id as associated data), so a copy of the database alone mints no codes, and a sealed
 * key moved to another account's row does not open. Changing JWT_SECRET makes every account enroll
 * again (it also ends every refresh token's rotation), so it is not done lightly.
 */
export interface TotpVault {
  seal(userId: string, key: Uint8Array): string;
  /** null for a value this server did not seal for this account */
  open(userId: string, stored: string): Uint8Array | null;
}

export function totpVault(serverSecret: string): TotpVault {
  const vaultKey = createHmac('sha256', serverSecret).update('sectorwars totp-key seal v1').digest();
  return {
    seal(userId, key) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', vaultKey, iv).setAAD(Buffer.from(userId));
      const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`;
    },
    open(userId, stored) {
      if (!stored.startsWith('v1.')) return null;
      const raw = Buffer.from(stored.slice(3), 'base64url');
      if (raw.length < 29) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', vaultKey, raw.subarray(0, 12)).setAAD(Buffer.from(userId));
        decipher.setAuthTag(raw.subarray(12, 28));
        return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
      } catch {
        return null;
      }
    },
  };
}

/** What an authenticator app is shown (the QR code holds `otpauth_url`). */
export function totpEnrollment(key: Uint8Array, accountName: string): { secret: string; otpauth_url: string } {
  return { secret: encodeBase32UpperCaseNoPadding(key), otpauth_url: createTOTPKeyURI(TOTP.issuer, accountName, key, TOTP.periodSeconds, TOTP.digits) };
}

export const totpStepAt = (nowMs: number) => Math.floor(nowMs / 1000 / TOTP.periodSeconds);

/** The step a code is right for, near `nowMs`, or null. Compared in constant time. */
export function matchTotpStep(key: Uint8Array, code: string, nowMs: number): number | null {
  if (!CODE_PATTERN.test(code)) return null;
  const now = totpStepAt(nowMs);
  let found: number | null = null;
  for (let step = now - TOTP.driftSteps; step <= now + TOTP.driftSteps; step++) {
    const expected = generateHOTP(key, BigInt(step), TOTP.digits);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code)) && found === null) found = step;
  }
  return found;
}

export type TotpCheck = 'ok' | 'invalid' | 'reused' | 'not_enrolled';

/**
 * Spend a code of an account's confirmed TOTP: right for a step near now, and later than any
 * step spent before. With `pending`, the key not yet confirmed is checked instead (enrollment).
 */
export async function spendTotpCode(
  db: AccountDb,
  vault: TotpVault,
  userId: string,
  code: string,
  options: { nowMs?: number; pending?: boolean } = {},
): Promise<TotpCheck> {
  const user = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!user?.totp_secret || (!options.pending && !user.totp_enabled_at)) return 'not_enrolled';
  const key = vault.open(userId, user.totp_secret);
  if (!key) return 'invalid';
  const step = matchTotpStep(key, code, options.nowMs ?? Date.now());
  if (step === null) return 'invalid';
  const spent = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return spent ? 'ok' : 'reused';
}

/** Ten codes such as `k3f9-2mxq-7hdp`, each good once in place of a TOTP code; only their hashes are kept. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
  return { codes, hashes: codes.map(recoveryCodeHash) };
}

export function recoveryCodeHash(code: string): string {
  return hashRefreshToken(code.trim().toLowerCase().replace(/[\s-]/g, ''));
}

export const looksLikeRecoveryCode = (code: string) => /^[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}$/i.test(code.trim());

/** Spend one of an account's recovery codes (true when it was unused). */
export async function spendRecoveryCode(db: AccountDb, userId: string, code: string): Promise<boolean> {
  const used = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', recoveryCodeHash(code))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return used !== undefined;
}
