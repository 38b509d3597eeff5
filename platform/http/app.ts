import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { isDatabaseUnreachable, isInTransitRefusal } from '../db/database.js';
import { Problem, problemResponse } from '../errors.js';
import { readiness } from '../readiness.js';
import type { AppEnv, Bundle, Deps } from './context.js';
import { clientAddress, corsFor, jsonBodies, observe, refuseControlCharacters } from './middleware.js';
import { apiLimits } from './api-limits.js';
import { finishDocument } from './openapi-document.js';
import { renderDocsPage, type DocumentLike } from './docs-page.js';
import { serveSinglePageApp } from './static.js';

export const API_INFO = {
  title: 'SectorWars API',
  version: '1',
  description:
    'The SectorWars game API. Every error is application/problem+json with a stable `code`. ' +
    'Authenticated routes take `Authorization: Bearer <access_token>`; mutating game routes accept `Idempotency-Key`.',
};

export interface AppOptions {
  /** A built single-page app to serve at `/` (the `all` role passes web/dist). */
  webRoot?: string;
  /** The built admin SPA to serve at `/admin/` (the `all` role passes admin/dist). */
  adminRoot?: string;
}

/**
 * The HTTP face of one process: cross-cutting middleware, the operational endpoints, the
 * handler bundles it was asked to serve (all of them for `api`/`all`, one for `api --bundle`)
 * and, when given a web root, the player's web client.
 */
export function createApp(deps: Deps, bundles: Bundle[], options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const { config, logger, metrics } = deps;
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', clientAddress(config.trustedProxies));
  app.use('*', observe(logger, metrics));
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Our own origin (the API, and /ws when realtime shares it) and the configured realtime server only.
        connectSrc: ["'self'", ...realtimeOrigin(config.realtime.publicUrl)],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        frameAncestors: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    '/api/*',
    corsFor(config.allowedOrigins, {
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposeHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy'],
      maxAgeSeconds: 600,
    }),
  );
  app.use('/api/*', apiLimits(deps));
  app.use('/api/*', jsonBodies(config.bodyLimitBytes));
  app.use('/api/*', refuseControlCharacters());

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const { httpStatus, body } = await readiness(deps);
    return c.json(body, httpStatus);
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  // The public half of the access-token key ring: realtime, regional servers and anyone else verify with it.
  app.get('/.well-known/jwks.json', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(deps.tokens.jwks());
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An ES256 access token from /api/v1/auth/login, /register or /refresh (the web client); its public keys are at /.well-known/jwks.json.',
  });
  for (const bundle of bundles) app.route(bundle.basePath, bundle.create(deps));

  const document = () => finishDocument(app.getOpenAPIDocument({ openapi: '3.0.3', info: API_INFO }) as unknown as Record<string, unknown>);
  app.get('/api/openapi.json', (c) => c.json(document()));
  app.get('/api/docs', (c) => c.html(renderDocsPage(document() as unknown as DocumentLike)));
  // The admin SPA first: under /admin the player's client never answers, built or not.
  if (options.adminRoot) serveSinglePageApp(app, options.adminRoot, { mount: '/admin' });
  if (options.webRoot) serveSinglePageApp(app, options.webRoot, { except: /^\/admin(\/|$)/ });

  app.notFound((c) => problemResponse(new Problem('not_found', { detail: `${c.req.method} ${c.req.path}` }), c.get('requestId')));
  app.onError((err, c) => {
    const requestId = c.get('requestId');
    if (err instanceof Problem) return problemResponse(err, requestId);
    if (err instanceof HTTPException) return problemResponse(fromHttpException(err), requestId);
    // The in-transit guard (migrations/region/0009_gate.ts) refused a write to a crossing pilot.
    if (isInTransitRefusal(err)) return problemResponse(new Problem('in_transit', { headers: { 'retry-after': '1' } }), requestId);
    if (isDatabaseUnreachable(err)) {
      (c.get('log') ?? logger).warn({ err: (err as Error).message, req_id: requestId }, 'database unreachable');
      return problemResponse(new Problem('database_unavailable', { headers: { 'retry-after': '5' } }), requestId);
    }
    (c.get('log') ?? logger).error({ err, req_id: requestId }, 'unhandled error');
    return problemResponse(new Problem('internal_error', { detail: 'The error has been logged with this request id.' }), requestId);
  });
  return app;
}

/** The origin of an absolute ws(s):// realtime URL; a path is on our own origin, which 'self' covers. */
function realtimeOrigin(publicUrl: string): string[] {
  return /^wss?:\/\//.test(publicUrl) ? [new URL(publicUrl).origin] : [];
}

function fromHttpException(err: HTTPException): Problem {
  switch (err.status) {
    case 400:
      return new Problem('bad_request', err.message ? { detail: err.message } : {});
    case 401:
      return new Problem('unauthenticated');
    case 404:
      return new Problem('not_found');
    case 413:
      return new Problem('payload_too_large');
    default:
      // Hono raises no other statuses on our routes; anything else is a bug, answered without internals.
      return new Problem('internal_error', { detail: `HTTP ${err.status}` });
  }
}
