import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { sql } from 'kysely';
import type { JobName } from './names.js';
import { JOBS } from './index.js';
import { systemClock } from './clock.js';
import { LeaderLease } from './lease.js';
import { runJobWindow, type JobDefinition, type JobDeps } from './runner.js';
import { periodMs, triggerPattern, windowStartOf } from './windows.js';

export interface Scheduler {
  readonly owner: string;
  readonly leader: boolean;
  /** Stop scheduling, interrupt running windows (the next leader finishes them) and hand the lease back. */
  stop(): Promise<void>;
  /** Resolves once the current lease tick and every window it started have finished. */
  settled(): Promise<void>;
}

/** An interrupted window older than this is given up (marked failed) instead of re-run. */
const RECOVERY_HORIZON_MS = 24 * 3_600_000;
const LEASE_NAME = 'jobs';

/** Who a process is in `job_leases.owner` and `job_runs.owner`: host, pid, and a nonce per start. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * The jobs process's loop. Every process competes for the leader lease (renewed every third of
 * JOBS_LEASE_SECONDS); only the leader runs windows. croner fires each job at its window
 * boundaries; the lease tick also re-runs interrupted windows (a `running` row whose lease
 * expired: its owner died) and catches up the current window of every job, so a new leader
 * finishes what the old one left within one lease.
 */
export function startScheduler(deps: JobDeps, options: { jobs?: readonly JobDefinition[]; owner?: string } = {}): Scheduler {
  // A job for multi-regional mode only (the gate sweeper) is not scheduled in single-server mode.
  const jobs = (options.jobs ?? JOBS).filter((job) => !job.regionalOnly || deps.regional);
  const owner = options.owner ?? processOwner();
  const log = deps.logger.child({ owner });
  const leaseMs = deps.config.jobs.leaseSeconds * 1000;
  const clock = deps.clock ?? systemClock;
  const lease = new LeaderLease(deps.region, LEASE_NAME, owner, leaseMs, clock);
  const shutdown = new AbortController();
  const running = new Map<JobName, Promise<void>>();
  /** the last window of each job this process has settled (run, or found done elsewhere) */
  const settled = new Map<JobName, number>();
  let leading = false;
  let ticking: Promise<void> | undefined;

  /**
   * One window of a job at a time in this process; different jobs run side by side. A run that
   * outlasted its window's end goes straight on to the window that began meanwhile (a run that
   * could not even start waits for the next trigger instead, so an outage is not a busy loop).
   */
  const launch = (job: JobDefinition, work: () => Promise<void>): void => {
    if (shutdown.signal.aborted || running.has(job.name)) return;
    const task = work().then(
      () => {
        running.delete(job.name);
        runDue(job);
      },
      (err: Error) => {
        running.delete(job.name);
        log.error({ job: job.name, err: err.message }, 'job run could not start');
      },
    );
    running.set(job.name, task);
  };

  const runDue = (job: JobDefinition): void => {
    if (!lease.held) return;
    const now = new Date(clock.now());
    const windowStart = windowStartOf(now.getTime(), periodMs(job, deps.config));
    if (settled.get(job.name) === windowStart.getTime()) return;
    launch(job, async () => {
      await runJobWindow(deps, job, { windowStart, now, owner, trigger: 'schedule', shutdown: shutdown.signal });
      settled.set(job.name, windowStart.getTime());
    });
  };

  const recoverInterrupted = async (): Promise<void> => {
    const now = new Date(clock.now());
    const horizon = new Date(now.getTime() - RECOVERY_HORIZON_MS);
    await deps.region
      .updateTable('job_runs')
      .set({ status: 'failed', finished_at: sql<Date>`now()`, error: 'abandoned: interrupted longer ago than the recovery horizon' })
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', now)
      .where('window_start', '<=', horizon)
      .execute();
    // Ours: leading, we own every scheduled window; a former leader's is interrupted, or soon fenced.
    const stale = await deps.region
      .selectFrom('job_runs')
      .select(['job', 'window_start'])
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('lease_expires_at', '<', now), eb.and([eb('owner', '<>', owner), eb('trigger', '<>', 'manual')])]))
      .where('window_start', '>', horizon)
      .orderBy('window_start')
      .limit(20)
      .execute();
    for (const row of stale) {
      const job = jobs.find((j) => j.name === row.job);
      if (!job) continue;
      launch(job, async () => {
        await runJobWindow(deps, job, { windowStart: row.window_start, owner, trigger: 'recovery', shutdown: shutdown.signal, takeOver: true });
      });
    }
  };

  const tick = (): Promise<void> => {
    if (ticking || shutdown.signal.aborted) return ticking ?? Promise.resolve();
    ticking = leadAndRun().finally(() => (ticking = undefined));
    return ticking;
  };

  const leadAndRun = async (): Promise<void> => {
    try {
      try {
        await lease.acquireOrRenew();
      } catch (err) {
        lease.drop();
        log.warn({ err: (err as Error).message }, 'leader lease renewal failed');
      }
      if (lease.held !== leading) {
        leading = lease.held;
        deps.jobMetrics.leader.set(leading ? 1 : 0);
        log.info({ lease_seconds: deps.config.jobs.leaseSeconds }, leading ? 'jobs leadership acquired' : 'jobs leadership lost');
      }
      if (!lease.held || shutdown.signal.aborted) return;
      await recoverInterrupted();
      for (const job of jobs) runDue(job);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'scheduler tick failed');
    }
  };

  deps.jobMetrics.leader.set(0);
  const stopTicking = clock.every(leaseMs / 3, () => void tick());
  void tick();
  // croner fires each job at its window boundaries on the system clock; on another clock (tests) the
  // lease tick alone runs what is due, every third of a lease.
  const crons =
    clock === systemClock
      ? jobs.map((job) => {
          const period = periodMs(job, deps.config);
          log.info({ job: job.name, period_ms: period, clock: job.every.clock }, 'job scheduled');
          // UTC, so hourly firings line up with the epoch-aligned windows whatever the host's zone.
          return new Cron(triggerPattern(period), { timezone: 'Etc/UTC' }, () => runDue(job));
        })
      : [];

  return {
    owner,
    get leader() {
      return lease.held;
    },
    async settled() {
      await ticking;
      while (running.size > 0) await Promise.allSettled(running.values());
    },
    async stop() {
      if (shutdown.signal.aborted) return;
      shutdown.abort();
      stopTicking();
      for (const cron of crons) cron.stop();
      await Promise.allSettled(running.values());
      await ticking;
      deps.jobMetrics.leader.set(0);
      await lease.release().catch((err: Error) => log.warn({ err: err.message }, 'could not release the leader lease'));
    },
  };
}

/**
 * One window of a job, now, whoever leads (`sectorwars jobs --once <job>`): the window starts at
 * this instant, so it never collides with a scheduled one, and is recorded like any other run.
 */
export function runJobNow(deps: JobDeps, job: JobDefinition, now = new Date(), owner = processOwner()) {
  return runJobWindow(deps, job, { windowStart: now, now, owner, trigger: 'manual' });
}
