import { describe, expect, it } from 'vitest';
import { MemoryBus } from './bus/memory-bus.js';
import { redeemResumeToken, ResumeTokens, RESUME_TTL_SECONDS } from './realtime-resume.js';

const holder = { userId: '6c1d3f0e-8a51-4f59-9d0a-2f7d3b9f9a11', sessionId: '0b7e6d55-3c44-4a8f-a1f9-3e0f6b2c8d22', scopes: ['admin'] };
const secret = 'a-secret-of-at-least-thirty-two-characters';
const now = Date.UTC(2026, 11, 2, 15, 0, 0);

describe('resume tokens', () => {
  const tokens = new ResumeTokens(secret);

  it('carry the holder and expire after their lifetime', () => {
    const token = tokens.issue(holder, now);
    expect(token).toMatch(/^r1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.verify(token, now + 1_000)).toEqual({ holder, exp: now + RESUME_TTL_SECONDS * 1000, jti: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    expect(tokens.verify(token, now + RESUME_TTL_SECONDS * 1000 - 1)?.holder).toEqual(holder);
    expect(tokens.verify(token, now + RESUME_TTL_SECONDS * 1000)).toBeNull();
  });

  it('refuse a token signed with another secret, or altered, or malformed', () => {
    const token = tokens.issue(holder, now);
    expect(new ResumeTokens(`${secret}-other`).verify(token, now)).toBeNull();
    const [v, body, sig] = token.split('.') as [string, string, string];
    // Another user's id under the original signature.
    const forged = Buffer.from(JSON.stringify(['11111111-1111-4111-8111-111111111111', holder.sessionId, [], now + 60_000, 'x'])).toString('base64url');
    expect(tokens.verify(`${v}.${forged}.${sig}`, now)).toBeNull();
    expect(tokens.verify(`${v}.${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, now)).toBeNull();
    expect(tokens.verify(`r2.${body}.${sig}`, now)).toBeNull();
    expect(tokens.verify(`${token}.extra`, now)).toBeNull();
    expect(tokens.verify('', now)).toBeNull();
    expect(tokens.verify('r1..', now)).toBeNull();
    expect(tokens.verify(`r1.${'A'.repeat(2_000)}.${sig}`, now)).toBeNull();
  });

  it('work once across processes sharing the bus', async () => {
    const bus = new MemoryBus();
    const token = tokens.issue(holder, now);
    const [a, b] = await Promise.all([redeemResumeToken(bus, tokens, token, now), redeemResumeToken(bus, new ResumeTokens(secret), token, now)]);
    expect([a, b].filter(Boolean)).toEqual([holder]);
    expect(await redeemResumeToken(bus, tokens, token, now)).toBeNull();
    expect(await redeemResumeToken(bus, tokens, tokens.issue(holder, now), now)).toEqual(holder);
  });
});
