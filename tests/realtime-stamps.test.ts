import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { buyOne, openRealtime } from './realtime-client.js';

/** EVENT_STAMPS: a trade's events reach the socket with their per-hop stamps, in order. */
let t: TestApp;
let rt: RealtimeServer;

beforeAll(async () => {
  t = await createTestApp({ config: { EVENT_STAMPS: 'true', REDIS_PREFIX: `${testBackends().redisPrefix}rts-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200 });
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

describe('event stamps', () => {
  it('carry when the API published the event, and when realtime received and sent it', async () => {
    const a = await newPilot(t);
    const s = await openRealtime(t, rt.port, a.token);
    const before = Date.now();
    await buyOne(t, a.token);
    const frame = await s.waitForType('trade.completed');
    const hops = frame.data && (frame as unknown as { hops: { published: number; received: number; sent: number } }).hops;
    expect(Object.keys(hops)).toEqual(['published', 'received', 'sent']);
    expect(Date.parse(frame.at)).toBeLessThanOrEqual(Math.ceil(hops.published));
    expect(hops.published).toBeGreaterThanOrEqual(before - 1);
    expect(hops.received).toBeGreaterThanOrEqual(hops.published);
    expect(hops.sent).toBeGreaterThanOrEqual(hops.received);
    expect(hops.sent).toBeLessThanOrEqual(Date.now() + 1);
    s.close();
  });
});
