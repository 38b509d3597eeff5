import { describe, expect, it } from 'vitest';
import { generateHOTP } from '@oslojs/otp';
import { matchTotpStep, newRecoveryCodes, newTotpKey, recoveryCodeHash, totpVault } from './totp.js';

describe('TOTP keys at rest', () => {
  it('open only under the same server secret and for the same account', () => {
    const key = newTotpKey();
    const vault = totpVault('a server secret that is long enough to use');
    const sealed = vault.seal('user-1', key);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(Buffer.from(key).toString('base64url'));
    expect(vault.open('user-1', sealed)).toEqual(key);
    expect(vault.open('user-2', sealed)).toBeNull();
    expect(totpVault('another server secret, just as long as that').open('user-1', sealed)).toBeNull();
    expect(vault.open('user-1', 'v1.garbage')).toBeNull();
    expect(vault.open('user-1', Buffer.from(key).toString('base64'))).toBeNull();
  });
});

describe('TOTP codes', () => {
  it('match the step they were made for, one step either side of now, never further', () => {
    const key = newTotpKey();
    const now = Date.UTC(2026, 11, 2, 12, 0, 15);
    const step = Math.floor(now / 30_000);
    expect(matchTotpStep(key, generateHOTP(key, BigInt(step), 6), now)).toBe(step);
    expect(matchTotpStep(key, generateHOTP(key, BigInt(step - 1), 6), now)).toBe(step - 1);
    expect(matchTotpStep(key, generateHOTP(key, BigInt(step + 1), 6), now)).toBe(step + 1);
    expect(matchTotpStep(key, generateHOTP(key, BigInt(step + 2), 6), now)).toBeNull();
    expect(matchTotpStep(key, '12345', now)).toBeNull();
    expect(matchTotpStep(key, 'abcdef', now)).toBeNull();
  });

  it('recovery codes are ten, distinct, and hashed the same whatever their case or dashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(hashes).toEqual(codes.map(recoveryCodeHash));
    expect(recoveryCodeHash(codes[0]!.toUpperCase().replace(/-/g, ''))).toBe(hashes[0]);
  });
});
