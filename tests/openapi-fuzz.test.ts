import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { signInAdmin } from './admin-helpers.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';

/**
 * Every operation the contract publishes, with hostile text in every string it takes: NUL and
 * other C0 controls, DEL, C1 controls, bidi overrides and isolates, lone surrogates. In bodies, in
 * query parameters and in path parameters. Whatever the route, the answer is never a 500.
 */
const HOSTILE = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001f',
  '\t\n\r',
  '\u001b[2J',
  '\u007f',
  '\u0085\u009b',
  '\u202eevil\u202c',
  '\u2066x\u2069\u200f',
  '\ufeff',
  '\ud800',
  `${'x'.repeat(300)}\u0000`,
];

/** Percent-encodings that decode to nothing valid, or to controls: what a URL can carry that JSON cannot. */
const RAW_ENCODED = ['%00', 'a%00b', '%1B%5B2J', '%7F', '%FF%FE', '%C0%80', '%E2%80%AE', '%ED%A0%80', '%', '%%30'];

type Schema = {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
};
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; schema?: Schema }>;
  body?: Schema;
}

let t: TestApp;
let token: string;
/** Admin routes are fuzzed as an admin, so their validation is reached (dangerous ones stop at the TOTP check). */
let adminToken: string;
let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false' } });
  token = (await newPilot(t)).token;
  adminToken = (await signInAdmin(t, [...ADMIN_SCOPES])).token;
  doc = (await t.call('GET', '/api/openapi.json')).body;
});
afterAll(async () => {
  await t.close();
});

function resolve(schema: Schema | undefined): Schema {
  let s = schema ?? {};
  while (s.$ref) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
  const branch = s.anyOf ?? s.oneOf ?? s.allOf;
  return branch ? resolve(branch.find((b) => resolve(b).type !== 'null')) : s;
}

/** A plausible value for a schema, so that only the field under attack is wrong. */
function sample(schema: Schema | undefined): unknown {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v)]));
    case 'array':
      return [sample(s.items)];
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      return 'text';
  }
}

/** Every place in a body sample a string can go: each property, at any depth, whatever its type. */
function* bodyVariants(schema: Schema | undefined, value: unknown, bad: string): Generator<{ at: string; body: unknown }> {
  const s = resolve(schema);
  if (s.type === 'object' && value && typeof value === 'object') {
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      yield { at: key, body: { ...(value as object), [key]: bad } };
      for (const inner of bodyVariants(child, (value as Record<string, unknown>)[key], bad)) {
        yield { at: `${key}.${inner.at}`, body: { ...(value as object), [key]: inner.body } };
      }
    }
    yield { at: `key ${JSON.stringify(bad)}`, body: { ...(value as object), [bad]: 'x' } };
  } else if (s.type === 'array') {
    yield { at: '0', body: [bad] };
  }
}

function operations(): Operation[] {
  const list: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      list.push({ method: method.toUpperCase(), path, parameters: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema });
    }
  }
  return list;
}

/** The operation's URL with sample parameters, one of them (or an extra query parameter) replaced; `raw` values go in as they are. */
function url(op: Operation, override?: { name: string; value: string; raw?: boolean }): string {
  const encode = (value: string) =>
    override?.raw && value === override.value
      ? value
      : encodeURIComponent(Buffer.from(value).toString()) /* lone surrogates become U+FFFD, as a browser sends them */;
  let path = op.path;
  const query: string[] = [];
  for (const p of op.parameters) {
    const value = override?.name === p.name ? override.value : String(sample(p.schema));
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encode(value));
    else if (p.in === 'query') query.push(`${encodeURIComponent(p.name)}=${encode(value)}`);
  }
  if (override?.name === '(extra)') query.push(`${encode(override.value)}=1`);
  return query.length ? `${path}?${query.join('&')}` : path;
}

describe('the contract under hostile text', () => {
  it('covers every operation, and no request is answered with a 500', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(14);
    const failures: string[] = [];
    let requests = 0;
    const send = async (op: Operation, path: string, body: unknown, what: string) => {
      requests++;
      const headers: Record<string, string> = op.method === 'POST' ? { 'idempotency-key': `fuzz-${requests}` } : {};
      // Logging out with the bearer token would end the session every other request uses.
      const bearer = op.path === '/api/v1/auth/logout' ? {} : { token: op.path.startsWith('/api/v1/admin') ? adminToken : token };
      const res = await t.call(op.method, path, {
        ...bearer,
        headers,
        ...(body !== undefined ? { rawBody: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } } : {}),
      });
      if (res.status >= 500 || (res.status >= 400 && res.headers.get('content-type') !== 'application/problem+json')) {
        failures.push(`${op.method} ${path} ${what} → ${res.status} ${res.text.slice(0, 160)}`);
      }
    };
    for (const op of ops) {
      const base = op.body ? sample(op.body) : undefined;
      for (const bad of HOSTILE) {
        for (const p of op.parameters) await send(op, url(op, { name: p.name, value: bad }), base, `${p.in} ${p.name}=${JSON.stringify(bad)}`);
        await send(op, url(op, { name: '(extra)', value: bad }), base, `extra query ${JSON.stringify(bad)}`);
        if (op.body) for (const v of bodyVariants(op.body, base, bad)) await send(op, url(op), v.body, `body ${v.at}=${JSON.stringify(bad)}`);
      }
      for (const raw of RAW_ENCODED) {
        for (const p of op.parameters) await send(op, url(op, { name: p.name, value: raw, raw: true }), base, `${p.in} ${p.name}=${raw}`);
        await send(op, url(op, { name: '(extra)', value: raw, raw: true }), base, `extra query ${raw}`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(ops.length * HOSTILE.length);
  }, 300_000);
});
