import { createJWTSignatureMessage, encodeJWT, parseJWT } from '@oslojs/jwt';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an access token says about its bearer once verified. */
export interface AccessClaims {
  sub: string;
  sid: string;
  scopes: string[];
  iat: number;
  exp: number;
}

/**
 * Signs and verifies access tokens. HS256 today; the interface is what handlers and realtime
 * see, so switching to ES256 (regional servers verifying without the signing key) is a new
 * implementation, not a change to callers.
 */
export interface AccessTokens {
  readonly ttlSeconds: number;
  sign(subject: { userId: string; sessionId: string; scopes: string[] }, nowMs?: number): string;
  /** The claims, or null for anything not a valid, unexpired token of ours. */
  verify(token: string, nowMs?: number): AccessClaims | null;
}

export function hs256AccessTokens(options: { secret: string; issuer: string; audience: string; ttlSeconds: number }): AccessTokens {
  const key = Buffer.from(options.secret, 'utf8');
  // HMAC-SHA256 through OpenSSL: every authenticated request verifies one, so it is on the hot path.
  const hmacSha256 = (message: Uint8Array) => createHmac('sha256', key).update(message).digest();
  const headerJSON = JSON.stringify({ alg: 'HS256', typ: 'JWT' });

  return {
    ttlSeconds: options.ttlSeconds,

    sign({ userId, sessionId, scopes }, nowMs = Date.now()) {
      const iat = Math.floor(nowMs / 1000);
      const payloadJSON = JSON.stringify({
        iss: options.issuer,
        aud: options.audience,
        sub: userId,
        sid: sessionId,
        scopes,
        iat,
        exp: iat + options.ttlSeconds,
      });
      const signature = hmacSha256(createJWTSignatureMessage(headerJSON, payloadJSON));
      return encodeJWT(headerJSON, payloadJSON, signature);
    },

    verify(token, nowMs = Date.now()) {
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
      // The algorithm is ours to choose, never the token's: anything but HS256 (alg:none included) fails.
      if (header.alg !== 'HS256') return null;
      if (header.crit !== undefined) return null;
      const expected = hmacSha256(message);
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
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
      return { sub, sid, iat, exp, scopes: scopes as string[] };
    },
  };
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
