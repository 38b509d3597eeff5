/**
 * A small SVG chart writer for bench reports: stacked panels of line charts (percentiles over
 * time, throughput) or bar charts (timings), each with axes, ticks and a legend. Plain strings,
 * no dependency: the output opens in any browser and renders inline on GitHub.
 */

export interface LineSeries {
  name: string;
  /** [x, y]; a null y leaves a gap (a window with no samples) */
  points: Array<[number, number | null]>;
}

export interface LinePanel {
  kind: 'line';
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
}

export interface Bar {
  label: string;
  value: number;
}

export interface BarPanel {
  kind: 'bar';
  title: string;
  yLabel: string;
  bars: Bar[];
}

export type Panel = LinePanel | BarPanel;

export interface ChartSpec {
  title: string;
  subtitle?: string;
  panels: Panel[];
}

const WIDTH = 960;
const PANEL_HEIGHT = 300;
const HEADER = 56;
const MARGIN = { left: 78, right: 24, top: 54, bottom: 48 };
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function renderChart(spec: ChartSpec): string {
  const height = HEADER + spec.panels.length * PANEL_HEIGHT;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="17" font-weight="600">${escapeXml(spec.title)}</text>`,
  ];
  if (spec.subtitle) parts.push(`<text x="${WIDTH / 2}" y="44" text-anchor="middle" fill="#555">${escapeXml(spec.subtitle)}</text>`);
  spec.panels.forEach((panel, i) => {
    const top = HEADER + i * PANEL_HEIGHT;
    parts.push(panel.kind === 'line' ? linePanel(panel, top) : barPanel(panel, top));
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function frameAt(top: number): Frame {
  return { x0: MARGIN.left, x1: WIDTH - MARGIN.right, y0: top + MARGIN.top, y1: top + PANEL_HEIGHT - MARGIN.bottom };
}

function linePanel(panel: LinePanel, top: number): string {
  const f = frameAt(top);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of panel.series) {
    for (const [x, y] of s.points) {
      xs.push(x);
      if (y !== null && Number.isFinite(y)) ys.push(y);
    }
  }
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  const yTicks = niceTicks(0, ys.length ? Math.max(...ys) : 1);
  const xMin = xTicks[0]!;
  const xMax = xTicks.at(-1)!;
  const yMax = yTicks.at(-1)!;
  const px = (x: number) => f.x0 + ((x - xMin) / (xMax - xMin || 1)) * (f.x1 - f.x0);
  const py = (y: number) => f.y1 - (y / (yMax || 1)) * (f.y1 - f.y0);

  const out = [panelTitle(panel.title, top), ...axes(f, panel.yLabel, panel.xLabel)];
  for (const t of yTicks) out.push(yTick(f, py(t), t));
  for (const t of xTicks) out.push(xTick(f, px(t), t));
  panel.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    }
    // A lone point has no segment to draw: mark it so it is not invisible.
    if (s.points.filter(([, y]) => y !== null).length === 1) {
      const [x, y] = s.points.find(([, v]) => v !== null)!;
      out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y!).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    if (d) out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round"/>`);
  });
  out.push(
    legend(
      f,
      panel.series.map((s) => s.name),
    ),
  );
  return `<g>${out.join('')}</g>`;
}

function barPanel(panel: BarPanel, top: number): string {
  const f = frameAt(top);
  const yTicks = niceTicks(0, Math.max(1e-9, ...panel.bars.map((b) => b.value)));
  const yMax = yTicks.at(-1)!;
  const py = (y: number) => f.y1 - (y / (yMax || 1)) * (f.y1 - f.y0);
  const slot = (f.x1 - f.x0) / Math.max(1, panel.bars.length);
  const out = [panelTitle(panel.title, top), ...axes(f, panel.yLabel, '')];
  for (const t of yTicks) out.push(yTick(f, py(t), t));
  panel.bars.forEach((bar, i) => {
    const x = f.x0 + i * slot + slot * 0.2;
    const w = slot * 0.6;
    const y = py(bar.value);
    const color = PALETTE[i % PALETTE.length]!;
    out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${(f.y1 - y).toFixed(1)}" fill="${color}"/>`);
    out.push(`<text x="${(x + w / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${formatTick(bar.value)}</text>`);
    out.push(`<text x="${(x + w / 2).toFixed(1)}" y="${f.y1 + 16}" text-anchor="middle">${escapeXml(bar.label)}</text>`);
  });
  return `<g>${out.join('')}</g>`;
}

function panelTitle(title: string, top: number): string {
  return `<text x="${MARGIN.left}" y="${top + 20}" font-size="14" font-weight="600">${escapeXml(title)}</text>`;
}

function axes(f: Frame, yLabel: string, xLabel: string): string[] {
  const midY = (f.y0 + f.y1) / 2;
  return [
    `<line x1="${f.x0}" y1="${f.y1}" x2="${f.x1}" y2="${f.y1}" stroke="#333"/>`,
    `<line x1="${f.x0}" y1="${f.y0}" x2="${f.x0}" y2="${f.y1}" stroke="#333"/>`,
    `<text transform="translate(18 ${midY}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(yLabel)}</text>`,
    xLabel ? `<text x="${(f.x0 + f.x1) / 2}" y="${f.y1 + 38}" text-anchor="middle" fill="#333">${escapeXml(xLabel)}</text>` : '',
  ];
}

function yTick(f: Frame, y: number, value: number): string {
  return (
    `<line x1="${f.x0}" y1="${y.toFixed(1)}" x2="${f.x1}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>` +
    `<text x="${f.x0 - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#333">${formatTick(value)}</text>`
  );
}

function xTick(f: Frame, x: number, value: number): string {
  return (
    `<line x1="${x.toFixed(1)}" y1="${f.y1}" x2="${x.toFixed(1)}" y2="${f.y1 + 5}" stroke="#333"/>` +
    `<text x="${x.toFixed(1)}" y="${f.y1 + 18}" text-anchor="middle" fill="#333">${formatTick(value)}</text>`
  );
}

function legend(f: Frame, names: string[]): string {
  // A row of its own between the panel's title and the plot, right-aligned: it never covers a line or the title.
  const widths = names.map((n) => 26 + n.length * 7);
  let x = Math.max(f.x0, f.x1 - widths.reduce((a, b) => a + b, 0));
  return names
    .map((name, i) => {
      const color = PALETTE[i % PALETTE.length]!;
      const item = `<rect x="${x.toFixed(1)}" y="${f.y0 - 18}" width="14" height="4" fill="${color}"/><text x="${(x + 18).toFixed(1)}" y="${f.y0 - 12}" fill="#333">${escapeXml(name)}</text>`;
      x += widths[i]!;
      return item;
    })
    .join('');
}

/**
 * Round tick values (1, 2 or 5 × 10^k apart) covering [min, max] in about `count` steps; the
 * first tick is ≤ min and the last ≥ max.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = first; t < max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

/** 1234567 → 1.23M, 45000 → 45k, 0.25 → 0.25. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(value: number): string {
  return String(Number(value.toFixed(Math.abs(value) >= 100 ? 0 : 2)));
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
