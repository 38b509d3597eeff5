import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResumeTokens } from '../platform/realtime-resume.js';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { TestSocket, buyOne, openRealtime } from './realtime-client.js';

/**
 * Reconnecting with the resume token of the last `welcome` instead of a ticket: valid once, not
 * after it expired, not for a session that logged out, not with a signature of another key.
 */
let t: TestApp;
let rt: RealtimeServer;

beforeAll(async () => {
  t = await createTestApp({ config: { REDIS_PREFIX: `${testBackends().redisPrefix}rtr-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200, holdMs: 60_000 });
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

const wsUrl = (token: string) => `ws://127.0.0.1:${rt.port}/ws?resume=${encodeURIComponent(token)}`;
const refusal = (url: string) =>
  TestSocket.connect(url).then(
    (s) => {
      s.close();
      throw new Error('the upgrade was accepted');
    },
    (err: { status: number; body: { code: string; detail?: string } }) => ({ status: err.status, code: err.body?.code }),
  );

describe('resume tokens', () => {
  it('come in the welcome, reconnect once without a ticket, and the resume replays what was missed', async () => {
    const a = await newPilot(t);
    const first = await openRealtime(t, rt.port, a.token);
    const welcome = first.of('welcome')[0]!;
    expect(welcome.data).toMatchObject({ resume_token: expect.stringMatching(/^r1\./), resume_expires_in: 600 });
    const cursor = welcome.data.last_event_id as number;
    first.close();
    await first.closed;
    await buyOne(t, a.token);

    const again = await TestSocket.connect(wsUrl(welcome.data.resume_token));
    const second = await again.waitForType('welcome');
    expect(second.data.user_id).toBe(a.userId);
    // Every welcome brings a fresh token: the chain goes on.
    expect(second.data.resume_token).not.toBe(welcome.data.resume_token);
    again.send({ type: 'resume', after: cursor });
    const resumed = await again.waitForType('resumed');
    // The buy's two events: trade.completed (player topic) and port.traded (sector topic).
    expect(resumed.data).toMatchObject({ after: cursor, replayed: 2, complete: true });
    expect(again.of('trade.completed')).toHaveLength(1);
    expect(again.of('trade.completed')[0]!.data).toMatchObject({ side: 'buy', quantity: 1 });

    // Used once: a second upgrade with it is refused, before any socket exists.
    expect(await refusal(wsUrl(welcome.data.resume_token))).toEqual({ status: 401, code: 'invalid_ticket' });
    again.close();
  });

  it("resume at once after the URL's `after`, without a resume frame", async () => {
    const a = await newPilot(t);
    const first = await openRealtime(t, rt.port, a.token);
    const welcome = first.of('welcome')[0]!;
    const cursor = welcome.data.last_event_id as number;
    first.close();
    await first.closed;
    await buyOne(t, a.token);
    // The server holds for 60 s here: only the URL's `after` can bring `resumed` this soon.
    const again = await TestSocket.connect(`${wsUrl(welcome.data.resume_token)}&after=${cursor}`);
    const resumed = await again.waitForType('resumed', 3_000);
    expect(resumed.data).toMatchObject({ after: cursor, replayed: 2, complete: true });
    expect(again.of('trade.completed')).toHaveLength(1);
    again.send({ type: 'resume', after: cursor, ref: 'late' });
    expect((await again.waitForType('error')).data).toMatchObject({ code: 'already_live', ref: 'late' });
    again.close();
  });

  it('refuse an expired token, one signed with another key, and a garbled one', async () => {
    const a = await newPilot(t);
    const holder = { userId: a.userId, sessionId: t.tokens.verify(a.token)!.sid, scopes: [] };
    const ours = new ResumeTokens(t.config.jwt.secret);
    expect(await refusal(wsUrl(ours.issue(holder, Date.now() - 11 * 60_000)))).toEqual({ status: 401, code: 'invalid_ticket' });
    expect(await refusal(wsUrl(new ResumeTokens(`${t.config.jwt.secret}-not-ours`).issue(holder, Date.now())))).toEqual({
      status: 401,
      code: 'invalid_ticket',
    });
    expect(await refusal(wsUrl('r1.garbage.garbage'))).toEqual({ status: 401, code: 'invalid_ticket' });
    expect(await refusal(`ws://127.0.0.1:${rt.port}/ws?resume=`)).toEqual({ status: 401, code: 'ticket_required' });
    // A fresh token of ours for the same session works: the refusals were about the tokens.
    const ok = await TestSocket.connect(wsUrl(ours.issue(holder, Date.now())));
    expect((await ok.waitForType('welcome')).data.user_id).toBe(a.userId);
    ok.close();
  });

  it('refuse the token of a session that logged out since', async () => {
    const a = await newPilot(t);
    const s = await openRealtime(t, rt.port, a.token);
    const token = s.of('welcome')[0]!.data.resume_token as string;
    expect((await t.call('POST', '/api/v1/auth/logout', { token: a.token })).status).toBe(204);
    expect(await s.closed).toEqual({ code: 4001, reason: 'auth_revoked' });
    expect(await refusal(wsUrl(token))).toEqual({ status: 401, code: 'session_revoked' });
  });
});
