import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { parseJWT } from '@oslojs/jwt';
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { Config, OAuthProviderConfig, OAuthProviderId } from '../../platform/config.js';

/** Who the provider says signed in: its own stable id for them, and what it tells about them. */
export interface ProviderProfile {
  subject: string;
  /** A name to suggest as the username (GitHub login, Discord username, Google given name). */
  name: string | null;
  /** Stored for the person's own information; never used to find or link an account. */
  email: string | null;
}

export class ProviderRefused extends Error {
  constructor(
    readonly code: 'oauth_exchange_failed' | 'oauth_id_token_invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface Provider {
  id: OAuthProviderId;
  title: string;
  /** OpenID Connect: an ID token (with a nonce) is what identifies the person. */
  oidc: boolean;
  authorizationUrl(state: string, codeVerifier: string, nonce: string | undefined): URL;
  finish(code: string, codeVerifier: string, nonce: string | undefined): Promise<ProviderProfile>;
}

const TITLES: Record<OAuthProviderId, string> = { github: 'GitHub', google: 'Google', discord: 'Discord' };
const SCOPES: Record<OAuthProviderId, string[]> = {
  github: ['read:user', 'user:email'],
  google: ['openid', 'profile', 'email'],
  discord: ['identify', 'email'],
};

/** The configured providers (only those with a client id and secret), on arctic's OAuth 2.0 client. */
export function configuredProviders(config: Config): Map<OAuthProviderId, Provider> {
  const providers = new Map<OAuthProviderId, Provider>();
  for (const [id, settings] of Object.entries(config.oauth) as Array<[OAuthProviderId, OAuthProviderConfig]>) {
    providers.set(id, provider(id, settings, `${config.publicUrl}/api/v1/auth/oauth/${id}/callback`));
  }
  return providers;
}

function provider(id: OAuthProviderId, settings: OAuthProviderConfig, redirectUri: string): Provider {
  const client = new OAuth2Client(settings.clientId, settings.clientSecret, redirectUri);
  const oidc = id === 'google';
  const jwks = oidc ? remoteKeys(settings.jwksUrl!) : undefined;
  return {
    id,
    title: TITLES[id],
    oidc,
    authorizationUrl(state, codeVerifier, nonce) {
      const url = client.createAuthorizationURLWithPKCE(settings.authorizeUrl, state, CodeChallengeMethod.S256, codeVerifier, SCOPES[id]);
      if (nonce) url.searchParams.set('nonce', nonce);
      return url;
    },
    async finish(code, codeVerifier, nonce) {
      let tokens: Awaited<ReturnType<OAuth2Client['validateAuthorizationCode']>>;
      try {
        tokens = await client.validateAuthorizationCode(settings.tokenUrl, code, codeVerifier);
      } catch (err) {
        throw new ProviderRefused('oauth_exchange_failed', `the token endpoint refused the code: ${(err as Error).message}`);
      }
      if (oidc) {
        let idToken: string;
        try {
          idToken = tokens.idToken();
        } catch {
          throw new ProviderRefused('oauth_id_token_invalid', 'no ID token in the answer');
        }
        const claims = await verifyIdToken(idToken, { issuer: settings.issuer!, audience: settings.clientId, nonce: nonce!, keys: jwks! });
        return {
          subject: claims.sub as string,
          name: typeof claims.given_name === 'string' ? claims.given_name : typeof claims.name === 'string' ? claims.name : null,
          email: typeof claims.email === 'string' && claims.email_verified === true ? claims.email : null,
        };
      }
      const res = await fetch(settings.userUrl!, {
        headers: { authorization: `Bearer ${tokens.accessToken()}`, accept: 'application/json', 'user-agent': 'sectorwars' },
        signal: AbortSignal.timeout(10_000),
      }).catch((err: Error) => {
        throw new ProviderRefused('oauth_exchange_failed', `the user endpoint could not be reached: ${err.message}`);
      });
      if (!res.ok) throw new ProviderRefused('oauth_exchange_failed', `the user endpoint answered ${res.status}`);
      const user = (await res.json()) as Record<string, unknown>;
      const subject = typeof user.id === 'number' || typeof user.id === 'string' ? String(user.id) : undefined;
      if (!subject) throw new ProviderRefused('oauth_exchange_failed', 'the user endpoint named no id');
      const name = id === 'github' ? user.login : user.username;
      return { subject, name: typeof name === 'string' ? name : null, email: typeof user.email === 'string' ? user.email : null };
    },
  };
}

/**
 * An OpenID Connect ID token, checked as the spec asks: signed (RS256 or ES256) by a key of the
 * issuer's JWKS, our client id as audience, the issuer's iss, unexpired, and the nonce we sent.
 */
async function verifyIdToken(
  token: string,
  expected: { issuer: string; audience: string; nonce: string; keys: (kid: string) => Promise<KeyObject | undefined> },
): Promise<Record<string, unknown>> {
  const refuse = (why: string) => new ProviderRefused('oauth_id_token_invalid', why);
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
    throw refuse('the ID token is not a JWT');
  }
  if (header.alg !== 'RS256' && header.alg !== 'ES256') throw refuse(`the ID token is signed with ${String(header.alg)}`);
  const key = typeof header.kid === 'string' ? await expected.keys(header.kid) : undefined;
  if (!key) throw refuse('the ID token names no key of the issuer');
  const ok =
    header.alg === 'RS256' ? cryptoVerify('sha256', message, key, signature) : cryptoVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) throw refuse('the ID token signature does not verify');
  if (payload.iss !== expected.issuer) throw refuse('the ID token is from another issuer');
  const aud = payload.aud;
  if (!(aud === expected.audience || (Array.isArray(aud) && aud.includes(expected.audience)))) throw refuse('the ID token is for another audience');
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= Date.now()) throw refuse('the ID token has expired');
  if (payload.nonce !== expected.nonce) throw refuse('the ID token nonce is not the one this sign-in sent');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw refuse('the ID token names no subject');
  return payload;
}

/** The issuer's signing keys, fetched when first needed and again for an unknown kid (at most every minute). */
function remoteKeys(url: string): (kid: string) => Promise<KeyObject | undefined> {
  let keys = new Map<string, KeyObject>();
  let fetchedAt = 0;
  return async (kid) => {
    if (!keys.has(kid) && Date.now() - fetchedAt > 60_000) {
      fetchedAt = Date.now();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.json()) as { keys: Array<Record<string, unknown> & { kid?: string }> };
        keys = new Map(body.keys.filter((k) => typeof k.kid === 'string').map((k) => [k.kid!, createPublicKey({ key: k as never, format: 'jwk' })]));
      } catch {
        fetchedAt = 0;
      }
    }
    return keys.get(kid);
  };
}
