import { describe, expect, it } from 'vitest';
import { Batcher } from './batch.js';

describe('Batcher', () => {
  it('answers the requests of one turn with one load, each with its own value', async () => {
    const loads: number[][] = [];
    const batcher = new Batcher(async (keys: number[]) => {
      loads.push(keys);
      return keys.map((k) => k * 10);
    });
    const first = await Promise.all([batcher.get(1), batcher.get(2), batcher.get(3)]);
    expect(first).toEqual([10, 20, 30]);
    expect(await batcher.get(4)).toBe(40);
    expect(loads).toEqual([[1, 2, 3], [4]]);
  });

  it('loads at once when a batch is full, and fails every request of a failed load', async () => {
    const loads: string[][] = [];
    const batcher = new Batcher(async (keys: string[]) => {
      loads.push(keys);
      if (keys.includes('bad')) throw new Error('database down');
      return keys.map((k) => k.toUpperCase());
    }, 2);
    const results = await Promise.allSettled([batcher.get('a'), batcher.get('b'), batcher.get('bad'), batcher.get('c')]);
    expect(loads).toEqual([
      ['a', 'b'],
      ['bad', 'c'],
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['A', 'B', 'database down', 'database down']);
  });
});
