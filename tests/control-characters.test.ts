import { createRoute, z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundles } from '../handlers/index.js';
import { bundleRouter, type Bundle } from '../platform/http/context.js';
import { allowLineBreaks } from '../platform/http/middleware.js';
import { createTestApp, registerPlayer, type TestApp } from './harness.js';

/**
 * Text from outside never carries control characters where they mean nothing: PostgreSQL cannot
 * store NUL at all, and the rest are spoofing or log injection. Every body, query and path value
 * is checked before any schema or handler sees it.
 */
// A route with a free-text field, as a message board would have: its text may hold line breaks and tabs.
const noteBundle: Bundle = {
  name: 'note',
  basePath: '/api/v1/test',
  create: () =>
    bundleRouter().openapi(
      {
        ...createRoute({
          method: 'post',
          path: '/note',
          request: { body: { content: { 'application/json': { schema: z.object({ title: z.string(), text: z.string() }) } } } },
          responses: { 200: { description: 'echo', content: { 'application/json': { schema: z.object({ title: z.string(), text: z.string() }) } } } },
        }),
        middleware: [allowLineBreaks('text')] as const,
      },
      (c) => c.json(c.req.valid('json'), 200),
    ),
};

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp({ bundles: [...bundles, noteBundle] });
  token = (await registerPlayer(t)).token;
});
afterAll(async () => {
  await t.close();
});

const problem = (res: { status: number; body: any }) => ({ status: res.status, code: res.body?.code, errors: res.body?.errors });
const refusal = (path: string) => ({
  status: 422,
  code: 'validation_failed',
  errors: [{ path, code: 'control_character', message: expect.stringMatching(/control character/) }],
});

describe('control characters', () => {
  it('refuse a NUL in a login with 422 naming the field, not a 500', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { body: { username: 'a\u0000b', password: 'x' } });
    expect(problem(res)).toEqual(refusal('username'));
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuse other C0 controls, DEL and line breaks in fields that are not free text, nested too', async () => {
    for (const bad of ['\u0001', '\u001b[31m', '\t', 'line\nbreak', '\r', '\u007f']) {
      const name = `pilot${bad}x`;
      const res = await t.call('POST', '/api/v1/auth/register', { body: { username: name, email: 'x@example.test', password: 'correct horse battery' } });
      expect(problem(res), JSON.stringify(bad)).toEqual(refusal('username'));
    }
    const key = await t.call('POST', '/api/v1/auth/login', { body: { 'user\u0000name': 'a', password: 'x' } });
    expect(problem(key)).toEqual(refusal('user\\u0000name'));
    const deep = await t.call('POST', '/api/v1/trade/buy', { token, body: { good: 'ore', quantity: 1, note: [{ text: 'a\u0000' }] } });
    expect(problem(deep)).toEqual(refusal('note.0.text'));
  });

  it('refuse them in query and path parameters', async () => {
    expect(problem(await t.call('GET', '/api/v1/trade/quote?good=ore%00&quantity=1&side=buy', { token }))).toEqual(refusal('good'));
    expect(problem(await t.call('GET', '/api/v1/nav/plot?to=2%0A', { token }))).toEqual(refusal('to'));
    expect(problem(await t.call('GET', '/api/v1/sectors/1%00', { token }))).toEqual(refusal('id'));
    expect(problem(await t.call('GET', '/api/v1/rankings?by%00=networth', { token }))).toEqual(refusal('by\\u0000'));
  });

  it('allow tabs and line breaks only in fields a route declares free text, and never NUL', async () => {
    const ok = await t.call('POST', '/api/v1/test/note', { body: { title: 'log', text: 'line one\n\tline two\r\n' } });
    expect([ok.status, ok.body]).toEqual([200, { title: 'log', text: 'line one\n\tline two\r\n' }]);
    expect(problem(await t.call('POST', '/api/v1/test/note', { body: { title: 'log\n', text: 'x' } }))).toEqual(refusal('title'));
    expect(problem(await t.call('POST', '/api/v1/test/note', { body: { title: 'log', text: 'a\u0000b' } }))).toEqual(refusal('text'));
    expect(problem(await t.call('POST', '/api/v1/test/note', { body: { title: 'log', text: '\u001b[2J' } }))).toEqual(refusal('text'));
  });

  it('let ordinary text through: spaces, accents, other scripts', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { body: { username: 'Ångström ǅ 星', password: 'pass phrase with spaces' } });
    expect([res.status, res.body.code]).toEqual([401, 'invalid_credentials']);
  });
});
