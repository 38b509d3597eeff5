import { createJWTSignatureMessage, encodeJWT, parseJWT } from '@oslojs/jwt';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { createHmac, randomBytes, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { Config } from './config.js';
import { derivedKey, fileKeyRing, staticKeyRing, type KeyRing, type PublicJwk } from './keys.js';

/** What an access token says about its bearer once verified. */
export interface AccessClaims {
  sub: string;
  sid: string;
  scopes: string[];
  iat: number;
  exp: number;
}

/**
 * Signs and verifies access tokens: ES256 under a key ring (platform/keys.ts), a `kid` in every
 * header. Verifying needs public keys only, so realtime and regional servers never hold a
 * signing key. Nothing but ES256 under a key the ring still accepts passes (HS256 and alg:none
 * included).
 */
export interface AccessTokens {
  readonly ttlSeconds: number;
  /** `ttlSeconds`: shorter than the default for tokens that carry admin scopes. */
  sign(subject: { userId: string; sessionId: string; scopes: string[]; ttlSeconds?: number }, nowMs?: number): string;
  /** The claims, or null for anything not a valid, unexpired token of ours. */
  verify(token: string, nowMs?: number): AccessClaims | null;
  /** The public keys, as `/.well-known/jwks.json` serves them. */
  jwks(nowMs?: number): { keys: PublicJwk[] };
}

/** Verified tokens remembered (a client sends the same one for its whole lifetime): ECDSA costs ~0.1–0.25 ms a check. */
const VERIFIED_CACHE_SIZE = 10_000;

export function es256AccessTokens(options: { ring: KeyRing; issuer: string; audience: string; ttlSeconds: number }): AccessTokens {
  const { ring } = options;
  const verified = new Map<string, { claims: AccessClaims; kid: string }>();
  return {
    ttlSeconds: options.ttlSeconds,

    sign({ userId, sessionId, scopes, ttlSeconds }, nowMs = Date.now()) {
      const key = ring.signingKey(nowMs);
      if (!key?.privateKey) throw new Error('this process holds no signing key (verify-only key ring)');
      const headerJSON = JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: key.kid });
      const iat = Math.floor(nowMs / 1000);
      const payloadJSON = JSON.stringify({
        iss: options.issuer,
        aud: options.audience,
        sub: userId,
        sid: sessionId,
        scopes,
        iat,
        exp: iat + Math.min(ttlSeconds ?? options.ttlSeconds, options.ttlSeconds),
      });
      const signature = cryptoSign('sha256', createJWTSignatureMessage(headerJSON, payloadJSON), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      return encodeJWT(headerJSON, payloadJSON, signature);
    },

    verify(token, nowMs = Date.now()) {
      const known = verified.get(token);
      if (known) {
        // Still unexpired, and still under a key the ring accepts (a rotation may have retired it).
        if (known.claims.exp > nowMs / 1000 && known.claims.iat <= nowMs / 1000 + 60 && ring.verifyingKey(known.kid, nowMs)) return known.claims;
        verified.delete(token);
        return null;
      }
      let header: Record<string, unknown>;
      let payload: Record<string, unknown>;
      let signature: Uint8Array;
      let message: Uint8Array;
      try {
        const parsed = parseJWT(token);
        header = parsed[0] as Record<string, unknown>;
        payload = parsed[1] as Record<string, unknown>;
        signature = parsed[2];
        message = parsed[3];
      } catch {
        return null;
      }
      // The algorithm is ours to choose, never the token's: anything but ES256 (HS256, alg:none) fails.
      if (header.alg !== 'ES256' || typeof header.kid !== 'string') return null;
      if (header.crit !== undefined) return null;
      if (signature.length !== 64) return null;
      const key = ring.verifyingKey(header.kid, nowMs);
      if (!key) return null;
      if (!cryptoVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature)) return null;
      if (payload.iss !== options.issuer) return null;
      const aud = payload.aud;
      if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) return null;
      const { sub, sid, iat, exp, scopes } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string') return null;
      if (typeof iat !== 'number' || typeof exp !== 'number') return null;
      const now = nowMs / 1000;
      if (exp <= now) return null;
      // A token issued in the future (beyond a little clock skew) is not one we signed honestly.
      if (iat > now + 60) return null;
      if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) return null;
      const claims = { sub, sid, iat, exp, scopes: scopes as string[] };
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, { claims, kid: header.kid });
      return claims;
    },

    jwks(nowMs = Date.now()) {
      return { keys: ring.published(nowMs) };
    },
  };
}

/**
 * The key ring a process's config names: JWT_KEYS_DIR's files; in embedded mode DATA_DIR/keys
 * (made on first start); in server mode without JWT_KEYS_DIR, one key derived from JWT_SECRET.
 */
export function keyRingFor(config: Config): KeyRing {
  const ttl = config.jwt.accessTtlSeconds;
  if (config.jwt.keysDir) return fileKeyRing(config.jwt.keysDir, ttl, { createIfEmpty: config.mode === 'embedded' });
  return staticKeyRing([derivedKey(config.jwt.secret)], ttl);
}

export function accessTokensFor(config: Config, ring: KeyRing = keyRingFor(config)): AccessTokens {
  return es256AccessTokens({ ring, issuer: config.jwt.issuer, audience: config.jwt.audience, ttlSeconds: config.jwt.accessTtlSeconds });
}

/**
 * The key refresh tokens are rotated with, derived from the signing secret (never used as is for
 * a second purpose).
 */
export function refreshRotationKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('sectorwars refresh-token rotation v1').digest();
}

/**
 * The token that replaces `token` on rotation: an HMAC of it under the rotation key, so the same
 * token always has the same successor. A refresh racing the one that rotated the token can then
 * be given that successor again without it being stored anywhere (only its hash is), and nobody
 * without the key can compute it.
 */
export function successorRefreshToken(rotationKey: Buffer, token: string): { token: string; hash: string } {
  const successor = encodeBase64urlNoPadding(createHmac('sha256', rotationKey).update(token).digest());
  return { token: successor, hash: hashRefreshToken(successor) };
}

/** The first refresh token of a session: 32 random bytes, base64url; only its SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = encodeBase64urlNoPadding(randomBytes(32));
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
