import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../tests/harness.js';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory-bus.js';
import { RedisBus } from './bus/redis-bus.js';
import { PRESENCE_TTL_MS, markMoved, markOffline, markOnline, onlineUserIds, presenceOf } from './presence.js';

const { redisUrl, redisPrefix } = testBackends();
const opened: Bus[] = [];
afterAll(async () => {
  await Promise.all(opened.map((b) => b.close()));
});
const implementations: Array<[string, () => Bus]> = [['memory', () => new MemoryBus()]];
if (redisUrl) implementations.push(['redis', () => new RedisBus(redisUrl, `${redisPrefix}presence:${randomBytes(3).toString('hex')}:`)]);

describe.each(implementations)('presence on the %s bus', (_name, make) => {
  const bus = make();
  opened.push(bus);

  it('knows who is online and in which sector, and follows moves', async () => {
    await markOnline(bus, { userId: 'u1', connectionId: 'c1', sectorId: 5 });
    await markOnline(bus, { userId: 'u2', connectionId: 'c2', sectorId: 5 });
    await markOnline(bus, { userId: 'u3', connectionId: 'c3', sectorId: null });
    expect(await onlineUserIds(bus, 5)).toEqual(new Set(['u1', 'u2']));
    await markMoved(bus, { userId: 'u2', connectionId: 'c2', sectorId: 6 }, 5);
    expect(await onlineUserIds(bus, 5)).toEqual(new Set(['u1']));
    expect(await onlineUserIds(bus, 6)).toEqual(new Set(['u2']));
    expect(await presenceOf(bus, ['u1', 'u2', 'u3', 'nobody'])).toEqual(
      new Map([
        ['u1', { sectorId: 5 }],
        ['u2', { sectorId: 6 }],
        ['u3', { sectorId: null }],
      ]),
    );
  });

  it('lets only the connection that owns an entry remove it', async () => {
    const older = { userId: 'u9', connectionId: 'old', sectorId: 7 };
    const newer = { userId: 'u9', connectionId: 'new', sectorId: 7 };
    await markOnline(bus, older);
    await markOnline(bus, newer);
    await markOffline(bus, older);
    expect(await onlineUserIds(bus, 7)).toEqual(new Set(['u9']));
    expect((await presenceOf(bus, ['u9'])).has('u9')).toBe(true);
    await markOffline(bus, newer);
    expect(await onlineUserIds(bus, 7)).toEqual(new Set());
    expect(await presenceOf(bus, ['u9'])).toEqual(new Map());
  });

  it('forgets entries nobody refreshed once they expire', async () => {
    const past = Date.now() - PRESENCE_TTL_MS - 1;
    await markOnline(bus, { userId: 'ghost', connectionId: 'g', sectorId: 8 }, past);
    await markOnline(bus, { userId: 'alive', connectionId: 'a', sectorId: 8 });
    expect(await onlineUserIds(bus, 8)).toEqual(new Set(['alive']));
  });
});
