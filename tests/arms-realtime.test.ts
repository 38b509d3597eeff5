import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { agePilot, frontierPair, newPilot, placePilot, setShip } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { openRealtime } from './realtime-client.js';

let t: TestApp;
let rt: RealtimeServer;
beforeAll(async () => {
  // A bus prefix of its own: other test files publish outbox events whose ids mean nothing here.
  t = await createTestApp({ config: { REDIS_PREFIX: `${testBackends().redisPrefix}arms-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200, holdMs: 300 });
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

describe('combat events', () => {
  it('both pilots get the result, the sector sees the fight, everyone hears of the destruction; the feed carries them', async () => {
    const { sector, neighbour } = await frontierPair(t);
    const [a, b, c, d] = await Promise.all([newPilot(t), newPilot(t), newPilot(t), newPilot(t)]);
    for (const p of [a, b, c]) await placePilot(t, p.userId, sector);
    await placePilot(t, d.userId, neighbour);
    for (const p of [a, b]) await agePilot(t, p.userId, 1_000);
    await setShip(t, a.userId, { fighters: 300 });
    const open = (p: { token: string }) => openRealtime(t, rt.port, p.token);
    const [sa, sb, sc, sd] = await Promise.all([open(a), open(b), open(c), open(d)]);
    try {
      const res = await t.call('POST', '/api/v1/combat/attack', { token: a.token, body: { target: b.username, fighters: 300 } });
      expect(res.status).toBe(200);
      expect(res.body.attack.destroyed).toBe(true);
      const logId = res.body.attack.log_id;

      const mine = await sa.waitFor((f) => f.type === 'combat.resolved', 'the attacker hears the result');
      expect(mine).toMatchObject({ topic: `player:${a.userId}`, data: { log_id: logId, attacker: a.username, defender: b.username, result: 'destroyed' } });
      const theirs = await sb.waitFor((f) => f.type === 'combat.resolved', 'the victim hears the result');
      expect(theirs.topic).toBe(`player:${b.userId}`);
      await sb.waitFor((f) => f.type === 'player.moved' && f.data.from === sector, 'the victim ejects');
      const seen = await sc.waitFor((f) => f.type === 'sector.combat', 'the sector sees the fight');
      expect(seen).toMatchObject({ topic: `sector:${sector}`, data: { log_id: logId, destroyed: true } });
      for (const s of [sa, sb, sc, sd]) {
        expect(await s.waitFor((f) => f.type === 'ship.destroyed', 'the destruction, everywhere')).toMatchObject({
          topic: 'global',
          data: { victim: b.username },
        });
      }
      expect(sd.of('sector.combat')).toEqual([]);
      expect(sc.of('combat.resolved')).toEqual([]);

      const feed = await t.call('GET', '/api/v1/events', { token: b.token });
      expect(feed.status).toBe(200);
      const types = feed.body.events.map((e: { type: string }) => e.type);
      expect(types).toEqual(expect.arrayContaining(['combat.resolved', 'ship.destroyed', 'player.moved']));
    } finally {
      for (const s of [sa, sb, sc, sd]) s.close();
    }
  });
});
