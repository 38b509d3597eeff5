import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeProfile } from './profile-summary.js';

describe('bench/profile-summary.ts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sw-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the function a real --cpu-prof run spun in first, with its share of the samples', () => {
    const script =
      'function spinForAWhile() { const end = Date.now() + 400; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); return x; } spinForAWhile();';
    const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const summary = summarizeProfile(JSON.parse(readFileSync(path.join(dir, file!), 'utf8')));
    expect(summary.wall_ms).toBeGreaterThan(300);
    // Date.now is native and shows under its own name; the loop's own time is spinForAWhile's
    const spin = summary.functions.find((f) => f.name === 'spinForAWhile');
    expect(spin?.pct).toBeGreaterThan(30);
    expect(summary.functions[0]!.pct).toBeGreaterThanOrEqual(summary.functions.at(-1)!.pct);
  });

  it('counts idle and garbage collection apart and shares by file', () => {
    const frame = (id: number, functionName: string, url = '') => ({ id, callFrame: { functionName, url, lineNumber: 9 } });
    const summary = summarizeProfile({
      nodes: [frame(1, '(root)'), frame(2, '(idle)'), frame(3, '(garbage collector)'), frame(4, 'parse', 'file:///x/node_modules/pg/lib/result.js')],
      samples: [2, 2, 3, 4, 4, 4, 4, 4, 4, 4],
      timeDeltas: Array(10).fill(1000),
    });
    expect(summary).toMatchObject({ wall_ms: 10, idle_pct: 20, gc_pct: 10 });
    expect(summary.functions[0]).toEqual({ name: 'parse', where: 'pg/lib/result.js:10', pct: 70 });
    expect(summary.files[0]).toEqual({ file: 'pg/lib/result.js', pct: 70 });
  });
});
