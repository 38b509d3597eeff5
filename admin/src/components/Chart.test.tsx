import { render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import type uPlot from 'uplot';
import { describe, expect, it, vi } from 'vitest';
import { alignedData, type ChartFigures, figureTable, latestSummary } from './chart-figures.js';
import { when } from './forms.js';

/**
 * happy-dom has no 2D canvas, so uPlot cannot draw here: the plots are recorded by a stand-in
 * with uPlot's surface (made, given a size, destroyed), and the figures are checked as the text
 * alternative shows them. The browser test reads real charts in Chromium.
 */
const plots = vi.hoisted(() => [] as Array<{ opts: uPlot.Options; data: uPlot.AlignedData; host: HTMLElement; sizes: unknown[]; destroyed: boolean }>);
vi.mock('uplot', () => {
  class RecordedPlot {
    static paths = { stepped: () => 'stepped', bars: () => 'bars' };
    record: (typeof plots)[number];
    constructor(opts: uPlot.Options, data: uPlot.AlignedData, host: HTMLElement) {
      this.record = { opts, data, host, sizes: [], destroyed: false };
      plots.push(this.record);
    }
    setSize(size: unknown) {
      this.record.sizes.push(size);
    }
    destroy() {
      this.record.destroyed = true;
    }
  }
  return { default: RecordedPlot };
});
const { Chart, plotOptions } = await import('./Chart.js');

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 3, 12);
const supply: ChartFigures = {
  x: { kind: 'time', label: 'Time', at: [T0, T0 + HOUR, T0 + 2 * HOUR] },
  series: [{ label: 'Money supply', values: [0, 24_690, 21_190], color: '#38e1c6', style: 'step' }],
};
const flows: ChartFigures = {
  x: { kind: 'category', label: 'Reason', names: ['starting_credits', 'trade_sell'] },
  series: [{ label: 'Credits in', values: [24_690, null], color: '#5ee38b', style: 'bars' }],
};
const cr = (n: number) => `${n.toLocaleString('en-US')} cr`;

describe('chart figures', () => {
  it('gives uPlot seconds for times and indexes for categories, each series after them', () => {
    expect(alignedData(supply)).toEqual([
      [T0 / 1000, T0 / 1000 + 3600, T0 / 1000 + 7200],
      [0, 24_690, 21_190],
    ]);
    expect(alignedData(flows)).toEqual([
      [0, 1],
      [24_690, null],
    ]);
  });

  it('tables every point as the page shows times, with a dash where a series has no value', () => {
    expect(figureTable(supply, cr)).toEqual({
      head: ['Time', 'Money supply'],
      rows: [
        [when(new Date(T0).toISOString()), '0 cr'],
        [when(new Date(T0 + HOUR).toISOString()), '24,690 cr'],
        [when(new Date(T0 + 2 * HOUR).toISOString()), '21,190 cr'],
      ],
    });
    expect(figureTable(flows, cr).rows).toEqual([
      ['starting_credits', '24,690 cr'],
      ['trade_sell', '—'],
    ]);
  });

  it('sums up the newest values over time, every category by name, and says when there is nothing', () => {
    expect(latestSummary('Money supply', supply, cr)).toBe(`Money supply, latest (${when(new Date(T0 + 2 * HOUR).toISOString())}): Money supply 21,190 cr`);
    expect(latestSummary('Sources', flows, cr)).toBe('Sources: starting_credits: Credits in 24,690 cr; trade_sell: Credits in —');
    expect(latestSummary('Sources', { ...flows, x: { kind: 'category', label: 'Reason', names: [] }, series: [] }, cr)).toBe('Sources: no data yet');
  });

  it('pads a single time point by an hour each side, spans categories by index, and fills a band between its edges', () => {
    const one = plotOptions({ ...supply, x: { kind: 'time', label: 'Time', at: [T0] } }, 600, 200);
    const range = one.scales!.x!.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(range({ data: [[100]] } as unknown as uPlot, 100, 100 + 86_400_000)).toEqual([100 - 3600, 100 + 3600]);
    expect(range({ data: [[100, 200]] } as unknown as uPlot, 100, 200)).toEqual([100, 200]);
    const bars = plotOptions(flows, 600, 200);
    expect((bars.scales!.x!.range as unknown as () => number[])()).toEqual([-0.5, 1.5]);
    const band = plotOptions(
      {
        x: { kind: 'time', label: 'Time', at: [T0] },
        series: ['min', 'mean', 'max'].map((label) => ({ label, values: [1], color: '#fff' })),
        band: { lower: 0, upper: 2 },
      },
      600,
      200,
    );
    expect(band.bands).toEqual([{ series: [3, 1], fill: expect.any(String) }]);
    expect(band.series).toHaveLength(4);
  });
});

describe('Chart', () => {
  it('makes its plot in its own box, remakes it for new figures, and destroys it with the component', () => {
    plots.length = 0;
    const [figures, setFigures] = createSignal(supply);
    const { unmount } = render(() => <Chart title="Money supply" figures={figures()} format={cr} height={180} />);
    expect(plots).toHaveLength(1);
    const plot = screen.getByRole('img', { name: /^Money supply, latest/ });
    expect(plots[0]!.host).toBe(plot);
    expect(plots[0]!.data).toEqual(alignedData(supply));
    expect(plots[0]!.opts.height).toBe(180);
    expect(plots[0]!.opts.width).toBeGreaterThanOrEqual(280);

    const table = screen.getByRole('table', { name: 'Money supply (figures)' });
    expect([...table.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild!.textContent)).toEqual(['0 cr', '24,690 cr', '21,190 cr']);

    setFigures({ ...supply, series: [{ ...supply.series[0]!, values: [0, 24_690, 30_000] }] });
    expect(plots).toHaveLength(2);
    expect(plots[0]!.destroyed).toBe(true);
    expect(plots[1]!.data[1]).toEqual([0, 24_690, 30_000]);
    expect(table.querySelector('tbody tr:last-child td:last-child')!.textContent).toBe('30,000 cr');
    expect(plot.getAttribute('aria-label')).toContain('Money supply 30,000 cr');

    unmount();
    expect(plots[1]!.destroyed).toBe(true);
  });

  it('keys several series by colour and name; one series needs no key', () => {
    const band: ChartFigures = {
      x: { kind: 'time', label: 'Time', at: [T0] },
      series: [
        { label: 'Lowest', values: [40], color: '#ff6b85', style: 'dashed' },
        { label: 'Mean', values: [45], color: '#ffb547' },
        { label: 'Highest', values: [52], color: '#5ee38b', style: 'dashed' },
      ],
      band: { lower: 0, upper: 2 },
    };
    const { container } = render(() => (
      <>
        <Chart title="Ore price" figures={band} />
        <Chart title="Sources" figures={flows} />
      </>
    ));
    const [price, sources] = [...container.querySelectorAll('figure')];
    expect([...price!.querySelectorAll('.chart-key-item')].map((k) => k.textContent)).toEqual(['Lowest', 'Mean', 'Highest']);
    expect(sources!.querySelector('.chart-key')).toBeNull();
  });
});
