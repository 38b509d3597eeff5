import { describe, expect, it } from 'vitest';
import { flowFigures, periodWindow, priceFigures, supplyFigures } from './economy-figures.js';

const T = (iso: string) => Date.parse(iso);

describe('economy figures', () => {
  it('reads two days by the hour or a month by the day, starting on a whole hour or day', () => {
    const now = T('2026-12-03T14:37:12.000Z');
    expect(periodWindow('hour', now)).toEqual({ from: '2026-12-01T14:00:00.000Z', to: '2026-12-03T14:37:12.000Z' });
    expect(periodWindow('day', now)).toEqual({ from: '2026-11-03T00:00:00.000Z', to: '2026-12-03T14:37:12.000Z' });
  });

  it('steps the supply from the opening through each bucket to the window’s end, never before its start', () => {
    const figures = supplyFigures({
      window: { from: '2026-12-03T10:30:00.000Z', to: '2026-12-03T14:00:00.000Z' },
      bucket: 'hour',
      opening_supply: 1_000,
      buckets: [
        { start: '2026-12-03T10:00:00.000Z', minted: 500, burned: 0, net: 500, entries: 1, supply: 1_500 },
        { start: '2026-12-03T12:00:00.000Z', minted: 0, burned: 200, net: -200, entries: 2, supply: 1_300 },
      ],
    });
    expect(figures.x).toEqual({
      kind: 'time',
      label: 'Time',
      at: [T('2026-12-03T10:30:00.000Z'), T('2026-12-03T10:30:00.000Z'), T('2026-12-03T12:00:00.000Z'), T('2026-12-03T14:00:00.000Z')],
    });
    expect(figures.series.map((s) => [s.style, s.values])).toEqual([['step', [1_000, 1_500, 1_300, 1_300]]]);
  });

  it('holds the opening supply across a window with no ledger entries', () => {
    const figures = supplyFigures({
      window: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' },
      bucket: 'day',
      opening_supply: 7,
      buckets: [],
    });
    expect(figures.series[0]!.values).toEqual([7, 7]);
  });

  it('bars the sources by what they brought in and the sinks by what they took out', () => {
    const { sources, sinks } = flowFigures({
      window: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' },
      sources: [{ reason: 'starting_credits', credits_in: 50_000, credits_out: 0, entries: 2 }],
      sinks: [
        { reason: 'trade_buy', credits_in: 0, credits_out: 1_400, entries: 1 },
        { reason: 'toll_paid', credits_in: 0, credits_out: 100, entries: 1 },
      ],
    });
    expect([sources.x, sources.series[0]!.values]).toEqual([{ kind: 'category', label: 'Reason', names: ['starting_credits'] }, [50_000]]);
    expect([sinks.x, sinks.series[0]!.values]).toEqual([{ kind: 'category', label: 'Reason', names: ['trade_buy', 'toll_paid'] }, [1_400, 100]]);
  });

  it('draws a price between its band: lowest and highest as the band’s edges, the mean inside', () => {
    const figures = priceFigures({
      window: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' },
      good: 'ore',
      side: 'sell',
      points: [
        { at: '2026-12-02T10:00:00.000Z', ports: 25, min: 18, max: 20, mean: 19.24 },
        { at: '2026-12-02T11:00:00.000Z', ports: 25, min: 17, max: 21, mean: 19 },
      ],
    });
    expect(figures.series.map((s) => [s.label, s.values])).toEqual([
      ['Lowest', [18, 17]],
      ['Mean', [19.24, 19]],
      ['Highest', [20, 21]],
    ]);
    expect(figures.band).toEqual({ lower: 0, upper: 2 });
  });
});
