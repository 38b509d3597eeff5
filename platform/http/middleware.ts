// biome-ignore-all lint/suspicious/noControlCharactersInRegex: these patterns exist to find control characters in input
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes, routePath } from 'hono/route';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { Problem, type FieldError } from '../errors.js';
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
  const tooLarge = () => new Problem('payload_too_large', { detail: `The limit is ${limitBytes} bytes.` });
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
      throw new Problem('unsupported_media_type', {
        detail: type ? `Got ${type}.` : 'No Content-Type was given.',
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Problem('malformed_json');
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

/** C0 controls and DEL mean nothing in a name, a number or a code; NUL cannot even be stored. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** What a free-text field may hold beyond printable text: tab, line feed, carriage return. */
const LINE_BREAK = /[\t\n\r]/;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** In JSON text a control character inside a string is always escaped, and DEL may stand as is. */
const ESCAPED_CONTROL_IN_JSON = /\\[bfnrtu]|\u007f/;
/** A percent-encoded C0 control or DEL in a URL. */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const MAX_FIELD_ERRORS = 20;
const FREE_TEXT = Symbol('free-text fields');

type FreeTextMarker = { [FREE_TEXT]?: string[] };

/**
 * Declares body fields of a route free text (a message, a description): tabs and line breaks are
 * allowed there, other control characters still are not. Fields are dotted paths, `*` for any
 * array index or key: `allowLineBreaks('text', 'lines.*')`.
 */
export function allowLineBreaks(...fields: string[]) {
  const marker = createMiddleware<AppEnv>(async (_c, next) => next());
  (marker as FreeTextMarker)[FREE_TEXT] = fields;
  return marker;
}

/**
 * Every string that comes in (JSON body values and keys, query parameter names and values, path
 * parameters) is refused with 422 `validation_failed` when it holds a control character, before
 * any schema or handler sees it, so no schema can forget to. Runs after `jsonBodies`; the common
 * request, with no escape in its body and no encoded control in its URL, costs two regex tests.
 */
export function refuseControlCharacters() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const errors: FieldError[] = [];
    let target = 'request';
    if (ENCODED_CONTROL.test(c.req.url)) {
      const url = new URL(c.req.url);
      const inPath = pathErrors(c, url.pathname);
      errors.push(...inPath);
      for (const [name, value] of url.searchParams) {
        if (CONTROL.test(name)) errors.push(controlError(printable(name), name));
        else if (CONTROL.test(value)) errors.push(controlError(name, value));
      }
      target = inPath.length ? 'path' : 'query';
    }
    const cache = c.req.bodyCache as { json?: Promise<unknown>; text?: Promise<string> };
    if (errors.length === 0 && cache.text && ESCAPED_CONTROL_IN_JSON.test(await cache.text)) {
      const freeText = freeTextFields(c);
      walkJson(await cache.json, [], (path, text) => {
        const allowed = freeText.length > 0 && LINE_BREAK.test(text) && freeText.some((field) => fieldMatches(field, path));
        const refused = allowed ? CONTROL_BUT_LINE_BREAKS : CONTROL;
        if (refused.test(text)) errors.push(controlError(path.join('.'), text, refused));
      });
      target = 'body';
    }
    if (errors.length === 0) return next();
    throw new Problem('validation_failed', {
      detail: `The ${target} has ${errors.length} problem(s); see errors.`,
      errors: errors.slice(0, MAX_FIELD_ERRORS),
    });
  });
}

function controlError(path: string, text: string, pattern = CONTROL): FieldError {
  const found = pattern.exec(text)![0].charCodeAt(0);
  return { path, code: 'control_character', message: `contains a control character (U+${found.toString(16).toUpperCase().padStart(4, '0')})` };
}

/** A key as it can be shown in a field path: its control characters written as \uXXXX. */
function printable(key: string): string {
  return key.replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Calls `visit` with the path (keys printable) of every string value and of every key holding a control character. */
function walkJson(value: unknown, path: string[], visit: (path: string[], text: string) => void): void {
  if (typeof value === 'string') visit(path, value);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walkJson(item, [...path, String(i)], visit);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = [...path, printable(key)];
      if (CONTROL.test(key)) visit(at, key);
      else walkJson(item, at, visit);
    }
  }
}

/** Path parameters with a control character, named after the matched route's pattern (`/sectors/:id` → `id`). */
function pathErrors(c: Context<AppEnv>, pathname: string): FieldError[] {
  const pattern =
    matchedRoutes(c)
      .findLast((r) => r.method !== 'ALL')
      ?.path.split('/') ?? [];
  const errors: FieldError[] = [];
  pathname.split('/').forEach((segment, i) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return;
    }
    if (!CONTROL.test(decoded)) return;
    const param = pattern[i]?.startsWith(':')
      ? pattern[i]!.slice(1)
          .replace(/\{.*\}$/, '')
          .replace(/\?$/, '')
      : 'path';
    errors.push(controlError(param, decoded));
  });
  return errors;
}

function freeTextFields(c: Context<AppEnv>): string[] {
  return matchedRoutes(c).flatMap((r) => (r.handler as FreeTextMarker)[FREE_TEXT] ?? []);
}

function fieldMatches(field: string, path: string[]): boolean {
  const parts = field.split('.');
  return parts.length === path.length && parts.every((part, i) => part === '*' || part === path[i]);
}
