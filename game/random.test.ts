import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';

describe('createRandom', () => {
  it('yields the same stream for the same seed on every platform (pinned values)', () => {
    const random = createRandom('sectorwars');
    expect([random.next(), random.next(), random.next()]).toEqual([0.5334672098979354, 0.558632057858631, 0.10198395559564233]);
    expect([random.int(1, 6), random.int(1, 6), random.int(1, 6)]).toEqual([1, 5, 1]);
  });

  it('seeds a number through its decimal string', () => {
    expect(createRandom(42).next()).toBe(createRandom('42').next());
    expect(createRandom(42).next()).toBe(0.5258469053078443);
  });

  it('gives different streams for different seeds', () => {
    expect(createRandom('a').next()).not.toBe(createRandom('b').next());
  });

  it('keeps next() in [0, 1) and int() inside its inclusive bounds, reaching both ends', () => {
    const random = createRandom('bounds');
    let [low, high] = [1, 0];
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = random.next();
      [low, high] = [Math.min(low, x), Math.max(high, x)];
      seen.add(random.int(-2, 2));
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('rejects an empty or inverted int range', () => {
    expect(() => createRandom(1).int(3, 2)).toThrow(RangeError);
    expect(() => createRandom(1).int(0.5, 2)).toThrow(RangeError);
  });

  it('chance(p) lands near p over many draws', () => {
    const random = createRandom('chance');
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (random.chance(0.25)) hits++;
    expect(hits / 20_000).toBeGreaterThan(0.23);
    expect(hits / 20_000).toBeLessThan(0.27);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
  });

  it('pickWeighted never picks a zero weight and follows the weights', () => {
    const random = createRandom('weights');
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        random.pickWeighted([
          ['a', 1],
          ['b', 0],
          ['c', 3],
        ] as const)
      ]++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeGreaterThan(2.6);
    expect(counts.c / counts.a).toBeLessThan(3.4);
  });

  it('shuffle permutes in place and is deterministic per seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = createRandom('deck').shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(createRandom('deck').shuffle([...items])).toEqual(shuffled);
  });

  it('pick refuses an empty list', () => {
    expect(() => createRandom(1).pick([])).toThrow(RangeError);
    expect(createRandom(1).pick(['only'])).toBe('only');
  });
});
