import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { type TestAdmin, signInAdmin } from './admin-helpers.js';
import { findTradingPort, newPilot, placePilot } from './game-helpers.js';

let t: TestApp;
let token: string;
let userId: string;
let admin: TestAdmin;
beforeAll(async () => {
  t = await createTestApp();
  const p = await newPilot(t);
  token = p.token;
  userId = p.userId;
  admin = await signInAdmin(t, [...ADMIN_SCOPES]);
  const port = await findTradingPort(t);
  await placePilot(t, userId, port.sector_id);
  await t.region
    .updateTable('ships')
    .set({ [`cargo_${port.buys}`]: 10 })
    .where('owner_user_id', '=', userId)
    .execute();
});
afterAll(async () => {
  await t.close();
});

/** Everything a refused request must leave exactly as it was. */
async function snapshot() {
  const result = await sql<Record<string, unknown>>`
    select
      (select row_to_json(p)::text from (select user_id, sector_id, credits, turns, experience from players where user_id = ${userId}) p) as player,
      (select row_to_json(s)::text from (select holds, cargo_ore, cargo_organics, cargo_equipment, cargo_colonists from ships where owner_user_id = ${userId}) s) as ship,
      (select sum(stock)::bigint from port_goods) as stock,
      (select count(*)::int from credit_ledger) as ledger,
      (select count(*)::int from outbox) as events,
      (select count(*)::int from idempotency_keys) as keys,
      (select count(*)::int from users) as users,
      (select count(*)::int from admin_audit) as audit,
      (select row_to_json(u)::text from (select status, scopes, password_reset_required from users where id = ${userId}) u) as account`.execute(t.region);
  return result.rows[0];
}

const NUMBERS: unknown[] = [-1, 0, 1.5, 2 ** 53 + 1, 1e308, -1e308, '12', '', null, true, [], {}, 'NaN', '999999999999999999999999'];
const GOODS: unknown[] = ['gold', 'ORE', '', 42, null, ['ore'], { good: 'ore' }, 'ore\u0000', 'colonists '.repeat(100)];

interface Case {
  method: string;
  path: string;
  body?: unknown;
  /** sent as the admin, with a fresh TOTP code */
  admin?: boolean;
}

const adminCase = (method: string, path: string, body?: unknown): Case => ({
  method,
  path: `/api/v1/admin${path}`,
  ...(body !== undefined ? { body } : {}),
  admin: true,
});
const player = () => `/players/${userId}`;

const cases: Case[] = [
  ...NUMBERS.map((to) => ({ method: 'POST', path: '/api/v1/player/move', body: { to } })),
  { method: 'POST', path: '/api/v1/player/move', body: {} },
  { method: 'POST', path: '/api/v1/player/move', body: { to: 2, warp: true } },
  { method: 'POST', path: '/api/v1/player/move', body: { to: 2_000_000 } },
  ...NUMBERS.map((to) => ({ method: 'POST', path: '/api/v1/nav/autopilot', body: { to } })),
  { method: 'POST', path: '/api/v1/nav/autopilot', body: { to: 999_999 } },
  ...['buy', 'sell'].flatMap((side) => [
    ...NUMBERS.map((quantity) => ({ method: 'POST', path: `/api/v1/trade/${side}`, body: { good: 'ore', quantity } })),
    ...GOODS.map((good) => ({ method: 'POST', path: `/api/v1/trade/${side}`, body: { good, quantity: 1 } })),
    { method: 'POST', path: `/api/v1/trade/${side}`, body: { good: 'ore' } },
    { method: 'POST', path: `/api/v1/trade/${side}`, body: { quantity: 1 } },
    { method: 'POST', path: `/api/v1/trade/${side}`, body: { good: 'ore', quantity: 1, price: 1 } },
    { method: 'POST', path: `/api/v1/trade/${side}`, body: [] },
    { method: 'POST', path: `/api/v1/trade/${side}`, body: 'ore' },
    { method: 'POST', path: `/api/v1/trade/${side}`, body: { good: 'ore', quantity: 1_000_001 } },
  ]),
  ...[
    'quantity=-1&good=ore&side=buy',
    'quantity=abc&good=ore&side=buy',
    'quantity=1&good=gold&side=buy',
    'quantity=1&good=ore&side=steal',
    'good=ore&side=buy',
    'quantity=1&good=ore&side=buy&x=1',
    'quantity=1e400&good=ore&side=buy',
  ].map((q) => ({ method: 'GET', path: `/api/v1/trade/quote?${q}` })),
  ...['to=-5', 'to=abc', 'to=', 'to=1.5', 'to=99999999999', 'from=1'].map((q) => ({ method: 'GET', path: `/api/v1/nav/plot?${q}` })),
  ...['0', '-1', 'abc', '1.5', '99999999999', '%00'].map((id) => ({ method: 'GET', path: `/api/v1/sectors/${id}` })),
  ...['after=-1', 'after=abc', 'limit=0', 'limit=100000', 'after=1&extra=1'].map((q) => ({ method: 'GET', path: `/api/v1/events?${q}` })),
  ...['by=wealth', 'page=0', 'per_page=1000', 'page=abc'].map((q) => ({ method: 'GET', path: `/api/v1/rankings?${q}` })),
  // Admin routes, as an admin who passed every gate: the input itself is wrong.
  ...['not-a-uuid', '0', '%00'].map((id) => adminCase('GET', `/players/${id}`)),
  ...['limit=0', 'limit=1000', 'cursor=forged', 'q=x&extra=1'].map((q) => adminCase('GET', `/players?${q}`)),
  ...['actor=nope', 'action=DROP', 'from=yesterday', 'limit=-1', 'cursor=%7B%7D'].map((q) => adminCase('GET', `/audit?${q}`)),
];

/** Cases whose path needs the pilot's id, known once beforeAll ran. */
const playerCases = (): Case[] => [
  // -1 is a fine adjustment; every other value is not.
  ...NUMBERS.filter((n) => n !== -1).map((delta) => adminCase('POST', `${player()}/credits`, { delta, reason: 'bad input' })),
  adminCase('POST', `${player()}/credits`, { delta: 10 }),
  adminCase('POST', `${player()}/credits`, { delta: 10, reason: '' }),
  adminCase('POST', `${player()}/credits`, { delta: -1_000_000_000, reason: 'more than the pilot has' }),
  adminCase('POST', `${player()}/ban`, { reason: 'x' }),
  adminCase('POST', `${player()}/ban`, {}),
  adminCase('POST', `${player()}/suspend`, { reason: 'cooling off', hours: 0 }),
  adminCase('POST', `${player()}/suspend`, { reason: 'cooling off', hours: 1e9 }),
  ...NUMBERS.map((sector_id) => adminCase('POST', `${player()}/move`, { sector_id, reason: 'bad input' })),
  adminCase('POST', `${player()}/move`, { sector_id: 9_999_999, reason: 'no such sector' }),
  adminCase('POST', `${player()}/password-reset`, { reason: 'r', extra: true }),
  adminCase('POST', '/scopes/grant', { user_id: userId, scopes: ['admin:root'], reason: 'bad scope' }),
  adminCase('POST', '/scopes/grant', { user_id: userId, scopes: [], reason: 'no scope' }),
  adminCase('POST', '/scopes/grant', { user_id: userId, scopes: ['admin:read', 'admin:read'], reason: 'twice' }),
  adminCase('POST', '/scopes/requests', { user_id: 'nobody', scopes: ['admin:read'], reason: 'bad id' }),
  adminCase('POST', '/scopes/requests/abc/approve'),
  adminCase('POST', '/scopes/requests/99999999/approve'),
];

describe('bad input', () => {
  it(`gets a 4xx problem with a code, never a 500, and changes nothing (${cases.length} cases)`, async () => {
    const before = await snapshot();
    for (const c of [...cases, ...playerCases()]) {
      const headers: Record<string, string> = c.admin && c.method === 'POST' ? { 'x-totp-code': await admin.code() } : {};
      const res = await t.call(c.method, c.path, { token: c.admin ? admin.token : token, headers, ...(c.body !== undefined ? { body: c.body } : {}) });
      const label = `${c.method} ${c.path} ${JSON.stringify(c.body)} → ${res.status} ${res.text.slice(0, 200)}`;
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      expect(res.headers.get('content-type'), label).toBe('application/problem+json');
      expect(typeof res.body.code, label).toBe('string');
    }
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('random JSON bodies on every mutating route never cause a 500', async () => {
    const routes = [
      '/api/v1/player/move',
      '/api/v1/nav/autopilot',
      '/api/v1/trade/buy',
      '/api/v1/trade/sell',
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/login/totp',
      '/api/v1/auth/account-link',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 3 }), async (path, body) => {
        const res = await t.call('POST', path, { token, rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect(res.status, `${path} ${JSON.stringify(body)} → ${res.text}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
