import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Bus } from './bus/index.js';
import type { TicketHolder } from './realtime-tickets.js';

/**
 * Resume tokens: what lets a client that was connected a moment ago connect again without asking
 * the API for a ticket. A realtime restart drops every socket at once; with tickets alone each of
 * them costs the API a signed-in request (token check, session check, a bus write) right when
 * everyone comes back. A resume token is handed out in `welcome` (and renewed while the
 * connection lasts), signed by the realtime processes with a key derived from JWT_SECRET, so any
 * of them can check it without the API; it is short-lived, works once (its id is spent on the
 * bus) and, as a ticket, is checked against the session's revocation at the upgrade.
 */
export const RESUME_TTL_SECONDS = 10 * 60;
/** A live connection gets a fresh token once its current one is this old, so one is always valid. */
export const RESUME_RENEW_AFTER_SECONDS = RESUME_TTL_SECONDS / 2;

const VERSION = 'r1';
const usedKey = (jti: string) => `realtime:resume-used:${jti}`;

export interface ResumeClaims {
  holder: TicketHolder;
  /** expiry, ms since epoch */
  exp: number;
  /** the token's own id: spent on the bus at the first use */
  jti: string;
}

export class ResumeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    // Its own key: a resume token can never pass for anything else signed with the secret.
    this.key = createHmac('sha256', secret).update('sectorwars realtime resume token v1').digest();
  }

  issue(holder: TicketHolder, nowMs: number, ttlMs = RESUME_TTL_SECONDS * 1000): string {
    const claims = [holder.userId, holder.sessionId, holder.scopes, nowMs + ttlMs, randomBytes(12).toString('base64url')];
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${VERSION}.${body}.${this.sign(body)}`;
  }

  /** The claims of a well-formed token with a good signature that has not expired; null otherwise. */
  verify(token: string, nowMs: number): ResumeClaims | null {
    if (token.length > 1_024) return null;
    const [version, body, signature, extra] = token.split('.');
    if (version !== VERSION || !body || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!Array.isArray(claims) || claims.length !== 5) return null;
    const [userId, sessionId, scopes, exp, jti] = claims as unknown[];
    if (typeof userId !== 'string' || typeof sessionId !== 'string' || typeof exp !== 'number' || typeof jti !== 'string') return null;
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) return null;
    if (exp <= nowMs) return null;
    return { holder: { userId, sessionId, scopes: scopes as string[] }, exp, jti };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`${VERSION}.${body}`).digest('base64url');
  }
}

/**
 * The holder of a valid token, spending it (a second use, on any process, is refused); null for
 * a malformed, forged, expired or already used token. The session check is the caller's, as for tickets.
 */
export async function redeemResumeToken(bus: Bus, tokens: ResumeTokens, token: string, nowMs: number): Promise<TicketHolder | null> {
  const claims = tokens.verify(token, nowMs);
  if (!claims) return null;
  const first = await bus.setIfAbsent(usedKey(claims.jti), '1', claims.exp - nowMs + 1_000);
  return first ? claims.holder : null;
}
