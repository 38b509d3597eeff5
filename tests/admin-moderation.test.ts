import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SCOPES } from '../platform/admin-scopes.js';
import { type RealtimeServer, startRealtimeServer } from '../realtime/server.js';
import { type TestAdmin, signInAdmin } from './admin-helpers.js';
import { ledgerMismatches, newPilot } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';

let t: TestApp;
let rt: RealtimeServer;
let root: TestAdmin;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMITS: 'false', REDIS_PREFIX: `${testBackends().redisPrefix}admm-${randomBytes(3).toString('hex')}:` } });
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
const call = async (as: TestAdmin, method: string, path: string, body?: unknown, totp = false) =>
  t.call(method, `/api/v1/admin${path}`, {
    token: as.token,
    ...(body !== undefined ? { body } : {}),
    ...(totp ? { headers: { 'x-totp-code': await as.code() } } : {}),
  });

describe('moderation', () => {
  it('refuses a player, an admin without admin:moderation and one without the second factor', async () => {
    const player = await newPilot(t);
    const lacking = await signInAdmin(
      t,
      ADMIN_SCOPES.filter((s) => s !== 'admin:moderation'),
    );
    const noFactor = await signInAdmin(t, [...ADMIN_SCOPES]);
    const before = await auditCount();
    for (const [method, path, body] of [
      ['GET', '/moderation/reports', undefined],
      ['POST', '/moderation/reports/1/resolve', { reason: 'looked at it' }],
      ['POST', `/moderation/pilots/${player.userId}/rename`, { name: 'nope_nope', reason: 'not allowed' }],
      ['POST', '/teams/1/rename', { name: 'Nope Team', reason: 'not allowed' }],
      ['POST', '/teams/1/disband', { reason: 'not allowed' }],
      ['POST', '/ops/broadcast', { body: 'hello', reason: 'not allowed' }],
      ['POST', '/moderation/messages/1/delete', { reason: 'not allowed' }],
      ['POST', `/moderation/pilots/${player.userId}/mute`, { hours: 1, reason: 'not allowed' }],
      ['POST', `/moderation/pilots/${player.userId}/unmute`, { reason: 'not allowed' }],
    ] as const) {
      for (const [token, code] of [
        [player.token, 'insufficient_scope'],
        [lacking.token, 'insufficient_scope'],
        [noFactor.playerToken, 'second_factor_required'],
      ] as const) {
        const res = await t.call(method, `/api/v1/admin${path}`, { token, ...(body ? { body } : {}) });
        expect([path, res.status, res.body.code]).toEqual([path, 403, code]);
      }
    }
    expect(await auditCount()).toBe(before);
  }, 60_000);

  it('shows the report queue and resolves or dismisses a report once, with one audit row each', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, body: 'rude words' } });
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, body: 'more rude words' } });
    const messages = (await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages;
    const ids: number[] = [];
    for (const m of messages) {
      const filed = await t.call('POST', '/api/v1/reports', { token: b.token, body: { kind: 'message', id: m.id, reason: 'abuse' } });
      expect(filed.status, filed.text).toBe(201);
      ids.push(filed.body.id);
    }
    const queue = await call(root, 'GET', '/moderation/reports');
    expect(queue.status).toBe(200);
    const mine = queue.body.reports.filter((r: { id: number }) => ids.includes(r.id));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ kind: 'message', reporter: b.username, reported: a.username, reason: 'abuse', status: 'open' });

    const resolved = await call(root, 'POST', `/moderation/reports/${ids[0]}/resolve`, { reason: 'warned the sender' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.after.status).toBe('resolved');
    const dismissed = await call(root, 'POST', `/moderation/reports/${ids[1]}/dismiss`, { reason: 'banter between friends' });
    expect(dismissed.body.after.status).toBe('dismissed');
    const again = await call(root, 'POST', `/moderation/reports/${ids[0]}/dismiss`, { reason: 'changed my mind' });
    expect([again.status, again.body.code]).toEqual([409, 'request_decided']);
    const rows = await auditRows('moderation.report_resolve', String(ids[0]));
    expect(rows).toHaveLength(1);
    expect([rows[0]!.before, rows[0]!.after, rows[0]!.reason]).toEqual([{ status: 'open' }, { status: 'resolved' }, 'warned the sender']);
    expect(await auditRows('moderation.report_dismiss', String(ids[1]))).toHaveLength(1);
    expect(await auditRows('moderation.report_dismiss', String(ids[0]))).toHaveLength(0);
    const open = (await call(root, 'GET', '/moderation/reports')).body.reports.map((r: { id: number }) => r.id);
    expect(open).not.toContain(ids[0]);
    expect((await call(root, 'GET', '/moderation/reports?status=resolved')).body.reports.map((r: { id: number }) => r.id)).toContain(ids[0]);
    const none = await call(root, 'POST', '/moderation/reports/999999/resolve', { reason: 'no such report' });
    expect([none.status, none.body.code]).toEqual([404, 'not_found']);

    // The message itself goes, from both mailboxes; the report keeps what was said.
    const target = messages[0];
    const deleted = await call(root, 'POST', `/moderation/messages/${target.id}/delete`, { reason: 'abusive message' });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.after).toEqual({ deleted: 2 });
    const left = (await t.call('GET', '/api/v1/messages', { token: b.token })).body.messages.map((m: { id: number }) => m.id);
    expect(left).not.toContain(target.id);
    expect(left).toHaveLength(1);
    const deletions = await auditRows('moderation.message_delete', String(target.id));
    expect(deletions).toHaveLength(1);
    expect((deletions[0]!.before as { body: string }).body).toBe(target.body);
    const report = await t.accounts.selectFrom('reports').selectAll().where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(JSON.stringify(report.content)).toContain('words');
    const twice = await call(root, 'POST', `/moderation/messages/${target.id}/delete`, { reason: 'abusive message' });
    expect([twice.status, twice.body.code]).toEqual([404, 'not_found']);
  });

  it('renames a pilot: account and pilot, unique whatever the case, one audit row', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const name = `renamed_${randomBytes(3).toString('hex')}`;
    const res = await call(root, 'POST', `/moderation/pilots/${a.userId}/rename`, { name, reason: 'offensive name' });
    expect(res.status, res.text).toBe(200);
    expect((await t.accounts.selectFrom('users').select('username').where('id', '=', a.userId).executeTakeFirstOrThrow()).username).toBe(name);
    expect((await t.region.selectFrom('players').select('name').where('user_id', '=', a.userId).executeTakeFirstOrThrow()).name).toBe(name);
    const rows = await auditRows('moderation.rename', a.userId);
    expect(rows).toHaveLength(1);
    expect([rows[0]!.before, rows[0]!.after]).toEqual([{ name: a.username }, { name }]);
    const taken = await call(root, 'POST', `/moderation/pilots/${b.userId}/rename`, { name: name.toUpperCase(), reason: 'the same name' });
    expect([taken.status, taken.body.code]).toEqual([409, 'username_taken']);
    expect(await auditRows('moderation.rename', b.userId)).toHaveLength(0);
  });

  it('renames a team and disbands it, paying the treasury out through team transfers', async () => {
    const [leader, member] = [await newPilot(t), await newPilot(t)];
    const tag = `T${randomBytes(2).toString('hex').slice(0, 3)}`;
    const made = await t.call('POST', '/api/v1/teams', { token: leader.token, body: { name: `Admin Test ${tag}`, tag } });
    expect(made.status, made.text).toBe(201);
    const teamId = made.body.id;
    const invited = await t.call('POST', `/api/v1/teams/${teamId}/invitations`, { token: leader.token, body: { pilot: member.username } });
    await t.call('POST', `/api/v1/invitations/${invited.body.invitation_id}/accept`, { token: member.token });
    const dep = await t.call('POST', `/api/v1/teams/${teamId}/treasury`, { token: leader.token, body: { action: 'deposit', amount: 1_000 } });
    expect(dep.status, dep.text).toBe(200);

    const list = await call(root, 'GET', `/teams?q=${tag}`);
    expect(list.body.teams).toEqual([expect.objectContaining({ id: teamId, tag, members: 2, treasury: 1_000 })]);
    const renamed = await call(root, 'POST', `/teams/${teamId}/rename`, { name: `Renamed ${tag}`, reason: 'offensive team name' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.after).toEqual({ name: `Renamed ${tag}`, tag });
    expect((await auditRows('team.rename', String(teamId)))[0]!.before).toEqual({ name: `Admin Test ${tag}`, tag });

    const creditsBefore = await t.region.selectFrom('players').select(['user_id', 'credits']).where('user_id', 'in', [leader.userId, member.userId]).execute();
    const disbanded = await call(root, 'POST', `/teams/${teamId}/disband`, { reason: 'team used for abuse' });
    expect(disbanded.status, disbanded.text).toBe(200);
    expect(disbanded.body.after.payouts.map((p: { amount: number }) => p.amount).sort()).toEqual([500, 500]);
    const team = await t.accounts.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirstOrThrow();
    expect([Number(team.treasury), team.disbanded_at !== null]).toEqual([0, true]);
    const transfers = await t.accounts.selectFrom('team_transfers').selectAll().where('team_id', '=', teamId).where('kind', '=', 'payout').execute();
    expect(transfers.map((tr) => tr.state)).toEqual(['done', 'done']);
    const creditsAfter = await t.region.selectFrom('players').select(['user_id', 'credits']).where('user_id', 'in', [leader.userId, member.userId]).execute();
    const gained = creditsAfter.map((p) => Number(p.credits) - Number(creditsBefore.find((q) => q.user_id === p.user_id)!.credits));
    expect(gained).toEqual([500, 500]);
    const rows = await auditRows('team.disband', String(teamId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before).toMatchObject({ treasury: 1_000, members: 2 });
    expect(await ledgerMismatches(t)).toEqual([]);
    const gone = await call(root, 'POST', `/teams/${teamId}/disband`, { reason: 'once more' });
    expect([gone.status, gone.body.code]).toEqual([404, 'not_found']);
  });

  it('sends a system broadcast to everyone, with one audit row', async () => {
    const res = await call(root, 'POST', '/ops/broadcast', { body: 'Server restart in 10 minutes', reason: 'planned maintenance' });
    expect(res.status, res.text).toBe(200);
    const event = await t.region.selectFrom('outbox').selectAll().where('type', '=', 'broadcast.sent').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect([event.topic, event.data]).toEqual(['global', { from: 'Federation Command', body: 'Server restart in 10 minutes' }]);
    expect(await auditRows('ops.broadcast', 'global')).toHaveLength(1);
  });

  it('mutes a pilot in chat (refused at the realtime chat path), bans it from chat, and lifts it; one audit row each', async () => {
    const [loud, listener] = [await newPilot(t), await newPilot(t)];
    const [sl, sh] = [await openRealtime(t, rt.port, loud.token), await openRealtime(t, rt.port, listener.token)];
    const noCode = await call(root, 'POST', `/moderation/pilots/${loud.userId}/mute`, { hours: 2, reason: 'spamming global' });
    expect([noCode.status, noCode.body.code]).toEqual([403, 'totp_required']);
    const muted = await call(root, 'POST', `/moderation/pilots/${loud.userId}/mute`, { hours: 2, reason: 'spamming global' }, true);
    expect(muted.status, muted.text).toBe(200);
    expect(muted.body.after.muted).toBe(true);
    expect(Date.parse(muted.body.after.until) - Date.now()).toBeGreaterThan(7_100_000);
    sl.send({ type: 'chat', channel: 'global', text: 'buy gold cheap', ref: 'm1' });
    const refused = await sl.waitFor((f) => f.type === 'error' && f.data?.ref === 'm1', 'the mute refusal');
    expect([refused.data.code, refused.data.until]).toEqual(['chat_muted', muted.body.after.until]);

    const banned = await call(root, 'POST', `/moderation/pilots/${loud.userId}/mute`, { reason: 'kept at it after the mute' }, true);
    expect(banned.body.after).toEqual({ muted: true, until: null });
    sl.send({ type: 'chat', channel: 'global', text: 'still here', ref: 'm2' });
    expect((await sl.waitFor((f) => f.type === 'error' && f.data?.ref === 'm2', 'the ban refusal')).data).toMatchObject({ code: 'chat_muted', until: null });
    expect(sh.frames.filter((f) => f.type === 'chat.message' && f.data.from?.id === loud.userId)).toEqual([]);

    const lifted = await call(root, 'POST', `/moderation/pilots/${loud.userId}/unmute`, { reason: 'appeal accepted' }, true);
    expect(lifted.body.after).toEqual({ muted: false, until: null });
    sl.send({ type: 'chat', channel: 'global', text: 'sorry all', ref: 'm3' });
    await sh.waitFor((f) => f.type === 'chat.message' && f.data.text === 'sorry all', 'the line after the unmute');

    expect((await auditRows('moderation.mute', loud.userId)).map((r) => [r.before, r.reason])).toEqual([[{ muted: false, until: null }, 'spamming global']]);
    const ban = await auditRows('moderation.chat_ban', loud.userId);
    expect(ban).toHaveLength(1);
    expect([ban[0]!.before, ban[0]!.after]).toEqual([
      { muted: true, until: muted.body.after.until },
      { muted: true, until: null },
    ]);
    expect((await auditRows('moderation.unmute', loud.userId)).map((r) => r.before)).toEqual([{ muted: true, until: null }]);
    sl.close();
    sh.close();
  });
});
