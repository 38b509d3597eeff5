import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml, formatTick, niceTicks, renderChart } from './chart.js';
import { formatCell, renderSummary, renderTable, writeReport, type BenchReport } from './report.js';

const report: BenchReport = {
  scenario: 'actions',
  title: 'actions: 5 virtual players, 3 s',
  startedAt: '2026-01-02T03:04:05.000Z',
  finishedAt: '2026-01-02T03:04:15.000Z',
  machine: { cores: 2, cpu_model: 'Test CPU', memory_gb: 24, os: 'Linux', node: 'v20.0.0', hostname: 'h' },
  options: { players: 5 },
  target: { kind: 'embedded' },
  results: { actions_per_second: 123.4, ratio: Number.NaN },
  targets: [
    { name: 'p95', goal: '< 50 ms', value: '12 ms', met: true },
    { name: 'ratio', goal: '≥ 60%', value: '40%', met: false },
    { name: 'sockets', goal: '10,000', value: '500', met: null },
  ],
  tables: [
    {
      title: 'Throughput',
      columns: ['phase', 'per second', 'codes'],
      rows: [
        ['api', 1234567, '200: 5 | 409: 1'],
        ['raw', null, ''],
      ],
    },
  ],
  notes: ['a note'],
  chart: {
    title: 'Latency <&> throughput',
    panels: [
      {
        kind: 'line',
        title: 'latency',
        xLabel: 'seconds',
        yLabel: 'ms',
        series: [
          {
            name: 'p50',
            points: [
              [1, 2],
              [2, null],
              [3, 4],
            ],
          },
          { name: 'p99', points: [[1, 9]] },
        ],
      },
      {
        kind: 'bar',
        title: 'by action',
        yLabel: 'ms',
        bars: [
          { label: 'state', value: 3 },
          { label: 'move', value: 12.5 },
        ],
      },
    ],
  },
};

describe('chart', () => {
  it('chooses round ticks that cover the data', () => {
    expect(niceTicks(0, 97)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1, 30)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(0, 0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(5, 5)).toEqual([5, 5.2, 5.4, 5.6, 5.8, 6]);
  });

  it('formats tick labels compactly', () => {
    expect(formatTick(45_000)).toBe('45k');
    expect(formatTick(1_234_567)).toBe('1.23M');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(150)).toBe('150');
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });

  it('draws panels with axes, legends, gaps and bars', () => {
    const svg = renderChart(report.chart);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="960" height="656"')).toBe(true);
    expect(svg).toContain('Latency &lt;&amp;&gt; throughput');
    // p50 has a gap at x=2: two move-to commands, no line across it.
    const p50 = /<path d="([^"]+)" fill="none" stroke="#1f77b4"/.exec(svg)![1]!;
    expect(p50.match(/M/g)).toHaveLength(2);
    expect(p50).not.toContain('L');
    // p99 has one point: drawn as a dot.
    expect(svg).toContain('<circle');
    expect(svg).toContain('>p99</text>');
    expect(svg.match(/<rect x=/g)).toHaveLength(2 + 2); // two bars + two legend swatches
    expect(svg).toContain('>12.5</text>');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('report writers', () => {
  it('formats cells: thousands, missing values', () => {
    expect(formatCell(1_234_567)).toBe('1,234,567');
    expect(formatCell(-4200)).toBe('-4,200');
    expect(formatCell(2.5)).toBe('2.5');
    expect(formatCell(null)).toBe('–');
    expect(formatCell(Number.NaN)).toBe('–');
  });

  it('renders Markdown tables, numbers right-aligned and pipes escaped', () => {
    const md = renderTable(report.tables[0]!);
    expect(md.split('\n')).toEqual([
      '## Throughput',
      '',
      '| phase | per second | codes |',
      '| --- | ---: | --- |',
      '| api | 1,234,567 | 200: 5 \\| 409: 1 |',
      '| raw | – |  |',
      '',
    ]);
  });

  it('summarizes targets as yes / NO / n/a', () => {
    const md = renderSummary(report);
    expect(md).toContain('# actions: 5 virtual players, 3 s');
    expect(md).toContain('- Machine: 2 cores (Test CPU), 24 GB, Linux, Node v20.0.0');
    expect(md).toContain('| p95 | < 50 ms | 12 ms | yes |');
    expect(md).toContain('| ratio | ≥ 60% | 40% | NO |');
    expect(md).toContain('| sockets | 10,000 | 500 | n/a |');
    expect(md).toContain('- a note');
    expect(md).toContain('![chart](chart.svg)');
  });

  it('writes result.json, summary.md and chart.svg', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-report-'));
    try {
      const written = await writeReport(path.join(dir, 'out'), report);
      const json = JSON.parse(await readFile(written.json, 'utf8'));
      expect(Object.keys(json)).toEqual(['scenario', 'started_at', 'finished_at', 'machine', 'options', 'target', 'results', 'targets', 'notes']);
      expect(json.results).toEqual({ actions_per_second: 123.4, ratio: null });
      expect(await readFile(written.markdown, 'utf8')).toContain('| ratio | ≥ 60% | 40% | NO |');
      expect(await readFile(written.svg, 'utf8')).toContain('<svg');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
