import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../tests/harness.js';
import type { Bus } from './bus.js';
import { MemoryBus } from './memory-bus.js';
import { RedisBus } from './redis-bus.js';

const { redisUrl, redisPrefix } = testBackends();
const opened: Bus[] = [];
afterAll(async () => {
  await Promise.all(opened.map((b) => b.close()));
});

const implementations: Array<[string, () => Bus]> = [['memory', () => new MemoryBus()]];
if (redisUrl) implementations.push(['redis', () => new RedisBus(redisUrl, `${redisPrefix}bus:${randomBytes(3).toString('hex')}:`)]);

/** The next message on a channel; resolves `subscribed` once the bus confirms the subscription. */
const nextMessage = (bus: Bus, channel: string) => {
  let subscribed!: Promise<unknown>;
  const message = new Promise<[string, string]>((resolve) => {
    subscribed = bus.subscribe(channel, (text, ch) => resolve([text, ch]));
  });
  return { message, subscribed };
};

describe.each(implementations)('%s bus', (_name, make) => {
  const bus = make();
  opened.push(bus);

  it('stores keys with a TTL', async () => {
    await bus.set('k1', 'v1', 50);
    expect(await bus.get('k1')).toBe('v1');
    await new Promise((r) => setTimeout(r, 80));
    expect(await bus.get('k1')).toBeNull();
  });

  it('hands out a value once with take', async () => {
    await bus.set('ticket', 'abc', 10_000);
    const [a, b] = await Promise.all([bus.take('ticket'), bus.take('ticket')]);
    expect([a, b].filter((v) => v === 'abc')).toHaveLength(1);
  });

  it('sets only when absent', async () => {
    expect(await bus.setIfAbsent('nx', '1', 10_000)).toBe(true);
    expect(await bus.setIfAbsent('nx', '2', 10_000)).toBe(false);
    expect(await bus.getMany(['nx', 'missing'])).toEqual(['1', null]);
  });

  it('counts within a window and starts over after it', async () => {
    const counts = await Promise.all(Array.from({ length: 5 }, () => bus.increment('ctr', 100)));
    expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    await new Promise((r) => setTimeout(r, 150));
    expect(await bus.increment('ctr', 100)).toBe(1);
  });

  it('admits attempts into sliding windows all-or-nothing and says when each has room', async () => {
    const t0 = Date.now();
    const ip = { key: 'adm:ip', limit: 3, windowMs: 1_000 };
    const user = { key: 'adm:user', limit: 1, windowMs: 5_000 };
    expect(await bus.admit([ip], t0)).toEqual([0]);
    expect(await bus.admit([ip], t0 + 100)).toEqual([0]);
    expect(await bus.admit([ip, user], t0 + 200)).toEqual([0, 0]);
    // Both full: the wait is until the oldest attempt in the way leaves; nothing is recorded.
    expect(await bus.admit([ip, user], t0 + 300)).toEqual([700, 4_900]);
    expect(await bus.admit([ip, { ...user, key: 'adm:other' }], t0 + 400)).toEqual([600, 0]);
    expect(await bus.admit([{ ...user, key: 'adm:other' }], t0 + 400)).toEqual([0]);
    expect(await bus.admit([ip], t0 + 1_000)).toEqual([0]);
    expect(await bus.admit([ip], t0 + 1_000)).toEqual([100]);
  });

  it('hands out increasing sequence numbers, from the bus clock in microseconds', async () => {
    const before = Date.now() * 1000;
    const numbers = await Promise.all(Array.from({ length: 50 }, () => bus.sequence('seq')));
    expect(new Set(numbers).size).toBe(50);
    expect(Math.min(...numbers)).toBeGreaterThan(before - 5_000_000);
    expect(await bus.sequence('seq')).toBeGreaterThan(Math.max(...numbers));
  });

  it('deletes a key only while it holds the expected value', async () => {
    await bus.set('owner', 'conn-b', 10_000);
    expect(await bus.delIfEquals('owner', 'conn-a')).toBe(false);
    expect(await bus.get('owner')).toBe('conn-b');
    expect(await bus.delIfEquals('owner', 'conn-b')).toBe(true);
    expect(await bus.get('owner')).toBeNull();
  });

  it('keeps sorted sets ordered by score, pruned below a score, expiring as a whole', async () => {
    await bus.sortedAdd('zs', 'late', 300, 10_000);
    await bus.sortedAdd('zs', 'early', 100, 10_000);
    await bus.sortedAdd('zs', 'middle', 200, 10_000);
    expect(await bus.sortedRange('zs', 150, 10)).toEqual(['middle', 'late']);
    expect(await bus.sortedRange('zs', 0, 2)).toEqual(['early', 'middle']);
    await bus.sortedAdd('zs', 'early', 400, 10_000);
    expect(await bus.sortedRange('zs', 0, 10)).toEqual(['middle', 'late', 'early']);
    await bus.sortedRemove('zs', 'late');
    await bus.sortedPrune('zs', 400);
    expect(await bus.sortedRange('zs', 0, 10)).toEqual(['early']);
    await bus.sortedAdd('zs-short', 'x', 1, 50);
    await new Promise((r) => setTimeout(r, 80));
    expect(await bus.sortedRange('zs-short', 0, 10)).toEqual([]);
  });

  it('keeps the newest entries of a capped list, newest first', async () => {
    for (const n of [1, 2, 3, 4, 5]) await bus.pushCapped('history', `m${n}`, 3, 10_000);
    expect(await bus.newest('history', 10)).toEqual(['m5', 'm4', 'm3']);
    expect(await bus.newest('history', 2)).toEqual(['m5', 'm4']);
    expect(await bus.newest('no-history', 2)).toEqual([]);
  });

  it('delivers published messages to channel and pattern subscribers', async () => {
    const direct = nextMessage(bus, 'events:sector:7');
    const pattern = nextMessage(bus, 'events:*');
    // Publishing before Redis confirms a SUBSCRIBE loses the message: wait for both, not for a guess of how long that takes.
    await Promise.all([direct.subscribed, pattern.subscribed]);
    await bus.publish('events:sector:7', 'hello');
    expect(await direct.message).toEqual(['hello', 'events:sector:7']);
    expect(await pattern.message).toEqual(['hello', 'events:sector:7']);
  });

  it('stops delivering after unsubscribe', async () => {
    const received: string[] = [];
    const off = await bus.subscribe('quiet', (m) => received.push(m));
    await bus.publish('quiet', 'one');
    await new Promise((r) => setTimeout(r, 30));
    await off();
    await bus.publish('quiet', 'two');
    await new Promise((r) => setTimeout(r, 30));
    expect(received).toEqual(['one']);
  });
});
