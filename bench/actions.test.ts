import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { main } from './cli.js';

/**
 * The whole harness once, small: `actions` for 3 s with 5 players against an embedded target it
 * starts itself (sectorwars all on a temp DATA_DIR), through the CLI, reading what it wrote.
 */
it('runs the actions scenario end to end and writes its report', async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'bench-actions-'));
  try {
    const code = await main(['actions', '--players', '5', '--duration', '3', '--warmup', '1', '--no-baselines', '--embedded', '--quiet', '--out', out]);
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.scenario).toBe('actions');
    expect(result.target).toMatchObject({ kind: 'embedded', role: 'all' });
    expect(result.options).toMatchObject({ players: 5, duration_s: 3 });
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.results.actions_per_second).toBeGreaterThan(0);
    expect(result.results.server_errors).toBe(0);
    expect(Object.keys(result.results.per_action)).toEqual(['state', 'sector', 'quote', 'buy', 'sell', 'move']);
    expect(result.results.per_action.state.count).toBeGreaterThan(0);
    expect(result.results.latency_ms.p95).toBeGreaterThanOrEqual(result.results.latency_ms.p50);
    expect(result.results.registration.players).toBe(5);
    expect(result.targets.map((t: { name: string }) => t.name)).toContain('server errors');
    expect(result.targets.find((t: { name: string }) => t.name === 'server errors').met).toBe(true);
    for (const file of ['summary.md', 'chart.svg', 'logs/all.log']) expect((await stat(path.join(out, file))).size).toBeGreaterThan(0);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 120_000);
