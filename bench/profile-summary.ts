import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:profile -- FILE.cpuprofile [--top N]`: what a `--profile` run's process spent its
 * time on, as text a closing note can quote: the share of samples by function (self time, where
 * the time is spent) and by source file, idle and garbage collection apart.
 */
interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  wall_ms: number;
  /** % of samples by function (self time) */
  functions: Array<{ name: string; where: string; pct: number }>;
  /** % of samples by file (node internals and native code under their own names) */
  files: Array<{ file: string; pct: number }>;
  idle_pct: number;
  gc_pct: number;
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  let wall = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    wall += dt;
    selfMs.set(id, (selfMs.get(id) ?? 0) + dt);
  });
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  const byFile = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') idle += ms;
    if (functionName === '(garbage collector)') gc += ms;
    const file = url ? shortFile(url) : functionName || '(anonymous)';
    const where = url ? `${file}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const pct = (ms: number) => Math.round((1000 * ms) / Math.max(wall, 1e-9)) / 10;
  return {
    wall_ms: Math.round(wall),
    functions: [...byFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, pct: pct(f.ms) })),
    files: [...byFile]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([file, ms]) => ({ file, pct: pct(ms) })),
    idle_pct: pct(idle),
    gc_pct: pct(gc),
  };
}

/** A source file as a reader finds it: the repository's own relative, a package by its name. */
function shortFile(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + '/node_modules/'.length);
  const root = path.resolve(import.meta.dirname, '..');
  return file.startsWith(root) ? path.relative(root, file) : file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
  if (positionals.length === 0) {
    process.stderr.write('usage: npm run bench:profile -- FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  for (const file of positionals) {
    const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top ?? 25));
    process.stdout.write(`${file}: ${s.wall_ms} ms sampled, idle ${s.idle_pct}%, garbage collection ${s.gc_pct}%\n\nself time by function\n`);
    for (const f of s.functions) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${f.name}${f.where ? `  ${f.where}` : ''}\n`);
    process.stdout.write('\nself time by file\n');
    for (const f of s.files) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${f.file}\n`);
    process.stdout.write('\n');
  }
}
