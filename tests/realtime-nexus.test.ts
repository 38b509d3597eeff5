import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeAccountSessions } from '../platform/session-status.js';
import { NEXUS_EVENTS_CHANNEL } from '../platform/outbox.js';
import { newPilot, setCredits } from './game-helpers.js';
import { TEST_SECRET, createTestApp, testBackends, type TestApp } from './harness.js';
import { buyOne, openRealtime, type TestSocket } from './realtime-client.js';
import { spawnRole, type RunningRole } from './spawn-role.js';

const { redisUrl, redisPrefix } = testBackends();
const run = randomBytes(3).toString('hex');
/** Two regional buses (one Redis, two prefixes) and one nexus bus. */
const prefixes = { one: `${redisPrefix}nexus-${run}:one:`, two: `${redisPrefix}nexus-${run}:two:`, nexus: `${redisPrefix}nexus-${run}:nexus:` };

/** Absence is only observable as "not by now": this long after the frames that went the other way arrived. */
const SETTLE_MS = 300;

/**
 * Two realtime processes on two regional buses sharing one nexus bus, each fed by an in-process
 * API on its own regional bus (one database, as the test only needs two buses): what crosses
 * regions reaches both, what belongs to a region stays in it.
 */
describe.runIf(redisUrl)('realtime on two regional buses and one nexus bus', () => {
  let one: TestApp;
  let two: TestApp;
  let realtimeOne: RunningRole;
  let realtimeTwo: RunningRole;
  const start = (prefix: string) =>
    spawnRole('realtime', {
      DATABASE_URL: one.config.databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      NEXUS_REDIS_PREFIX: prefixes.nexus,
      JWT_SECRET: TEST_SECRET,
      REALTIME_HOST: '127.0.0.1',
    });

  beforeAll(async () => {
    one = await createTestApp({ config: { REDIS_PREFIX: prefixes.one, NEXUS_REDIS_PREFIX: prefixes.nexus } });
    two = await createTestApp({ config: { DATABASE_URL: one.config.databaseUrl!, REDIS_PREFIX: prefixes.two, NEXUS_REDIS_PREFIX: prefixes.nexus } });
    [realtimeOne, realtimeTwo] = await Promise.all([start(prefixes.one), start(prefixes.two)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([realtimeOne?.stop(), realtimeTwo?.stop()]);
    await two?.close();
    await one?.close();
  });

  /** A on process one, B on process two, C on process one: all three in sector 1. */
  const openThree = async () => {
    const [a, b, c] = await Promise.all([newPilot(one), newPilot(one), newPilot(one)]);
    const sockets = await Promise.all([
      openRealtime(one, realtimeOne.port, a.token),
      openRealtime(two, realtimeTwo.port, b.token),
      openRealtime(one, realtimeOne.port, c.token),
    ]);
    return { a, b, c, sockets };
  };
  const closeAll = (sockets: TestSocket[]) => {
    for (const s of sockets) s.close();
  };

  it('carry global chat to the other region, and keep sector chat and sector events in their own', async () => {
    const { a, sockets } = await openThree();
    const [sa, sb, sc] = sockets;
    try {
      for (const s of sockets) expect(s.of('welcome')[0]!.data.sector_id).toBe(1);
      sa.send({ type: 'chat', channel: 'global', text: 'heard in every region' });
      const global = await sb.waitFor((f) => f.type === 'chat.message' && f.data.text === 'heard in every region', 'global chat on the other region');
      expect(global).toMatchObject({ topic: 'global', data: { channel: 'global', from: { id: a.userId } } });
      await sc.waitFor((f) => f.type === 'chat.message' && f.data.text === 'heard in every region', 'global chat in its own region');

      sa.send({ type: 'chat', channel: 'sector', text: 'sector one, region one' });
      await sc.waitFor((f) => f.type === 'chat.message' && f.data.text === 'sector one, region one', 'sector chat in its own region');
      await buyOne(one, a.token);
      await sc.waitFor((f) => f.type === 'port.traded' && f.data.trader === a.username, "A's trade, in its own region");
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      expect(sb.of('port.traded')).toEqual([]);
      expect(sb.of('chat.message').map((f) => f.data.text)).toEqual(['heard in every region']);
    } finally {
      closeAll(sockets);
    }
  });

  it('carry mail notices, global broadcasts and disconnect orders across, once each', async () => {
    const { a, b, sockets } = await openThree();
    const [sa, sb, sc] = sockets;
    try {
      const sent = await one.call('POST', '/api/v1/messages', { token: a.token, body: { to: b.username, subject: 'across', body: 'from region one' } });
      expect(sent.status).toBe(201);
      const mail = await sb.waitFor((f) => f.type === 'mail.received' && f.data.subject === 'across', 'the mail notice on the other region');
      expect(mail).toMatchObject({ topic: `player:${b.userId}`, data: { from: a.username, unread: 1 } });

      // A pilot's broadcast: a global event from region one's outbox, on both regions' sockets.
      await setCredits(one, a.userId, 100_000);
      const cast = await one.call('POST', '/api/v1/messages/broadcast', { token: a.token, body: { body: 'hello galaxy' } });
      expect(cast.status).toBe(201);
      const heard = await sb.waitFor((f) => f.type === 'broadcast.sent' && f.data.body === 'hello galaxy', 'the broadcast on the other region');
      await sc.waitFor((f) => f.type === 'broadcast.sent' && f.data.body === 'hello galaxy', 'the broadcast in its own region');
      // Published again (the relay after a crash): dropped. The same id from another region's outbox: another event.
      await one.nexusBus!.publish(NEXUS_EVENTS_CHANNEL, JSON.stringify({ origin: 'main', event: heard }));
      const other = { ...heard, data: { from: 'Elsewhere', body: 'same id, other region' } };
      await one.nexusBus!.publish(NEXUS_EVENTS_CHANNEL, JSON.stringify({ origin: 'other', event: other }));
      await sb.waitFor((f) => f.type === 'broadcast.sent' && f.data.body === 'same id, other region', "another region's event of the same id");
      expect(sb.of('broadcast.sent').map((f) => f.data.body)).toEqual(['hello galaxy', 'same id, other region']);

      await revokeAccountSessions(one, b.userId, { tokens: false });
      expect(await sb.closed).toEqual({ code: 4001, reason: 'auth_revoked' });
      expect(sa.ws.readyState).toBe(sa.ws.OPEN);
    } finally {
      closeAll(sockets);
    }
  });
});
