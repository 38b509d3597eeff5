import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobName } from '../platform/config.js';
import { recordEvents } from '../platform/events.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { jobDeps } from '../tests/job-helpers.js';
import { runJobWindow, type JobContext, type JobDefinition } from './runner.js';

// One database for the file; each test works in a window (and so a job_runs row) of its own.
let shared: TestApp;
const others: TestApp[] = [];
beforeAll(async () => {
  shared = await createTestApp();
});
afterAll(async () => {
  await Promise.all([shared, ...others].map((t) => t.close()));
});
let W: Date;
let windows = 0;
beforeEach(() => {
  W = new Date(Date.UTC(2031, 4, 1, 10, windows++));
});
async function app(config?: Record<string, string>) {
  if (!config) return shared;
  const t = await createTestApp({ config });
  others.push(t);
  return t;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A job that writes one marker event per call of `mark`, so tests can count what it committed. */
function probe(run: (ctx: JobContext, mark: (label: string) => Promise<void>) => Promise<Record<string, number>>, timeoutMs = 10_000): JobDefinition {
  return {
    name: 'probe' as JobName,
    summary: 'test probe',
    every: { ms: 1_000, clock: 'wall' },
    timeoutMs,
    run: (ctx) =>
      run(ctx, (label) =>
        ctx.transaction(
          async (trx) => void (await recordEvents(trx, [{ topic: 'admin', type: 'probe', data: { label, window: ctx.windowStart.toISOString() } }])),
        ),
      ),
  };
}

const markers = async (t: TestApp) =>
  (await t.db.selectFrom('outbox').select('data').where('type', '=', 'probe').orderBy('id').execute())
    .map((r) => r.data as { label: string; window: string })
    .filter((d) => d.window === W.toISOString())
    .map((d) => d.label);
const runRow = (t: TestApp, windowStart: Date) =>
  t.db.selectFrom('job_runs').selectAll().where('job', '=', 'probe').where('window_start', '=', windowStart).executeTakeFirstOrThrow();

describe('job runner', () => {
  it('runs a window once, records its stats, and skips the window after that', async () => {
    const t = await app();
    const deps = jobDeps(t);
    const job = probe(async (_ctx, mark) => {
      await mark('once');
      return { marked: 1 };
    });
    const first = await runJobWindow(deps, job, { windowStart: W, owner: 'a', trigger: 'schedule' });
    const second = await runJobWindow(deps, job, { windowStart: W, owner: 'b', trigger: 'schedule' });
    expect([first.status, second.status]).toEqual(['succeeded', 'skipped']);
    expect(await markers(t)).toEqual(['once']);
    const row = await runRow(t, W);
    expect(row).toMatchObject({ status: 'succeeded', owner: 'a', attempts: 1, stats: { marked: 1 }, error: null });
    expect(row.finished_at).not.toBeNull();
    const metrics = await deps.registry.metrics();
    expect(metrics).toMatch(/sectorwars_job_runs_total\{job="probe",status="succeeded"\} 1/);
    expect(metrics).toMatch(/sectorwars_job_runs_total\{job="probe",status="skipped"\} 1/);
    expect(metrics).toMatch(/sectorwars_job_duration_seconds_count\{job="probe"\} 1/);
  });

  it('takes over a window left running only once its lease has expired', async () => {
    const t = await app();
    const deps = jobDeps(t);
    const job = probe(async (_ctx, mark) => {
      await mark('takeover');
      return {};
    });
    await t.db
      .insertInto('job_runs')
      .values({
        job: 'probe',
        window_start: W,
        status: 'running',
        trigger: 'schedule',
        owner: 'alive',
        lease_expires_at: sql<Date>`now() + interval '1 minute'`,
      })
      .execute();
    expect((await runJobWindow(deps, job, { windowStart: W, owner: 'b', trigger: 'recovery' })).status).toBe('skipped');
    await t.db
      .updateTable('job_runs')
      .set({ lease_expires_at: sql<Date>`now() - interval '1 second'` })
      .where('job', '=', 'probe')
      .where('window_start', '=', W)
      .execute();
    const outcome = await runJobWindow(deps, job, { windowStart: W, owner: 'b', trigger: 'recovery' });
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await runRow(t, W)).toMatchObject({ status: 'succeeded', owner: 'b', trigger: 'recovery', attempts: 2 });
    expect(await markers(t)).toEqual(['takeover']);
  });

  it('records a failing job with its error and does not run that window again', async () => {
    const t = await app();
    const deps = jobDeps(t);
    const job = probe(async () => {
      throw new Error('the port authority is on strike');
    });
    expect(await runJobWindow(deps, job, { windowStart: W, owner: 'a', trigger: 'schedule' })).toMatchObject({
      status: 'failed',
      error: 'the port authority is on strike',
    });
    expect(await runRow(t, W)).toMatchObject({ status: 'failed', error: 'the port authority is on strike' });
    expect((await runJobWindow(deps, job, { windowStart: W, owner: 'a', trigger: 'schedule' })).status).toBe('skipped');
  });

  it('stops a job at its timeout and refuses its writes from then on', async () => {
    const t = await app();
    const job = probe(async (_ctx, mark) => {
      await mark('before');
      await sleep(400);
      await mark('after');
      return {};
    }, 150);
    const outcome = await runJobWindow(jobDeps(t), job, { windowStart: W, owner: 'a', trigger: 'schedule' });
    expect(outcome.status).toBe('timed_out');
    expect(await runRow(t, W)).toMatchObject({ status: 'failed', error: 'probe timed out after 150 ms' });
    await sleep(500);
    expect(await markers(t)).toEqual(['before']);
  });

  it('fences a process that lost its window: the new owner’s row stands and the old owner writes nothing more', async () => {
    const t = await app();
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
    const job = probe(async (_ctx, mark) => {
      await mark('first');
      reachedPause();
      await paused;
      await mark('second');
      return {};
    });
    const running = runJobWindow(jobDeps(t), job, { windowStart: W, owner: 'old', trigger: 'schedule' });
    await atPause;
    // Another leader takes the window over (as after a lease expiry while this one was stalled).
    await t.db
      .updateTable('job_runs')
      .set((eb) => ({ owner: 'new', attempts: eb('attempts', '+', 1) }))
      .where('job', '=', 'probe')
      .where('window_start', '=', W)
      .execute();
    resume();
    const outcome = await running;
    expect(outcome.status).toBe('lost');
    expect(await markers(t)).toEqual(['first']);
    expect(await runRow(t, W)).toMatchObject({ status: 'running', owner: 'new', attempts: 2 });
  });

  it('keeps the lease of a long run alive, so nobody takes it over while it works', async () => {
    const t = await app({ JOBS_LEASE_SECONDS: '1' });
    const deps = jobDeps(t);
    const job = probe(async (_ctx, mark) => {
      await sleep(2_200);
      await mark('slow');
      return {};
    });
    const running = runJobWindow(deps, job, { windowStart: W, owner: 'a', trigger: 'schedule' });
    await sleep(1_600);
    expect((await runJobWindow(deps, job, { windowStart: W, owner: 'b', trigger: 'recovery' })).status).toBe('skipped');
    expect((await running).status).toBe('succeeded');
    expect(await runRow(t, W)).toMatchObject({ owner: 'a', attempts: 1, status: 'succeeded' });
  });
});
