import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRole, type RunningRole } from './spawn-role.js';

/** `sectorwars all` on embedded defaults runs the job scheduler in-process, once its world exists. */
const running: RunningRole[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((role) => role.stop()));
});

describe('`all` on embedded defaults', () => {
  it('leads the jobs itself and runs them on schedule', async () => {
    const role = await spawnRole('all', { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sw-all-jobs-')), JOB_OUTBOX_RELAY_EVERY: '1s' });
    running.push(role);
    const url = role.url;
    const relayed = (text: string) => Number(/^sectorwars_job_runs_total\{job="outbox-relay",status="succeeded",role="all"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    const deadline = Date.now() + 20_000;
    let metrics = '';
    while (Date.now() < deadline) {
      metrics = await (await fetch(`${url}/metrics`)).text();
      if (relayed(metrics) >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(relayed(metrics)).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^sectorwars_jobs_leader\{role="all"\} 1$/m);
    // At start the leader runs the current window of every job: the world's NPC traders exist.
    expect(metrics).toMatch(/^sectorwars_job_runs_total\{job="npc-traders",status="succeeded",role="all"\} 1$/m);
    expect(metrics).toMatch(/^sectorwars_job_runs_total\{job="rankings",status="succeeded",role="all"\} 1$/m);
  }, 70_000);
});
