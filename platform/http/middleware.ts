import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { Problem } from '../errors.js';
import type { AppEnv } from './context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Request id (nginx's X-Request-Id when it looks sane, a fresh one otherwise), a logger bound to
 * it, and on the way out one access-log line and the route metrics.
 */
export function observe(logger: Logger, metrics: Metrics) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ req_id: requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const started = performance.now();
    try {
      await next();
    } finally {
      // Set on the finished response's own headers: c.header() after the handler would rebuild
      // the response around a body stream on every request.
      c.res.headers.set('x-request-id', requestId);
      const seconds = (performance.now() - started) / 1000;
      const route = matchedRoute(c);
      const labels = { method: c.req.method, route, status: String(c.res.status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      log.info(
        { method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10, ip: c.get('clientIp') },
        'request',
      );
    }
  });
}

function matchedRoute(c: Parameters<typeof routePath>[0]): string {
  // The last matched handler's pattern; '/*' is our own middleware, which means nothing matched.
  const route = routePath(c, -1);
  return !route || route === '/*' ? 'unmatched' : route;
}

/**
 * The caller's address: the socket's peer, or the X-Real-IP that nginx sets when (and only
 * when) the peer is one of the configured trusted proxies. Clients cannot spoof it.
 */
export function clientAddress(trustedProxies: string[]) {
  const isTrusted = proxyMatcher(trustedProxies);
  return createMiddleware<AppEnv>(async (c, next) => {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const peer = normalizeIp(env?.incoming?.socket?.remoteAddress ?? 'unknown');
    const forwarded = c.req.header('x-real-ip');
    c.set('clientIp', isTrusted(peer) && forwarded ? normalizeIp(forwarded.trim()) : peer);
    await next();
  });
}

/** Trusted proxies as exact addresses or IPv4 CIDR blocks (compose networks: 172.16.0.0/12). */
export function proxyMatcher(entries: string[]): (ip: string) => boolean {
  const exact = new Set<string>();
  const blocks: Array<{ base: number; mask: number }> = [];
  for (const entry of entries) {
    const [addr, bits] = entry.split('/');
    const base = addr ? ipv4ToInt(addr) : null;
    if (bits !== undefined && base !== null) {
      const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
      blocks.push({ base: (base & mask) >>> 0, mask });
    } else exact.add(entry);
  }
  return (ip) => {
    if (exact.has(ip)) return true;
    const value = ipv4ToInt(ip);
    return value !== null && blocks.some((b) => (value & b.mask) >>> 0 === b.base);
  };
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * The API speaks JSON: a request that carries a body must say it is JSON, fit the size limit
 * and be JSON. The body is read once, here, straight from Node's request when there is one (no
 * Web Request is built for it), and left parsed in Hono's body cache for the validators and as
 * text for the idempotency hash. An empty body reads as `{}` so body-optional routes accept bare
 * POSTs.
 */
export function jsonBodies(limitBytes: number) {
  const tooLarge = () => new Problem(413, 'payload_too_large', 'The request body is too large', { detail: `The limit is ${limitBytes} bytes.` });
  return createMiddleware<AppEnv>(async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > limitBytes) throw tooLarge();
    const text = await readBody(c, limitBytes, tooLarge);
    const cache = c.req.bodyCache as { json?: Promise<unknown>; text?: Promise<string> };
    cache.text = Promise.resolve(text);
    if (text.length === 0) {
      cache.json = Promise.resolve({});
      return next();
    }
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type)) {
      throw new Problem(415, 'unsupported_media_type', 'Request bodies must be application/json', {
        detail: type ? `Got ${type}.` : 'No Content-Type was given.',
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Problem(400, 'malformed_json', 'The request body is not valid JSON');
    }
    cache.json = Promise.resolve(parsed);
    await next();
  });
}

type IncomingBody = AsyncIterable<Buffer> & { resume(): void };

async function readBody(c: Context<AppEnv>, limitBytes: number, tooLarge: () => Problem): Promise<string> {
  const env = (c.env as { incoming?: Partial<IncomingBody> } | undefined)?.incoming;
  const incoming = env && typeof env[Symbol.asyncIterator] === 'function' && typeof env.resume === 'function' ? (env as IncomingBody) : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.byteLength;
    if (size > limitBytes) throw tooLarge();
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  };
  try {
    if (incoming) {
      for await (const chunk of incoming) take(chunk);
    } else if (c.req.raw.body) {
      for await (const chunk of c.req.raw.body) take(chunk);
    }
  } catch (err) {
    // Whatever the client still sends is drained, so the 413 reaches it on this connection.
    if (err instanceof Problem) incoming?.resume();
    throw err;
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

/**
 * CORS for the API, for the origins allowed by configuration: preflights are answered here,
 * other responses get their headers set on the finished response (never rebuilt).
 */
export function corsFor(allowedOrigins: readonly string[], options: { allowHeaders: string[]; exposeHeaders: string[]; maxAgeSeconds: number }) {
  const allowed = new Set(allowedOrigins);
  const allowMethods = 'GET,HEAD,PUT,POST,DELETE,PATCH';
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin');
    const permitted = origin !== undefined && allowed.has(origin);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers: Record<string, string> = { vary: 'Origin' };
      if (permitted) {
        headers['access-control-allow-origin'] = origin;
        headers['access-control-allow-credentials'] = 'true';
        headers['access-control-allow-methods'] = allowMethods;
        headers['access-control-allow-headers'] = options.allowHeaders.join(',');
        headers['access-control-max-age'] = String(options.maxAgeSeconds);
      }
      return c.body(null, 204, headers);
    }
    await next();
    const headers = c.res.headers;
    headers.append('vary', 'Origin');
    if (permitted) {
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-allow-credentials', 'true');
      headers.set('access-control-expose-headers', options.exposeHeaders.join(','));
    }
  });
}
