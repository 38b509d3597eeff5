import { createJWTSignatureMessage, encodeJWT } from '@oslojs/jwt';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { describe, expect, it } from 'vitest';
import { hashRefreshToken, hs256AccessTokens, newRefreshToken, refreshRotationKey, successorRefreshToken } from './tokens.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
const tokens = hs256AccessTokens({ secret: SECRET, issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: 900 });
const NOW = Date.UTC(2026, 0, 1);
const subject = { userId: 'u-1', sessionId: 's-1', scopes: ['admin.read'] };

function forge(header: object, payload: object, secret = SECRET): string {
  const h = JSON.stringify(header);
  const p = JSON.stringify(payload);
  return encodeJWT(h, p, hmac(SHA256, new TextEncoder().encode(secret), createJWTSignatureMessage(h, p)));
}

const goodPayload = () => ({ iss: 'sectorwars', aud: 'sectorwars', sub: 'u-1', sid: 's-1', scopes: [], iat: NOW / 1000, exp: NOW / 1000 + 900 });

describe('access tokens', () => {
  it('round-trips the claims', () => {
    const claims = tokens.verify(tokens.sign(subject, NOW), NOW + 1000);
    expect(claims).toEqual({ sub: 'u-1', sid: 's-1', scopes: ['admin.read'], iat: NOW / 1000, exp: NOW / 1000 + 900 });
  });

  it('expires after the TTL', () => {
    const token = tokens.sign(subject, NOW);
    expect(tokens.verify(token, NOW + 899_000)).not.toBeNull();
    expect(tokens.verify(token, NOW + 900_000)).toBeNull();
  });

  it('rejects alg:none', () => {
    const h = JSON.stringify({ alg: 'none', typ: 'JWT' });
    const p = JSON.stringify(goodPayload());
    const unsigned = `${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.`;
    expect(tokens.verify(unsigned, NOW)).toBeNull();
    expect(tokens.verify(encodeJWT(h, p, new Uint8Array()), NOW)).toBeNull();
  });

  it('rejects a different algorithm even with a valid HMAC', () => {
    expect(tokens.verify(forge({ alg: 'HS512', typ: 'JWT' }, goodPayload()), NOW)).toBeNull();
    expect(tokens.verify(forge({ alg: 'ES256', typ: 'JWT' }, goodPayload()), NOW)).toBeNull();
  });

  it('accepts a correctly forged token only with our secret (the forge helper is sound)', () => {
    expect(tokens.verify(forge({ alg: 'HS256', typ: 'JWT' }, goodPayload()), NOW)).not.toBeNull();
    expect(tokens.verify(forge({ alg: 'HS256', typ: 'JWT' }, goodPayload(), 'another-secret-of-32-characters-long!!'), NOW)).toBeNull();
  });

  it('rejects the wrong audience or issuer', () => {
    expect(tokens.verify(forge({ alg: 'HS256' }, { ...goodPayload(), aud: 'someone-else' }), NOW)).toBeNull();
    expect(tokens.verify(forge({ alg: 'HS256' }, { ...goodPayload(), iss: 'someone-else' }), NOW)).toBeNull();
  });

  it('rejects a tampered payload or signature', () => {
    const token = tokens.sign(subject, NOW);
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.sub = 'u-2';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    expect(tokens.verify(tampered, NOW)).toBeNull();
    const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(tokens.verify(flipped, NOW)).toBeNull();
  });

  it('rejects garbage and missing claims', () => {
    expect(tokens.verify('not-a-jwt', NOW)).toBeNull();
    const { sid: _sid, ...noSid } = goodPayload();
    expect(tokens.verify(forge({ alg: 'HS256' }, noSid), NOW)).toBeNull();
  });
});

describe('refresh tokens', () => {
  it('are 32 random bytes stored only as their SHA-256', () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashRefreshToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rotate to a successor fixed by the token and the key, and unguessable without the key', () => {
    const key = refreshRotationKey('a-signing-secret-that-is-long-enough-for-hs256');
    const { token } = newRefreshToken();
    const next = successorRefreshToken(key, token);
    expect(successorRefreshToken(key, token)).toEqual(next);
    expect(next.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next.hash).toBe(hashRefreshToken(next.token));
    expect(successorRefreshToken(key, next.token).token).not.toBe(next.token);
    expect(successorRefreshToken(refreshRotationKey('another-signing-secret-that-is-long-enough'), token).token).not.toBe(next.token);
  });
});
