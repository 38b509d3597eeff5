import { describe, expect, it } from 'vitest';
import { HistogramTimeline, LogHistogram, Samples, Tally, Timeline, percentile, ratio, round, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('picks measured values', () => {
    expect(percentile(oneToTen, 50)).toBe(5);
    expect(percentile(oneToTen, 95)).toBe(10);
    expect(percentile(oneToTen, 90)).toBe(9);
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(summarize([]).count).toBe(0);
  });

  it('summarizes sorted samples', () => {
    const s = new Samples();
    for (const v of [5, 1, 3, 9, 7]) s.add(v);
    expect([...s.sorted()]).toEqual([1, 3, 5, 7, 9]);
    expect(s.summary()).toEqual({ count: 5, mean: 5, min: 1, p50: 5, p95: 9, p99: 9, max: 9 });
  });

  it('keeps growing past its first buffer', () => {
    const s = new Samples();
    for (let i = 3000; i >= 1; i--) s.add(i);
    expect(s.count).toBe(3000);
    expect(s.summary().p50).toBe(1500);
    expect(s.summary().p99).toBe(2970);
  });
});

describe('Timeline', () => {
  it('buckets by completion time and keeps empty windows', () => {
    const t = new Timeline(1_000);
    t.record(1_100, 10);
    t.record(1_900, 20);
    t.record(2_500, 30);
    t.record(4_500, 40);
    const stats = t.stats();
    expect(stats.map((w) => w.t)).toEqual([1, 2, 3, 4]);
    expect(stats.map((w) => w.count)).toEqual([2, 1, 0, 1]);
    expect(stats[0]).toMatchObject({ perSecond: 2, p50: 10, p99: 20 });
    expect(stats[2]!.p50).toBeNaN();
  });

  it('puts a sample landing on the end into the last window', () => {
    const t = new Timeline(0, 1000, 2000);
    t.record(2000, 5);
    expect(t.stats().map((w) => w.count)).toEqual([0, 1]);
  });
});

describe('LogHistogram', () => {
  it('reports percentiles within 2% and caps at the largest sample', () => {
    const h = new LogHistogram();
    for (let i = 0; i < 99; i++) h.add(1);
    h.add(100);
    expect(h.count).toBe(100);
    expect(h.percentile(50)).toBeGreaterThanOrEqual(1);
    expect(h.percentile(50)).toBeLessThan(1.02);
    expect(h.percentile(99)).toBeLessThan(1.02);
    expect(h.percentile(100)).toBe(100);
    expect(h.summary()).toMatchObject({ count: 100, min: 1, max: 100 });
    expect(h.summary().mean).toBeCloseTo(1.99, 10);
  });

  it('keeps a timeline of histograms', () => {
    const t = new HistogramTimeline(0, 1000, 3000);
    t.record(10, 2);
    t.record(2_999, 4);
    t.record(3_000, 8);
    const stats = t.stats();
    expect(stats.map((w) => w.count)).toEqual([1, 0, 2]);
    expect(stats[2]!.p99).toBe(8);
  });
});

describe('Tally, round and ratio', () => {
  it('counts by key, largest first', () => {
    const t = new Tally();
    t.add('200', 5);
    t.add('409 insufficient_holds');
    t.add('500 internal_error', 2);
    expect(Object.entries(t.toJSON())).toEqual([
      ['200', 5],
      ['500 internal_error', 2],
      ['409 insufficient_holds', 1],
    ]);
    expect(t.total).toBe(8);
  });

  it('rounds and divides safely', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.25, 1)).toBe(1.3);
    expect(round(Number.NaN)).toBeNull();
    expect(ratio(60, 100)).toBe(0.6);
    expect(ratio(1, 0)).toBeNull();
  });
});
