import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoute, z } from '@hono/zod-openapi';
import { createApp } from '../platform/http/app.js';
import { bundleRouter, type Bundle } from '../platform/http/context.js';
import { bundles } from '../handlers/index.js';
import { createTestApp, registerPlayer, type TestApp } from './harness.js';
import { jwksKeyRing, newKeyPair, ringKey, staticKeyRing } from '../platform/keys.js';
import { es256AccessTokens, keyRingFor } from '../platform/tokens.js';

// A bundle that fails on purpose, to see what an unexpected exception looks like from outside.
const explodingBundle: Bundle = {
  name: 'exploding',
  basePath: '/api/v1/test',
  create: () =>
    bundleRouter().openapi(
      createRoute({ method: 'get', path: '/boom', responses: { 200: { description: 'never', content: { 'application/json': { schema: z.object({}) } } } } }),
      () => {
        throw new Error('secret internal detail: connection string postgres://user:pw@db');
      },
    ),
};

let t: TestApp;
const logged: string[] = [];
beforeAll(async () => {
  t = await createTestApp({ bundles: [...bundles, explodingBundle], logLines: logged });
});
afterAll(async () => {
  await t.close();
});

const register = '/api/v1/auth/register';

describe('the error model', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.call('GET', '/api/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'not_found', title: 'No such resource' });
    expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('gives malformed JSON a 400', async () => {
    const res = await t.call('POST', register, { rawBody: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_json');
  });

  it('gives a non-JSON content type a 415', async () => {
    const res = await t.call('POST', register, { rawBody: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('gives an oversized body a 413', async () => {
    const res = await t.call('POST', register, { body: { username: 'x', email: 'e@x.io', password: 'p'.repeat(100_000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('gives wrong types a 422 listing the fields', async () => {
    const res = await t.call('POST', register, { body: { username: 42, email: null, password: ['x'] } });
    expect(res.status).toBe(422);
    expect([...new Set(res.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual(['email', 'password', 'username']);
  });

  it('gives a JSON array or scalar body a 422, not a 500', async () => {
    for (const raw of ['[]', '"text"', '42', 'null']) {
      const res = await t.call('POST', register, { rawBody: raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, raw).toBe(422);
    }
  });

  it('answers an unexpected exception with a bare 500 and logs it with the request id', async () => {
    const res = await t.call('GET', '/api/v1/test/boom', { headers: { 'x-request-id': 'test-req-123456' } });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal_error', request_id: 'test-req-123456' });
    expect(res.text).not.toContain('secret internal detail');
    const line = logged.find((l) => l.includes('unhandled error'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ req_id: 'test-req-123456', level: 50 });
  });
});

describe('authentication on protected routes', () => {
  const attacks: Record<string, (token: string) => string> = {
    'no signature (alg none)': (token) => {
      const [, p] = token.split('.');
      return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    },
    'tampered payload': (token) => {
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      claims.scopes = ['admin'];
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    },
    'wrong audience': () =>
      es256AccessTokens({ ring: keyRingFor(t.config), issuer: 'sectorwars', audience: 'other', ttlSeconds: 900 }).sign({
        userId: 'x',
        sessionId: 'y',
        scopes: [],
      }),
    'wrong issuer': () =>
      es256AccessTokens({ ring: keyRingFor(t.config), issuer: 'other', audience: 'sectorwars', ttlSeconds: 900 }).sign({
        userId: 'x',
        sessionId: 'y',
        scopes: [],
      }),
    expired: () =>
      es256AccessTokens({ ring: keyRingFor(t.config), issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: 900 }).sign(
        { userId: 'x', sessionId: 'y', scopes: [] },
        Date.now() - 3_600_000,
      ),
    'wrong key': () =>
      es256AccessTokens({ ring: staticKeyRing([ringKey(0, newKeyPair())], 900), issuer: 'sectorwars', audience: 'sectorwars', ttlSeconds: 900 }).sign({
        userId: 'x',
        sessionId: 'y',
        scopes: [],
      }),
  };

  for (const [name, make] of Object.entries(attacks)) {
    it(`rejects a token with ${name} with 401`, async () => {
      const p = await registerPlayer(t);
      const res = await t.call('GET', '/api/v1/auth/me', { token: make(p.token) });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    });
  }

  it('asks for a bearer token when none is sent', async () => {
    const res = await t.call('GET', '/api/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('operations', () => {
  it('serves /healthz and /readyz', async () => {
    expect((await t.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/readyz')).body).toEqual({ status: 'ready', database: 'ok', bus: 'ok' });
  });

  it('counts requests and latency by route pattern and status in /metrics', async () => {
    await t.call('GET', '/api/v1/auth/me');
    const text = (await t.call('GET', '/metrics')).text;
    const lines = text.split('\n');
    const labels = ['method="GET"', 'route="/api/v1/auth/me"', 'status="401"'];
    const counter = lines.find((l) => l.startsWith('sectorwars_http_requests_total{') && labels.every((x) => l.includes(x)));
    expect(Number(counter?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    const bucket = lines.find(
      (l) => l.startsWith('sectorwars_http_request_duration_seconds_bucket{') && l.includes('le="+Inf"') && labels.every((x) => l.includes(x)),
    );
    expect(Number(bucket?.split(' ').pop())).toBeGreaterThanOrEqual(1);
  });

  it('writes one JSON access-log line per request, with its request id', async () => {
    await t.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-me-0001' } });
    const line = logged.map((l) => JSON.parse(l)).find((l) => l.req_id === 'trace-me-0001' && l.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200, route: '/healthz' });
  });

  it('publishes the contract at /api/openapi.json and a readable page at /api/docs', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    for (const path of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/me']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.schemas.Problem).toBeDefined();
    const page = await t.call('GET', '/api/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/api/v1/auth/register');
  });

  it('sends security headers and allows CORS only for the configured origins', async () => {
    const ok = await t.call('OPTIONS', '/api/v1/auth/login', { headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await t.call('OPTIONS', '/api/v1/auth/login', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(ok.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    // Actual requests (answers and problems alike) carry the headers for an allowed origin only.
    for (const origin of ['http://localhost:5173', 'https://evil.example']) {
      const problem = await t.call('POST', '/api/v1/auth/login', { headers: { origin }, body: {} });
      expect(problem.status).toBe(422);
      expect(problem.headers.get('vary')).toContain('Origin');
      expect(problem.headers.get('x-request-id')).toMatch(/.{8,}/);
      expect(problem.headers.get('access-control-allow-origin')).toBe(origin === 'https://evil.example' ? null : origin);
      expect(problem.headers.get('access-control-expose-headers')).toBe(
        origin === 'https://evil.example' ? null : 'X-Request-Id,Retry-After,Idempotent-Replayed,RateLimit,RateLimit-Policy',
      );
    }
    const res = await t.call('GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('lets pages connect to their own origin and the configured realtime URL only', async () => {
    const connectSrc = async (publicUrl: string) => {
      const app = createApp({ ...t, config: { ...t.config, realtime: { ...t.config.realtime, publicUrl } } }, []);
      const csp = (await app.request('/healthz')).headers.get('content-security-policy') ?? '';
      return csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('connect-src'));
    };
    expect(await connectSrc('/ws')).toBe("connect-src 'self'");
    expect(await connectSrc('wss://rt.example.test/ws')).toBe("connect-src 'self' wss://rt.example.test");
    expect(await connectSrc('ws://127.0.0.1:8081/ws')).toBe("connect-src 'self' ws://127.0.0.1:8081");
  });
});

describe('the JWKS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('publishes the public key that verifies our tokens, and nothing private', async () => {
    const p = await registerPlayer(t);
    const res = await t.call('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const kid = JSON.parse(Buffer.from(p.token.split('.')[0]!, 'base64url').toString()).kid;
    expect(res.body.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
    for (const key of res.body.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    const verifier = es256AccessTokens({ ring: jwksKeyRing(res.body), issuer: t.config.jwt.issuer, audience: t.config.jwt.audience, ttlSeconds: 900 });
    expect(verifier.verify(p.token)?.sub).toBe(p.userId);
  });
});
