import { afterEach, describe, expect, it } from 'vitest';
import { recordEvents } from '../tests/game-helpers.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { jobDeps } from '../tests/job-helpers.js';
import { ManualClock } from './clock.js';
import type { JobName } from './names.js';
import type { JobDefinition } from './runner.js';
import { type Scheduler, startScheduler } from './scheduler.js';

const apps: TestApp[] = [];
const schedulers: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  await Promise.all(apps.splice(0).map((t) => t.close()));
});

/** A one-second job; each window writes a marker naming the window (after working `workMs` of the clock's time). */
function ticker(workMs = 0): JobDefinition {
  return {
    name: 'ticker' as JobName,
    summary: 'test ticker',
    every: { ms: 1_000, clock: 'wall' },
    timeoutMs: 10_000,
    async run(ctx) {
      if (workMs > 0) await ctx.clock.sleep(workMs);
      await ctx.transaction((trx) => recordEvents(trx, [{ topic: 'admin', type: 'tick', data: { window: ctx.windowStart.toISOString() } }]));
      return {};
    },
  };
}

const runs = (t: TestApp) => t.region.selectFrom('job_runs').selectAll().where('job', '=', 'ticker').orderBy('window_start').execute();

/**
 * Two schedulers on one manual clock (a second is a loop of 250 ms steps, not a
 * second of waiting): after each step, whatever the step started finishes before the next.
 */
function cluster(t: TestApp, clock: ManualClock) {
  const started: Scheduler[] = [];
  // A window whose job waits on the clock only finishes once the clock moves on: give each step's
  // work a moment of real time to land, without waiting on what cannot finish yet.
  const settle = async () => {
    await Promise.race([Promise.all(started.map((s) => s.settled())), new Promise((resolve) => setTimeout(resolve, 200))]);
  };
  return {
    start(owner: string, jobs: JobDefinition[]) {
      const s = startScheduler(jobDeps(t, clock), { jobs, owner });
      started.push(s);
      schedulers.push(s);
      return s;
    },
    async pass(ms: number) {
      for (let done = 0; done < ms; done += 250) await clock.advance(Math.min(250, ms - done), settle);
    },
    settle,
  };
}

describe('job scheduler', () => {
  it('with two schedulers, one leads and each window runs once; the other takes over when the leader stops', async () => {
    const t = await createTestApp({ config: { JOBS_LEASE_SECONDS: '1' } });
    apps.push(t);
    const clock = new ManualClock(Date.UTC(2031, 6, 1, 12, 0, 0, 500));
    const c = cluster(t, clock);
    const jobs = [ticker()];
    const a = c.start('scheduler-a', jobs);
    await c.settle();
    expect(a.leader).toBe(true);
    const b = c.start('scheduler-b', jobs);
    await c.pass(3_300);
    expect(b.leader).toBe(false);

    const before = await runs(t);
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const run of before) expect(run).toMatchObject({ status: 'succeeded', attempts: 1, owner: 'scheduler-a', trigger: 'schedule' });
    const starts = before.map((r) => r.window_start.getTime());
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(1_000);

    // Stopping hands the lease back: the other leads at its next tick (a third of a lease), not after a whole lease.
    await a.stop();
    await c.pass(400);
    expect(b.leader).toBe(true);
    await c.pass(2_200);
    const after = await runs(t);
    const taken = after.filter((r) => r.owner === 'scheduler-b');
    expect(taken.length).toBeGreaterThanOrEqual(2);
    expect(after.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
    const ticks = await t.region.selectFrom('outbox').select('data').where('type', '=', 'tick').execute();
    const windows = ticks.map((r) => (r.data as { window: string }).window);
    expect(new Set(windows).size).toBe(windows.length);
    expect(windows.length).toBe(after.length);
  });

  it('hands a window interrupted by shutdown to the next leader, which finishes it', async () => {
    const t = await createTestApp({ config: { JOBS_LEASE_SECONDS: '1' } });
    apps.push(t);
    const clock = new ManualClock(Date.UTC(2031, 6, 1, 13, 0, 0, 500));
    const c = cluster(t, clock);
    const jobs = [ticker(1_500)];
    const a = c.start('scheduler-a', jobs);
    // The first window starts at once and works for 1.5 s of the clock: stop half-way.
    await c.settle();
    await clock.advance(0);
    const interrupted = (await runs(t)).find((r) => r.status === 'running');
    expect(interrupted).toBeDefined();
    const b = c.start('scheduler-b', jobs);
    await c.pass(700);
    await a.stop();

    await c.pass(4_000);
    const finished = (await runs(t)).find((r) => r.window_start.getTime() === interrupted!.window_start.getTime());
    expect(finished).toMatchObject({ status: 'succeeded', owner: 'scheduler-b', trigger: 'recovery', attempts: 2 });
    expect(b.leader).toBe(true);
    const ticks = await t.region.selectFrom('outbox').select('data').where('type', '=', 'tick').execute();
    expect(ticks.filter((r) => (r.data as { window: string }).window === interrupted!.window_start.toISOString())).toHaveLength(1);
  });
});
