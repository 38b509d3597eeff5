import type { AlignedData } from 'uplot';
import { when } from './forms.js';

/**
 * What a chart shows, apart from how it is drawn: the x values (times or named categories) and
 * the series over them. The same figures feed uPlot and the chart's text alternative, so what a
 * screen reader (or a browser test) reads is what the canvas draws.
 */
export type ChartX = { kind: 'time'; label: string; at: number[] } | { kind: 'category'; label: string; names: string[] };

export interface ChartSeries {
  label: string;
  /** one per x; null where the series has no value */
  values: (number | null)[];
  color: string;
  /** line (the default), step (a total that holds until it changes), bars, or dashed (a band's edge) */
  style?: 'line' | 'step' | 'bars' | 'dashed';
}

export interface ChartFigures {
  x: ChartX;
  series: ChartSeries[];
  /** fill between two series, by index into `series` (a price band between its min and max) */
  band?: { lower: number; upper: number };
}

export const xCount = (x: ChartX) => (x.kind === 'time' ? x.at.length : x.names.length);

/** uPlot's columns: the x values (seconds for time, the index for a category), then each series. */
export function alignedData(figures: ChartFigures): AlignedData {
  const { x } = figures;
  const xs = x.kind === 'time' ? x.at.map((ms) => ms / 1000) : x.names.map((_, i) => i);
  return [xs, ...figures.series.map((s) => s.values)];
}

const xName = (x: ChartX, i: number) => (x.kind === 'time' ? when(new Date(x.at[i]!).toISOString()) : x.names[i]!);

/** The figures as a table: a header (the x label, then each series), one row per x value. */
export function figureTable(figures: ChartFigures, format: (n: number) => string) {
  const { x, series } = figures;
  return {
    head: [x.label, ...series.map((s) => s.label)],
    rows: Array.from({ length: xCount(x) }, (_, i) => [xName(x, i), ...series.map((s) => (s.values[i] == null ? '—' : format(s.values[i]!)))]),
  };
}

/**
 * A sentence for the chart's label: over time, the newest values (the last x) of each series;
 * by category, every category's values (a handful of bars).
 */
export function latestSummary(title: string, figures: ChartFigures, format: (n: number) => string): string {
  const { x, series } = figures;
  const n = xCount(x);
  if (n === 0 || series.length === 0) return `${title}: no data yet`;
  const at = (i: number) => series.map((s) => `${s.label} ${s.values[i] == null ? '—' : format(s.values[i]!)}`).join(', ');
  if (x.kind === 'time') return `${title}, latest (${xName(x, n - 1)}): ${at(n - 1)}`;
  return `${title}: ${x.names.map((name, i) => `${name}: ${at(i)}`).join('; ')}`;
}
