import { afterEach, describe, expect, it } from 'vitest';
import type { JobName } from '../platform/config.js';
import { recordEvents } from '../platform/events.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { jobDeps } from '../tests/job-helpers.js';
import type { JobDefinition } from './runner.js';
import { startScheduler, type Scheduler } from './scheduler.js';

const apps: TestApp[] = [];
const schedulers: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  await Promise.all(apps.splice(0).map((t) => t.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-second job; each window writes a marker naming the window. */
function ticker(workMs = 0): JobDefinition {
  return {
    name: 'ticker' as JobName,
    summary: 'test ticker',
    every: { ms: 1_000, clock: 'wall' },
    timeoutMs: 10_000,
    async run(ctx) {
      if (workMs > 0) await sleep(workMs);
      await ctx.transaction((trx) => recordEvents(trx, [{ topic: 'admin', type: 'tick', data: { window: ctx.windowStart.toISOString() } }]));
      return {};
    },
  };
}

const runs = (t: TestApp) => t.db.selectFrom('job_runs').selectAll().where('job', '=', 'ticker').orderBy('window_start').execute();

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('job scheduler', () => {
  it('with two schedulers, one leads and each window runs once; the other takes over when the leader stops', async () => {
    const t = await createTestApp({ config: { JOBS_LEASE_SECONDS: '1' } });
    apps.push(t);
    const jobs = [ticker()];
    const a = startScheduler(jobDeps(t), { jobs, owner: 'scheduler-a' });
    schedulers.push(a);
    await until('a to lead', async () => (a.leader ? true : undefined));
    const b = startScheduler(jobDeps(t), { jobs, owner: 'scheduler-b' });
    schedulers.push(b);
    await sleep(3_300);
    expect(b.leader).toBe(false);

    const before = await runs(t);
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const run of before) expect(run).toMatchObject({ status: 'succeeded', attempts: 1, owner: 'scheduler-a', trigger: 'schedule' });
    const starts = before.map((r) => r.window_start.getTime());
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(1_000);

    await a.stop();
    await until('b to lead', async () => (b.leader ? true : undefined), 3_000);
    await sleep(2_200);
    const after = await runs(t);
    const taken = after.filter((r) => r.owner === 'scheduler-b');
    expect(taken.length).toBeGreaterThanOrEqual(2);
    expect(after.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
    const ticks = await t.db.selectFrom('outbox').select('data').where('type', '=', 'tick').execute();
    const windows = ticks.map((r) => (r.data as { window: string }).window);
    expect(new Set(windows).size).toBe(windows.length);
    expect(windows.length).toBe(after.length);
  });

  it('hands a window interrupted by shutdown to the next leader, which finishes it', async () => {
    const t = await createTestApp({ config: { JOBS_LEASE_SECONDS: '1' } });
    apps.push(t);
    const jobs = [ticker(1_500)];
    const a = startScheduler(jobDeps(t), { jobs, owner: 'scheduler-a' });
    schedulers.push(a);
    const interrupted = await until('a window to start', async () => (await runs(t)).find((r) => r.status === 'running'));
    const b = startScheduler(jobDeps(t), { jobs, owner: 'scheduler-b' });
    schedulers.push(b);
    await a.stop();

    const finished = await until('the interrupted window to finish', async () => {
      const row = (await runs(t)).find((r) => r.window_start.getTime() === interrupted.window_start.getTime());
      return row?.status === 'succeeded' ? row : undefined;
    });
    expect(finished).toMatchObject({ owner: 'scheduler-b', trigger: 'recovery', attempts: 2 });
    const ticks = await t.db.selectFrom('outbox').select('data').where('type', '=', 'tick').execute();
    expect(ticks.filter((r) => (r.data as { window: string }).window === interrupted.window_start.toISOString())).toHaveLength(1);
  });
});
