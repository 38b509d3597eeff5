import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderChart, type ChartSpec } from './chart.js';
import { machineLine, type MachineInfo } from './machine.js';

/** One of the issue's targets, as this run measured it; `met` is null when the run could not tell. */
export interface TargetCheck {
  name: string;
  goal: string;
  value: string;
  met: boolean | null;
}

export type Cell = string | number | null;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
  note?: string;
}

/** Everything a scenario hands back: the figures (JSON), how to read them (tables), and the chart. */
export interface BenchReport {
  scenario: string;
  title: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: Record<string, unknown>;
  target: Record<string, unknown>;
  results: Record<string, unknown>;
  targets: TargetCheck[];
  tables: Table[];
  notes: string[];
  chart: ChartSpec;
}

export interface WrittenReport {
  dir: string;
  json: string;
  markdown: string;
  svg: string;
}

/** result.json (the figures, for machines), summary.md (for people) and chart.svg, in `dir`. */
export async function writeReport(dir: string, report: BenchReport): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const files = { json: path.join(dir, 'result.json'), markdown: path.join(dir, 'summary.md'), svg: path.join(dir, 'chart.svg') };
  await writeFile(files.json, resultJson(report));
  await writeFile(files.markdown, renderSummary(report));
  await writeFile(files.svg, renderChart(report.chart));
  return { dir, ...files };
}

export function resultJson(report: BenchReport): string {
  const { chart: _chart, tables: _tables, title: _title, ...rest } = report;
  return (
    JSON.stringify(
      {
        scenario: rest.scenario,
        started_at: rest.startedAt,
        finished_at: rest.finishedAt,
        machine: rest.machine,
        options: rest.options,
        target: rest.target,
        results: rest.results,
        targets: rest.targets,
        notes: rest.notes,
      },
      (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value),
      2,
    ) + '\n'
  );
}

export function renderSummary(report: BenchReport): string {
  const lines = [
    `# ${report.title}`,
    '',
    `- Date: ${report.startedAt} → ${report.finishedAt}`,
    `- Machine: ${machineLine(report.machine)}`,
    `- Target: ${Object.entries(report.target)
      .map(([k, v]) => `${k} ${formatValue(v)}`)
      .join(', ')}`,
    `- Options: ${Object.entries(report.options)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(', ')}`,
    '',
  ];
  if (report.targets.length > 0) {
    lines.push(
      renderTable({
        title: 'Targets',
        columns: ['target', 'goal', 'measured', 'met'],
        rows: report.targets.map((t) => [t.name, t.goal, t.value, t.met === null ? 'n/a' : t.met ? 'yes' : 'NO']),
      }),
    );
  }
  for (const table of report.tables) lines.push(renderTable(table));
  if (report.notes.length > 0) lines.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  lines.push('![chart](chart.svg)', '');
  return lines.join('\n');
}

export function renderTable(table: Table): string {
  const escape = (cell: Cell) => formatCell(cell).replace(/\|/g, '\\|');
  // Numbers right-aligned, words left: a column is numeric when every cell in it is a number.
  const numeric = table.columns.map((_c, i) => table.rows.length > 0 && table.rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  const out = [
    `## ${table.title}`,
    '',
    `| ${table.columns.join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
    '',
  ];
  if (table.note) out.push(table.note, '');
  return out.join('\n');
}

/** Integers grouped by thousands, other numbers as given, missing values as an en dash. */
export function formatCell(cell: Cell): string {
  if (cell === null || (typeof cell === 'number' && !Number.isFinite(cell))) return '–';
  if (typeof cell === 'number') return Number.isInteger(cell) ? groupThousands(cell) : String(cell);
  return cell;
}

function groupThousands(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatValue(value: unknown): string {
  if (typeof value === 'number' || value === null) return formatCell(value as Cell);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
