import { createJWTSignatureMessage, encodeJWT } from '@oslojs/jwt';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { derivedKey, fileKeyRing, jwksKeyRing, newKeyPair, readKeyDir, ringKey, stampOf, staticKeyRing, writeNewKey, type RingKey } from './keys.js';
import { es256AccessTokens, hashRefreshToken, newRefreshToken, refreshRotationKey, successorRefreshToken } from './tokens.js';

const TTL = 900;
const NOW = Date.UTC(2026, 0, 1);
const first = ringKey(NOW - 86_400_000, newKeyPair());
const ring = staticKeyRing([first], TTL);
const tokens = es256AccessTokens({ ring, issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: TTL });
const subject = { userId: 'u-1', sessionId: 's-1', scopes: ['admin.read'] };

/** A token signed by hand: any header, any payload, under any key (ours or not). */
function forge(header: object, payload: object, key: RingKey = first): string {
  const h = JSON.stringify(header);
  const p = JSON.stringify(payload);
  return encodeJWT(h, p, cryptoSign('sha256', createJWTSignatureMessage(h, p), { key: key.privateKey!, dsaEncoding: 'ieee-p1363' }));
}

const goodPayload = () => ({ iss: 'sectorwars', aud: 'sectorwars', sub: 'u-1', sid: 's-1', scopes: [], iat: NOW / 1000, exp: NOW / 1000 + TTL });
const kidHeader = (key: RingKey = first) => ({ alg: 'ES256', typ: 'JWT', kid: key.kid });

describe('ES256 access tokens', () => {
  it('round-trips the claims and names the key in the header', () => {
    const token = tokens.sign(subject, NOW);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid: first.kid });
    expect(tokens.verify(token, NOW + 1000)).toEqual({ sub: 'u-1', sid: 's-1', scopes: ['admin.read'], iat: NOW / 1000, exp: NOW / 1000 + TTL });
  });

  it('expires after the TTL', () => {
    const token = tokens.sign(subject, NOW);
    expect(tokens.verify(token, NOW + 899_000)).not.toBeNull();
    expect(tokens.verify(token, NOW + 900_000)).toBeNull();
  });

  it('rejects alg:none', () => {
    const h = JSON.stringify({ alg: 'none', typ: 'JWT', kid: first.kid });
    const p = JSON.stringify(goodPayload());
    const unsigned = `${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.`;
    expect(tokens.verify(unsigned, NOW)).toBeNull();
    expect(tokens.verify(encodeJWT(h, p, new Uint8Array()), NOW)).toBeNull();
  });

  it('rejects HS256, even keyed with the public key or the kid (algorithm confusion)', () => {
    const hs = (secret: Uint8Array) => {
      const h = JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: first.kid });
      const p = JSON.stringify(goodPayload());
      return encodeJWT(h, p, hmac(SHA256, secret, createJWTSignatureMessage(h, p)));
    };
    expect(tokens.verify(hs(new TextEncoder().encode(first.publicKey.export({ format: 'pem', type: 'spki' }) as string)), NOW)).toBeNull();
    expect(tokens.verify(hs(new TextEncoder().encode(first.kid)), NOW)).toBeNull();
  });

  it('accepts a hand-signed token only under a key of the ring (the forge helper is sound)', () => {
    expect(tokens.verify(forge(kidHeader(), goodPayload()), NOW)).not.toBeNull();
    const stranger = ringKey(NOW, newKeyPair());
    expect(tokens.verify(forge(kidHeader(stranger), goodPayload(), stranger), NOW)).toBeNull();
    // Our kid, a stranger's signature.
    expect(tokens.verify(forge(kidHeader(first), goodPayload(), stranger), NOW)).toBeNull();
    expect(tokens.verify(forge({ alg: 'ES256', typ: 'JWT' }, goodPayload()), NOW)).toBeNull();
  });

  it('rejects the wrong audience or issuer', () => {
    expect(tokens.verify(forge(kidHeader(), { ...goodPayload(), aud: 'someone-else' }), NOW)).toBeNull();
    expect(tokens.verify(forge(kidHeader(), { ...goodPayload(), iss: 'someone-else' }), NOW)).toBeNull();
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
    expect(tokens.verify(forge(kidHeader(), noSid), NOW)).toBeNull();
  });

  it('verifies with the public keys of the JWKS alone, and cannot sign with them', () => {
    const verifier = es256AccessTokens({ ring: jwksKeyRing(tokens.jwks(NOW)), issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: TTL });
    expect(verifier.verify(tokens.sign(subject, NOW), NOW)).not.toBeNull();
    expect(() => verifier.sign(subject, NOW)).toThrowError(/no signing key/);
    expect(JSON.stringify(tokens.jwks(NOW))).not.toMatch(/"d"/);
  });

  it('derives the same key from the same secret (server mode without key files)', () => {
    expect(derivedKey('x'.repeat(40)).kid).toBe(derivedKey('x'.repeat(40)).kid);
    expect(derivedKey('x'.repeat(40)).kid).not.toBe(derivedKey('y'.repeat(40)).kid);
  });
});

describe('key rotation', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sw-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('signs with the new key, accepts the previous one for one token lifetime, then refuses it', () => {
    const t0 = Date.UTC(2026, 5, 1, 12, 0, 0);
    const old = writeNewKey(dir, t0 - 86_400_000);
    const fileRing = fileKeyRing(dir, TTL, { createIfEmpty: false });
    const issuer = es256AccessTokens({ ring: fileRing, issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: TTL });
    const before = issuer.sign(subject, t0 - 1000);
    expect(JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid).toBe(old.kid);

    // `sectorwars keys rotate` drops a new file in; the ring picks it up.
    const next = writeNewKey(dir, t0);
    fileRing.reload();
    expect(readdirSync(dir).sort()).toEqual([`${stampOf(t0 - 86_400_000)}.key.pem`, `${stampOf(t0)}.key.pem`]);
    const after = issuer.sign(subject, t0 + 1000);
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(next.kid);
    expect(
      issuer
        .jwks(t0 + 1000)
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual([old.kid, next.kid].sort());

    // A token of the previous key, signed just before the rotation, lives its whole lifetime.
    expect(issuer.verify(before, t0 + (TTL - 2) * 1000)).not.toBeNull();
    // Past one lifetime (and the minute of skew), the previous key is gone from the JWKS and refused.
    const later = t0 + (TTL + 61) * 1000;
    expect(issuer.jwks(later).keys.map((k) => k.kid)).toEqual([next.kid]);
    expect(
      issuer.verify(
        forge({ alg: 'ES256', typ: 'JWT', kid: old.kid }, { ...goodPayload(), iat: later / 1000 - 10, exp: later / 1000 + 100 }, readKeyDir(dir)[0]!),
        later,
      ),
    ).toBeNull();
    expect(issuer.verify(issuer.sign(subject, later), later + 1000)).not.toBeNull();

    // A token verified (and remembered) while its key was accepted is refused once the key retires.
    const oldKey = readKeyDir(dir).find((k) => k.kid === old.kid)!;
    const longLived = forge({ alg: 'ES256', typ: 'JWT', kid: old.kid }, { ...goodPayload(), iat: t0 / 1000, exp: later / 1000 + 100 }, oldKey);
    expect(issuer.verify(longLived, t0 + 1000)).not.toBeNull();
    expect(issuer.verify(longLived, later)).toBeNull();
  });

  it('refuses an unknown kid, even after looking at the directory again', () => {
    const fileRing = fileKeyRing(dir, TTL, { createIfEmpty: false });
    const issuer = es256AccessTokens({ ring: fileRing, issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: TTL });
    const stranger = ringKey(NOW, newKeyPair());
    const now = Date.now();
    expect(issuer.verify(forge(kidHeader(stranger), { ...goodPayload(), iat: now / 1000, exp: now / 1000 + 100 }, stranger), now)).toBeNull();
  });

  it('makes one initial key in embedded mode, the same for every process that races for it', () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'sw-keys-initial-'));
    try {
      const a = fileKeyRing(fresh, TTL, { createIfEmpty: true });
      const b = fileKeyRing(fresh, TTL, { createIfEmpty: true });
      expect(a.signingKey(Date.now())!.kid).toBe(b.signingKey(Date.now())!.kid);
      expect(readdirSync(fresh)).toEqual(['19700101T000000Z-initial.key.pem']);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
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
