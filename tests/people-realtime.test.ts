import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, testBackends, uniqueName, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';

let t: TestApp;
let rt: RealtimeServer;
beforeAll(async () => {
  t = await createTestApp({ config: { REDIS_PREFIX: `${testBackends().redisPrefix}people-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200, holdMs: 300 });
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

describe('people over realtime', () => {
  it('team chat follows membership at once; team events reach the team; kicked members stop hearing it', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const sa = await openRealtime(t, rt.port, a.token);
    const sb = await openRealtime(t, rt.port, b.token);
    sb.send({ type: 'chat', channel: 'team', text: 'anyone?', ref: 'r0' });
    expect((await sb.waitFor((f) => f.type === 'error' && f.data.ref === 'r0')).data.code).toBe('not_in_team');

    const team = await t.call('POST', '/api/v1/teams', { token: a.token, body: { name: `RT ${uniqueName()}`, tag: `R${randomBytes(2).toString('hex')}` } });
    expect(team.status, team.text).toBe(201);
    const teamTopic = `team:${team.body.id}`;
    await sa.waitFor((f) => f.type === 'team.joined' && f.data.team_id === team.body.id, 'team.joined for the founder');
    const inv = await t.call('POST', `/api/v1/teams/${team.body.id}/invitations`, { token: a.token, body: { pilot: b.username } });
    await sb.waitFor((f) => f.type === 'team.invited' && f.data.invitation_id === inv.body.invitation_id, 'team.invited');
    await t.call('POST', `/api/v1/invitations/${inv.body.invitation_id}/accept`, { token: b.token });
    await sb.waitFor((f) => f.type === 'team.joined', 'team.joined for the invitee');
    await sa.waitFor((f) => f.type === 'team.changed' && f.data.change === 'joined' && f.data.pilot === b.username, 'team.changed joined');

    sb.send({ type: 'chat', channel: 'team', text: 'hello team' });
    const heard = await sa.waitFor((f) => f.type === 'chat.message' && f.data.text === 'hello team', 'the team line');
    expect(heard.topic).toBe(teamTopic);
    expect(heard.data.from.name).toBe(b.username);

    await t.call('POST', `/api/v1/teams/${team.body.id}/treasury`, { token: b.token, body: { action: 'deposit', amount: 100 } });
    const treasury = await sa.waitFor((f) => f.type === 'team.treasury', 'team.treasury');
    expect(treasury.data).toMatchObject({ pilot: b.username, action: 'deposit', amount: 100, treasury: 100 });

    await t.call('POST', `/api/v1/teams/${team.body.id}/kick`, { token: a.token, body: { pilot: b.username } });
    await sb.waitFor((f) => f.type === 'team.left' && f.data.reason === 'kicked', 'team.left');
    sa.send({ type: 'chat', channel: 'team', text: 'after the kick' });
    await sa.waitFor((f) => f.type === 'chat.message' && f.data.text === 'after the kick', 'the echo');
    sb.send({ type: 'chat', channel: 'team', text: 'still here?', ref: 'r1' });
    expect((await sb.waitFor((f) => f.type === 'error' && f.data.ref === 'r1')).data.code).toBe('not_in_team');
    expect(sb.frames.some((f) => f.type === 'chat.message' && f.data.text === 'after the kick')).toBe(false);
    sa.close();
    sb.close();
  });

  it('a connection opened later is placed in its team', async () => {
    const a = await newPilot(t);
    const team = await t.call('POST', '/api/v1/teams', { token: a.token, body: { name: `RT ${uniqueName()}`, tag: `S${randomBytes(2).toString('hex')}` } });
    const s = await openRealtime(t, rt.port, a.token);
    const welcome = s.frames.find((f) => f.type === 'welcome')!;
    expect(welcome.data.team_id).toBe(String(team.body.id));
    expect(welcome.data.topics).toContain(`team:${team.body.id}`);
    s.close();
  });

  it('new mail arrives with the unread count; a blocked pilot’s direct chat is not delivered', async () => {
    const [a, b] = [await newPilot(t), await newPilot(t)];
    const sb = await openRealtime(t, rt.port, b.token);
    const sa = await openRealtime(t, rt.port, a.token);
    await t.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, subject: 'ping', body: 'are you there' } });
    const mail = await sb.waitForType('mail.received');
    expect(mail.data).toMatchObject({ from: a.username, subject: 'ping', unread: 1 });

    sa.send({ type: 'chat', channel: 'direct', to: b.userId, text: 'first' });
    await sb.waitFor((f) => f.type === 'chat.message' && f.data.text === 'first', 'the direct line');
    await t.call('POST', '/api/v1/messages/blocks', { token: b.token, body: { pilot: a.username } });
    sa.send({ type: 'chat', channel: 'direct', to: b.userId, text: 'blocked line' });
    await sa.waitFor((f) => f.type === 'chat.message' && f.data.text === 'blocked line', 'the sender’s echo');
    sa.send({ type: 'chat', channel: 'direct', to: b.userId, text: 'after' });
    await sa.waitFor((f) => f.type === 'chat.message' && f.data.text === 'after', 'the second echo');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sb.frames.filter((f) => f.type === 'chat.message').map((f) => f.data.text)).toEqual(['first']);
    sa.close();
    sb.close();
  });
});
