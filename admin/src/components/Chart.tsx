import { createEffect, For, onCleanup, onMount, Show } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignedData, type ChartFigures, type ChartSeries, figureTable, latestSummary } from './chart-figures.js';

export interface ChartProps {
  /** the caption, and the name of the figures' table */
  title: string;
  figures: ChartFigures;
  /** a y value in words, in the table and the summary: `24,690 cr` */
  format?: (n: number) => string;
  height?: number;
}

const plain = (n: number) => n.toLocaleString('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
/** the admin palette's muted text and edges (styles.css) */
const AXIS = { stroke: '#8593ad', grid: { stroke: '#1f2c47', width: 1 }, ticks: { stroke: '#1f2c47', width: 1 } };
/** below this a chart is unreadable; a container not laid out yet (width 0) gets it too */
const MIN_WIDTH = 280;

function seriesOptions(s: ChartSeries): uPlot.Series {
  const base = { label: s.label, stroke: s.color, width: 2 };
  switch (s.style) {
    case 'step':
      return { ...base, paths: uPlot.paths.stepped!({ align: 1 }) };
    case 'bars':
      return { ...base, width: 1, fill: `${s.color}55`, paths: uPlot.paths.bars!({ size: [0.6, 72] }), points: { show: false } };
    case 'dashed':
      return { ...base, width: 1.5, dash: [6, 4] };
    default:
      return base;
  }
}

/** How uPlot draws the figures: a time axis or named categories, the palette, no zoom, no legend (the caption and key say it). */
export function plotOptions(figures: ChartFigures, width: number, height: number): uPlot.Options {
  const { x, band } = figures;
  const hour = 3600;
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x:
        x.kind === 'time'
          ? // One point gets an hour either side (uPlot alone would give it a thousand days).
            { time: true, range: (u, min, max) => (u.data[0].length === 1 ? [u.data[0][0]! - hour, u.data[0][0]! + hour] : [min, max]) }
          : { time: false, range: () => [-0.5, x.names.length - 0.5] },
    },
    axes: [
      x.kind === 'time' ? AXIS : { ...AXIS, splits: () => x.names.map((_, i) => i), values: (_u, splits) => splits.map((i) => x.names[i] ?? '') },
      { ...AXIS, size: 60, values: (_u, splits) => splits.map((n) => compact.format(n)) },
    ],
    series: [{}, ...figures.series.map(seriesOptions)],
    // uPlot counts series from 1 (0 is x); a band is [upper, lower].
    ...(band ? { bands: [{ series: [band.upper + 1, band.lower + 1], fill: 'rgba(255, 181, 71, 0.12)' }] } : {}),
  };
}

/**
 * A uPlot chart that lives and dies with the component and follows its container's width. Its
 * text alternative is the figures themselves: a summary of the newest values as the plot's label,
 * and a visually hidden table of every point, so a screen reader (or a test) reads what it draws.
 */
export function Chart(props: ChartProps) {
  let host: HTMLDivElement | undefined;
  let plot: uPlot | undefined;
  const height = () => props.height ?? 220;
  const format = (n: number) => (props.format ?? plain)(n);
  const width = () => Math.max(host?.clientWidth ?? 0, MIN_WIDTH);

  onMount(() => {
    // New figures make a new plot: their series (and so uPlot's options) may differ.
    createEffect(() => {
      const figures = props.figures;
      plot?.destroy();
      plot = new uPlot(plotOptions(figures, width(), height()), alignedData(figures), host!);
    });
    const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: height() }));
    resize.observe(host!);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    });
  });

  const table = () => figureTable(props.figures, format);
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{props.title}</span>
        <Show when={props.figures.series.length > 1}>
          <span class="chart-key">
            <For each={props.figures.series}>
              {(s) => (
                <span class="chart-key-item">
                  <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
                  {s.label}
                </span>
              )}
            </For>
          </span>
        </Show>
      </figcaption>
      <div class="chart-plot" ref={host} role="img" aria-label={latestSummary(props.title, props.figures, format)} />
      <table class="sr-only">
        <caption>{props.title} (figures)</caption>
        <thead>
          <tr>
            <For each={table().head}>{(h) => <th scope="col">{h}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={table().rows}>
            {(row) => (
              <tr>
                <For each={row}>{(cell) => <td>{cell}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </figure>
  );
}
