import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { type TestAdmin, signInAdmin } from './admin-helpers.js';
import { ledgerMismatches, newPilot } from './game-helpers.js';
import { createTestApp, registerPlayer, testBackends, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';

let t: TestApp;
let rt: RealtimeServer;
/** holds every admin scope, TOTP enrolled and used */
let root: TestAdmin;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false', REDIS_PREFIX: `${testBackends().redisPrefix}adm-${randomBytes(3).toString('hex')}:` } });
  // The session sweep runs every 20 s as in production: only the ban itself can close a socket within a second.
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0 });
  root = await signInAdmin(t, [...ADMIN_SCOPES]);
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

const auditCount = async () => (await t.accounts.selectFrom('admin_audit').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
const auditRows = (action: string, target: string) =>
  t.accounts.selectFrom('admin_audit').selectAll().where('action', '=', action).where('target_id', '=', target).orderBy('id').execute();
const admin = async (as: TestAdmin, method: string, path: string, body?: unknown, totp = false) =>
  t.call(method, `/api/v1/admin${path}`, {
    token: as.token,
    ...(body !== undefined ? { body } : {}),
    ...(totp ? { headers: { 'x-totp-code': await as.code() } } : {}),
  });

interface AdminOperation {
  method: string;
  path: string;
  scope: string;
  totp: boolean;
}

async function adminOperations(): Promise<AdminOperation[]> {
  const doc = (await t.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/admin'))
    .flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replace('{id}', path.includes('/requests/') ? '1' : randomUUID()),
        scope: op['x-admin-scope'] as string,
        totp: op['x-totp-required'] as boolean,
      })),
    );
}

describe('the admin gate', () => {
  it('declares a scope on every admin operation', async () => {
    const ops = await adminOperations();
    expect(ops.length).toBeGreaterThanOrEqual(18);
    for (const op of ops) expect(ADMIN_SCOPES, `${op.method} ${op.path}`).toContain(op.scope);
    const dangerous = ops.filter((op) => op.totp).map((op) => `${op.method} ${op.path.replace(/[0-9a-f-]{36}/, '{id}')}`);
    expect(dangerous.sort()).toEqual(
      [
        'POST /api/v1/admin/players/{id}/ban',
        'POST /api/v1/admin/players/{id}/credits',
        'POST /api/v1/admin/players/{id}/suspend',
        'POST /api/v1/admin/players/{id}/unban',
        'POST /api/v1/admin/scopes/grant',
        'POST /api/v1/admin/scopes/revoke',
        'POST /api/v1/admin/scopes/requests/1/approve',
        'POST /api/v1/admin/moderation/pilots/{id}/mute',
        'POST /api/v1/admin/moderation/pilots/{id}/unmute',
        'POST /api/v1/admin/universe/generate/commit',
        'POST /api/v1/admin/universe/regions',
        'POST /api/v1/admin/universe/sectors/{id}/warps',
        'POST /api/v1/admin/universe/ports/{id}',
        'POST /api/v1/admin/universe/planets/{id}',
      ].sort(),
    );
  });

  it('refuses a player, a personal access token, an admin without the scope and an admin without the second factor, on every route', async () => {
    const ops = await adminOperations();
    const player = await registerPlayer(t);
    const pat = await t.call('POST', '/api/v1/auth/tokens', { token: player.token, body: { name: 'bot', scopes: ['game:play'] } });
    expect(pat.status).toBe(201);
    // One admin per route scope, holding every scope but that one.
    const lacking = new Map<string, TestAdmin>();
    for (const scope of new Set(ops.map((op) => op.scope)))
      lacking.set(
        scope,
        await signInAdmin(
          t,
          ADMIN_SCOPES.filter((s) => s !== scope),
        ),
      );
    // Every scope, TOTP enrolled, but this session signed in before it: no second factor.
    const enrolledNoFactor = await signInAdmin(t, [...ADMIN_SCOPES]);
    // Every scope and no TOTP at all.
    const unenrolled = await registerPlayer(t);
    await t.accounts
      .updateTable('users')
      .set({ scopes: [...ADMIN_SCOPES] })
      .where('id', '=', unenrolled.userId)
      .execute();

    const before = await auditCount();
    const failures: string[] = [];
    const expectRefusal = async (op: AdminOperation, token: string, who: string, code: string) => {
      const res = await t.call(op.method, op.path, { token, ...(op.method === 'GET' ? {} : { body: {} }), headers: { 'x-totp-code': '000000' } });
      if (res.status !== 403 || res.body?.code !== code) failures.push(`${who} ${op.method} ${op.path} → ${res.status} ${res.body?.code}`);
    };
    for (const op of ops) {
      await expectRefusal(op, player.token, 'player', 'insufficient_scope');
      await expectRefusal(op, pat.body.token, 'personal access token', 'insufficient_scope');
      await expectRefusal(op, lacking.get(op.scope)!.token, `admin without ${op.scope}`, 'insufficient_scope');
      await expectRefusal(op, enrolledNoFactor.playerToken, 'admin session without TOTP', 'second_factor_required');
      await expectRefusal(op, unenrolled.token, 'admin not enrolled', 'second_factor_required');
    }
    expect(failures).toEqual([]);
    expect(await auditCount()).toBe(before);
  }, 120_000);

  it('stops a revoked scope at once, though the token still carries it', async () => {
    const reader = await signInAdmin(t, ['admin:read']);
    expect((await admin(reader, 'GET', '/audit')).status).toBe(200);
    const revoked = await admin(root, 'POST', '/scopes/revoke', { user_id: reader.userId, scopes: ['admin:read'], reason: 'left the team' }, true);
    expect(revoked.status).toBe(200);
    expect(revoked.body.after.scopes).toEqual([]);
    const res = await admin(reader, 'GET', '/audit');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_scope');
  });
});

describe('scopes', () => {
  it('are granted only by admin:scopes holders, and only scopes they hold', async () => {
    const target = await registerPlayer(t);
    const noScopesRight = await signInAdmin(t, ['admin:read', 'admin:players']);
    const denied = await admin(noScopesRight, 'POST', '/scopes/grant', { user_id: target.userId, scopes: ['admin:read'], reason: 'please' }, true);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('insufficient_scope');

    const granter = await signInAdmin(t, ['admin:scopes', 'admin:read']);
    const notHeld = await admin(
      granter,
      'POST',
      '/scopes/grant',
      { user_id: target.userId, scopes: ['admin:read', 'admin:economy'], reason: 'new support' },
      true,
    );
    expect(notHeld.status).toBe(403);
    expect(notHeld.body.code).toBe('scope_not_held');
    expect((await admin(granter, 'POST', '/scopes/grant', { user_id: granter.userId, scopes: ['admin:read'], reason: 'myself' }, true)).body.code).toBe(
      'cannot_target_self',
    );
    expect(await auditRows('scopes.grant', target.userId)).toHaveLength(0);

    const granted = await admin(granter, 'POST', '/scopes/grant', { user_id: target.userId, scopes: ['admin:read'], reason: 'new support' }, true);
    expect(granted.status).toBe(200);
    expect(granted.body.after).toEqual({ user_id: target.userId, scopes: ['admin:read'] });
    const rows = await auditRows('scopes.grant', target.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: granter.userId, before: { scopes: [] }, after: { scopes: ['admin:read'] }, reason: 'new support' });
    expect(granted.body.audit).toMatchObject({ id: Number(rows[0]!.id), action: 'scopes.grant', request_id: expect.any(String) });
  });

  it('are requested by one admin and approved by another, never by the requester', async () => {
    const requester = await signInAdmin(t, ['admin:read', 'admin:scopes']);
    const target = await registerPlayer(t);
    const asked = await admin(requester, 'POST', '/scopes/requests', { user_id: target.userId, scopes: ['admin:players'], reason: 'moderator on call' });
    expect(asked.status).toBe(201);
    const id = asked.body.request.id as number;
    expect(asked.body.request).toMatchObject({ status: 'pending', requested_by: requester.userId, username: target.username });
    expect((await admin(requester, 'GET', '/scopes/requests')).body.requests.map((r: { id: number }) => r.id)).toContain(id);

    const own = await admin(requester, 'POST', `/scopes/requests/${id}/approve`, undefined, true);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('self_approval');
    const notHolding = await signInAdmin(t, ['admin:read', 'admin:scopes']);
    expect((await admin(notHolding, 'POST', `/scopes/requests/${id}/approve`, undefined, true)).body.code).toBe('scope_not_held');

    const approved = await admin(root, 'POST', `/scopes/requests/${id}/approve`, undefined, true);
    expect(approved.status).toBe(200);
    expect(approved.body.request).toMatchObject({ status: 'approved', decided_by: root.userId });
    const user = await t.accounts.selectFrom('users').select('scopes').where('id', '=', target.userId).executeTakeFirstOrThrow();
    expect(user.scopes).toEqual(['admin:players']);
    const rows = await auditRows('scopes.approve', target.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ before: { status: 'pending', scopes: [] }, after: { status: 'approved', scopes: ['admin:players'] } });
    expect((await admin(root, 'POST', `/scopes/requests/${id}/reject`, { reason: 'too late' })).body.code).toBe('request_decided');
  });

  it('lists the catalog, the caller’s own scopes and who holds what', async () => {
    const reader = await signInAdmin(t, ['admin:read']);
    const res = await admin(reader, 'GET', '/scopes');
    expect(res.status).toBe(200);
    expect(res.body.catalog.map((c: { scope: string }) => c.scope)).toEqual([...ADMIN_SCOPES]);
    expect(res.body.yours).toEqual(['admin:read']);
    expect(res.body.admins).toContainEqual({ id: reader.userId, username: reader.username, scopes: ['admin:read'], totp_enrolled: true });
  });

  it('tell the caller who they are and what they hold now (what the admin SPA shows)', async () => {
    const ops = await signInAdmin(t, ['admin:read', 'admin:players']);
    const me = await admin(ops, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: ops.userId, username: ops.username, scopes: ['admin:read', 'admin:players'], totp_enrolled: true });
    await t.accounts
      .updateTable('users')
      .set({ scopes: ['admin:read'] })
      .where('id', '=', ops.userId)
      .execute();
    expect((await admin(ops, 'GET', '/me')).body.scopes).toEqual(['admin:read']);
  });
});

describe('players', () => {
  it('are found by name, email or id', async () => {
    const p = await registerPlayer(t);
    const byName = await admin(root, 'GET', `/players?q=${p.username.slice(2).toUpperCase()}`);
    expect(byName.status).toBe(200);
    expect(byName.body.players.map((u: { id: string }) => u.id)).toEqual([p.userId]);
    expect((await admin(root, 'GET', `/players?q=${encodeURIComponent(`${p.username}@example`)}`)).body.players[0].id).toBe(p.userId);
    expect((await admin(root, 'GET', `/players?q=${p.userId}`)).body.players).toEqual([
      expect.objectContaining({ id: p.userId, username: p.username, status: 'active', totp_enrolled: false }),
    ]);
    // Pages follow the opaque cursor; a forged one is refused.
    const first = await admin(root, 'GET', '/players?limit=2');
    expect(first.body.players).toHaveLength(2);
    const second = await admin(root, 'GET', `/players?limit=2&cursor=${first.body.next}`);
    expect(second.body.players[0].id).not.toBe(first.body.players[0].id);
    expect((await admin(root, 'GET', '/players?cursor=bm9wZQ')).body.code).toBe('invalid_cursor');
  });

  it('shows an account, its pilot, ship, ledger, sessions and tokens', async () => {
    const p = await newPilot(t);
    await t.call('POST', '/api/v1/auth/tokens', { token: p.token, body: { name: 'trader', scopes: ['game:read'] } });
    const res = await admin(root, 'GET', `/players/${p.userId}`);
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ id: p.userId, username: p.username, status: 'active' });
    expect(res.body.pilot).toMatchObject({ name: p.username, sector_id: 1 });
    expect(res.body.ship).toMatchObject({ hull: 'light_freighter', cargo: { ore: 0, organics: 0, equipment: 0, colonists: 0 } });
    expect(res.body.ledger).toEqual([expect.objectContaining({ reason: 'starting_credits', balance_after: res.body.pilot.credits })]);
    expect(res.body.sessions).toHaveLength(1);
    expect(res.body.tokens).toEqual([expect.objectContaining({ name: 'trader', scopes: ['game:read'], revoked_at: null })]);
    expect(res.body.providers).toEqual([]);
    expect((await admin(root, 'GET', `/players/${randomUUID()}`)).status).toBe(404);
  });

  it('get credits through the ledger with the admin’s reason; balances still equal the ledger', async () => {
    const p = await newPilot(t);
    const start = (await admin(root, 'GET', `/players/${p.userId}`)).body.pilot.credits as number;
    const before = await auditCount();
    const noReason = await admin(root, 'POST', `/players/${p.userId}/credits`, { delta: 5000 }, true);
    expect(noReason.status).toBe(422);
    const granted = await admin(root, 'POST', `/players/${p.userId}/credits`, { delta: 5000, reason: 'refund for a lost cargo' }, true);
    expect(granted.status).toBe(200);
    expect(granted.body.after).toEqual({ credits: start + 5000, delta: 5000 });
    const ledger = await admin(root, 'GET', `/players/${p.userId}/ledger`);
    expect(ledger.body.credits).toBe(start + 5000);
    expect(ledger.body.entries[0]).toMatchObject({
      delta: 5000,
      balance_after: start + 5000,
      reason: 'admin_adjustment',
      ref: { admin_id: root.userId, note: 'refund for a lost cargo' },
    });
    const tooMuch = await admin(root, 'POST', `/players/${p.userId}/credits`, { delta: -(start + 5001), reason: 'claw back' }, true);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('insufficient_credits');
    expect(await auditCount()).toBe(before + 1);
    expect(await auditRows('player.credits', p.userId)).toEqual([
      expect.objectContaining({ before: { credits: start }, after: { credits: start + 5000 }, reason: 'refund for a lost cargo', actor_id: root.userId }),
    ]);
    // Written with the change in the region transaction, then moved here: nothing left staged.
    const [row] = await auditRows('player.credits', p.userId);
    expect(row!.source_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.region.selectFrom('audit_outbox').select('id').where('id', '=', row!.source_id!).execute()).toEqual([]);
    const state = await t.call('GET', '/api/v1/player/state', { token: p.token });
    expect(state.body.player.credits).toBe(start + 5000);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('are moved by the applier: position, known space and the move event', async () => {
    const p = await newPilot(t);
    const far = await t.region.selectFrom('sectors').select(['id', 'region_id']).where('id', '>', 5).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const to = far.id;
    const moved = await admin(root, 'POST', `/players/${p.userId}/move`, { sector_id: to, reason: 'stuck after a bug' });
    expect(moved.status).toBe(200);
    expect(moved.body.after.sector_id).toBe(to);
    const pilot = await t.region.selectFrom('players').select(['sector_id', 'turns']).where('user_id', '=', p.userId).executeTakeFirstOrThrow();
    expect(pilot.sector_id).toBe(to);
    const event = await t.region
      .selectFrom('outbox')
      .select(['data'])
      .where('topic', '=', `player:${p.userId}`)
      .where('type', '=', 'player.moved')
      .executeTakeFirst();
    expect(event?.data).toMatchObject({ from: 1, to });
    expect(await auditRows('player.move', p.userId)).toEqual([
      expect.objectContaining({ before: { sector_id: 1 }, after: { sector_id: to, region_id: far.region_id } }),
    ]);
    const nowhere = await admin(root, 'POST', `/players/${p.userId}/move`, { sector_id: 9_999_999, reason: 'no such sector' });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.code).toBe('sector_not_found');
  });

  it('banned: sessions and tokens end, the open socket closes within a second, one audit row; unban lifts it', async () => {
    const p = await newPilot(t);
    const pat = await t.call('POST', '/api/v1/auth/tokens', { token: p.token, body: { name: 'bot', scopes: ['game:read'] } });
    const socket = await openRealtime(t, rt.port, p.token);
    const before = await auditCount();
    const banned = await admin(root, 'POST', `/players/${p.userId}/ban`, { reason: 'botting in FedSpace' }, true);
    const bannedAt = Date.now();
    expect(banned.status).toBe(200);
    expect(banned.body.after).toEqual({ status: 'disabled', disabled_reason: 'banned', disabled_until: null });
    const closed = await Promise.race([socket.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1_000))]);
    expect(closed, 'the socket is still open a second after the ban').toEqual({ code: 4001, reason: 'auth_revoked' });
    expect(Date.now() - bannedAt).toBeLessThan(1_000);

    expect((await t.call('GET', '/api/v1/player/state', { token: p.token })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/player/state', { token: pat.body.token })).status).toBe(401);
    const login = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: p.password } });
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ code: 'account_disabled', detail: 'The account is banned' });
    expect(await auditCount()).toBe(before + 1);
    expect(await auditRows('player.ban', p.userId)).toEqual([
      expect.objectContaining({
        before: { status: 'active', disabled_reason: null, disabled_until: null },
        after: { status: 'disabled', disabled_reason: 'banned', disabled_until: null },
        reason: 'botting in FedSpace',
      }),
    ]);

    const unbanned = await admin(root, 'POST', `/players/${p.userId}/unban`, { reason: 'appeal accepted' }, true);
    expect(unbanned.body.after.status).toBe('active');
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: p.password } })).status).toBe(200);
    expect(await auditRows('player.unban', p.userId)).toHaveLength(1);
  });

  it('suspended until a time: refused until then, signed in again after', async () => {
    const p = await newPilot(t);
    const res = await admin(root, 'POST', `/players/${p.userId}/suspend`, { reason: 'cooling off', hours: 24 }, true);
    expect(res.status).toBe(200);
    expect(res.body.after.disabled_reason).toBe('suspended');
    expect(Date.parse(res.body.after.disabled_until) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const refused = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: p.password } });
    expect(refused.body.detail).toContain('suspended until');
    // The suspension ends: the next sign-in lifts it.
    await t.accounts
      .updateTable('users')
      .set({ disabled_until: new Date(Date.now() - 1000) })
      .where('id', '=', p.userId)
      .execute();
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: p.password } })).status).toBe(200);
    expect(await auditRows('player.suspend', p.userId)).toHaveLength(1);
    expect((await admin(root, 'POST', `/players/${root.userId}/ban`, { reason: 'oops' }, true)).body.code).toBe('cannot_target_self');
  });

  it('signed out everywhere, or made to reset the password through a one-time link', async () => {
    const p = await newPilot(t);
    await t.call('POST', '/api/v1/auth/tokens', { token: p.token, body: { name: 'bot', scopes: ['game:read'] } });
    const revoked = await admin(root, 'POST', `/players/${p.userId}/revoke-tokens`, { reason: 'leaked token' });
    expect(revoked.body.after).toEqual({ sessions_revoked: 1, tokens_revoked: 1 });
    expect((await t.call('GET', '/api/v1/player/state', { token: p.token })).status).toBe(401);

    const reset = await admin(root, 'POST', `/players/${p.userId}/password-reset`, { reason: 'account shared' });
    expect(reset.status).toBe(200);
    expect(reset.body.link).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
    const login = await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: p.password } });
    expect(login.body.code).toBe('password_reset_required');
    const token = new URL(reset.body.link).searchParams.get('token');
    const redeemed = await t.call('POST', '/api/v1/auth/account-link', { body: { token, password: 'a brand new passphrase' } });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body.user.id).toBe(p.userId);
    expect((await t.call('POST', '/api/v1/auth/account-link', { body: { token, password: 'a brand new passphrase' } })).body.code).toBe('account_link_invalid');
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: p.username, password: 'a brand new passphrase' } })).status).toBe(200);
    expect(await auditRows('player.revoke_tokens', p.userId)).toEqual([
      expect.objectContaining({ before: { live_sessions: 1, live_tokens: 1 }, after: { live_sessions: 0, live_tokens: 0 }, reason: 'leaked token' }),
    ]);
    expect(await auditRows('player.password_reset', p.userId)).toEqual([
      expect.objectContaining({ before: { password_reset_required: false }, after: { password_reset_required: true, sessions_revoked: 0, tokens_revoked: 0 } }),
    ]);
  });
});

describe('the audit log', () => {
  it('is append-only', async () => {
    await expect(sql`update admin_audit set reason = 'rewritten'`.execute(t.accounts)).rejects.toThrow(/append-only/);
    await expect(sql`delete from admin_audit`.execute(t.accounts)).rejects.toThrow(/append-only/);
    expect(await auditCount()).toBeGreaterThan(0);
  });

  it('filters by actor, target, action and time, newest first, paged by an opaque cursor', async () => {
    const actor = await signInAdmin(t, ['admin:read', 'admin:players']);
    const targets = [await newPilot(t), await newPilot(t), await newPilot(t)];
    const start = new Date().toISOString();
    for (const p of targets) expect((await admin(actor, 'POST', `/players/${p.userId}/revoke-tokens`, { reason: 'audit filters' })).status).toBe(200);
    const mine = await admin(actor, 'GET', `/audit?actor=${actor.userId}`);
    expect(mine.body.entries.map((e: { target_id: string }) => e.target_id)).toEqual(targets.map((p) => p.userId).reverse());
    const one = await admin(actor, 'GET', `/audit?target=${targets[1]!.userId}&action=player.*`);
    expect(one.body.entries).toEqual([expect.objectContaining({ actor_id: actor.userId, actor_name: actor.username, action: 'player.revoke_tokens' })]);
    expect((await admin(actor, 'GET', `/audit?actor=${actor.userId}&action=player.ban`)).body.entries).toEqual([]);
    expect((await admin(actor, 'GET', `/audit?actor=${actor.userId}&from=${start}`)).body.entries).toHaveLength(3);
    expect((await admin(actor, 'GET', `/audit?actor=${actor.userId}&to=${start}`)).body.entries).toHaveLength(0);
    const page1 = await admin(actor, 'GET', `/audit?actor=${actor.userId}&limit=2`);
    expect(page1.body.entries).toHaveLength(2);
    const page2 = await admin(actor, 'GET', `/audit?actor=${actor.userId}&limit=2&cursor=${page1.body.next}`);
    expect(page2.body.entries.map((e: { target_id: string }) => e.target_id)).toEqual([targets[0]!.userId]);
    expect(page2.body.next).toBeNull();
    expect((await admin(actor, 'GET', '/audit?cursor=forged')).body.code).toBe('invalid_cursor');
    expect((await admin(actor, 'GET', '/audit?action=DROP TABLE')).status).toBe(422);
  });
});
