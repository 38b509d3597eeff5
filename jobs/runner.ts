import { sql } from 'kysely';
import type { Bus } from '../platform/bus/index.js';
import { type Clock, systemClock } from './clock.js';
import type { Regional } from '../platform/regional.js';
import type { Config } from '../platform/config.js';
import type { AccountDb, RegionDb, RegionTrx } from '../platform/db/database.js';
import type { JobRunTrigger } from '../platform/db/schema.js';
import type { Logger } from '../platform/logger.js';
import type { JobMetrics } from '../platform/metrics.js';
import type { OutboxPublisher } from '../platform/outbox.js';
import type { JobName } from './names.js';
import type { Cadence } from './windows.js';

export type JobStats = Record<string, number | string | boolean | null>;

/** What a job is handed for one window. */
export interface JobContext {
  /** this region's database: the world the jobs keep */
  region: RegionDb;
  accounts: AccountDb;
  bus: Bus;
  outbox: OutboxPublisher;
  config: Config;
  logger: Logger;
  /** the window being processed: the time the job brings the world to (not the wall clock) */
  windowStart: Date;
  /** when the run started */
  now: Date;
  /** the clock the runner runs on: a job that waits, waits on this */
  clock: Clock;
  /** aborted on timeout or when another leader has taken the window over */
  signal: AbortSignal;
  /**
   * A transaction that commits only while this process still owns the window: it first locks
   * the run row (FOR SHARE) and checks the owner, so a leader that lost its lease can never
   * write after the window was handed to another.
   */
  transaction<T>(work: (trx: RegionTrx) => Promise<T>): Promise<T>;
  /** multi-regional mode: this region and the way to the other shards */
  regional?: Regional | undefined;
}

export interface JobDefinition {
  name: JobName;
  summary: string;
  every: Cadence;
  timeoutMs: number;
  /** scheduled only in multi-regional mode */
  regionalOnly?: boolean;
  /** Must be idempotent per window: running a window again changes nothing. */
  run(ctx: JobContext): Promise<JobStats>;
}

export interface JobDeps {
  /** the jobs' clock (lease expiries, heartbeats, timeouts); the system clock unless a test hands in its own */
  clock?: Clock;
  region: RegionDb;
  accounts: AccountDb;
  bus: Bus;
  outbox: OutboxPublisher;
  config: Config;
  logger: Logger;
  jobMetrics: JobMetrics;
  /** multi-regional mode: this region and the way to the other shards */
  regional?: Regional | undefined;
}

/**
 * `interrupted`: the process is shutting down; the window is left `running` with its lease
 * expired, so the next leader finishes it at once.
 */
export type RunStatus = 'succeeded' | 'failed' | 'timed_out' | 'lost' | 'interrupted' | 'skipped';

export interface RunOutcome {
  job: JobName;
  windowStart: Date;
  status: RunStatus;
  attempts: number;
  stats: JobStats | null;
  error: string | null;
  durationMs: number;
}

export class LostRunError extends Error {
  constructor(job: string, windowStart: Date) {
    super(`${job} ${windowStart.toISOString()}: this process no longer owns the window`);
    this.name = 'LostRunError';
  }
}

export class ShutdownError extends Error {
  constructor() {
    super('the process is shutting down');
    this.name = 'ShutdownError';
  }
}

export class JobTimeoutError extends Error {
  constructor(job: string, ms: number) {
    super(`${job} timed out after ${ms} ms`);
    this.name = 'JobTimeoutError';
  }
}

/**
 * Run one window of a job, exactly once across every jobs process: claim the window's row
 * (new, or `running` with an expired lease: its owner died mid-run), keep its lease alive while
 * the job works, and record the outcome. A window that succeeded or failed, or that another
 * live process is running, is skipped.
 *
 * `takeOver` is for the leader: it may also claim a scheduled window another process is still
 * running, since only a former leader can be running one. The fence makes that safe even if
 * the former leader is alive: its next transaction is refused.
 */
export async function runJobWindow(
  deps: JobDeps,
  job: JobDefinition,
  request: { windowStart: Date; owner: string; trigger: JobRunTrigger; now?: Date; timeoutMs?: number; shutdown?: AbortSignal; takeOver?: boolean },
): Promise<RunOutcome> {
  const { region: db, config, jobMetrics } = deps;
  const clock = deps.clock ?? systemClock;
  const leaseUntil = (seconds: number) => new Date(clock.now() + seconds * 1000);
  const clockNow = () => new Date(clock.now());
  const { windowStart, owner, trigger } = request;
  const leaseSeconds = config.jobs.leaseSeconds;
  const timeoutMs = request.timeoutMs ?? config.jobs.timeoutMs[job.name] ?? job.timeoutMs;
  const log = deps.logger.child({ job: job.name, window: windowStart.toISOString(), trigger });
  const started = performance.now();
  const outcome = (status: RunStatus, attempts: number, stats: JobStats | null, error: string | null): RunOutcome => {
    const durationMs = Math.round(performance.now() - started);
    jobMetrics.runs.inc({ job: job.name, status });
    if (status !== 'skipped') jobMetrics.duration.observe({ job: job.name }, durationMs / 1000);
    if (status === 'succeeded') jobMetrics.lastSuccess.set({ job: job.name }, Date.now() / 1000);
    return { job: job.name, windowStart, status, attempts, stats, error, durationMs };
  };

  const claimed = await db
    .insertInto('job_runs')
    .values({ job: job.name, window_start: windowStart, status: 'running', trigger, owner, attempts: 1, lease_expires_at: leaseUntil(leaseSeconds) })
    .onConflict((oc) =>
      oc
        .columns(['job', 'window_start'])
        .doUpdateSet({
          status: 'running',
          trigger,
          owner,
          attempts: sql`job_runs.attempts + 1`,
          started_at: sql`now()`,
          lease_expires_at: leaseUntil(leaseSeconds),
          finished_at: null,
          stats: null,
          error: null,
        })
        .where((eb) =>
          eb.and([
            eb('job_runs.status', '=', 'running'),
            eb.or([
              eb('job_runs.lease_expires_at', '<', clockNow()),
              ...(request.takeOver ? [eb.and([eb('job_runs.owner', '<>', owner), eb('job_runs.trigger', '<>', 'manual')])] : []),
            ]),
          ]),
        ),
    )
    .returning('attempts')
    .executeTakeFirst();
  if (!claimed) {
    log.debug('window already done or running elsewhere');
    return outcome('skipped', 0, null, null);
  }
  const attempts = claimed.attempts;
  if (attempts > 1) log.warn({ attempts }, 'taking over an interrupted window');
  else log.debug('window claimed');

  const ownsRun = () =>
    db.updateTable('job_runs').where('job', '=', job.name).where('window_start', '=', windowStart).where('owner', '=', owner).where('status', '=', 'running');

  const controller = new AbortController();
  const { signal } = controller;
  let lastBeat = clock.now();
  const stopHeartbeat = clock.every((leaseSeconds * 1000) / 3, () => {
    ownsRun()
      .set({ lease_expires_at: leaseUntil(leaseSeconds) })
      .executeTakeFirst()
      .then((result) => {
        if (Number(result.numUpdatedRows) === 0) controller.abort(new LostRunError(job.name, windowStart));
        else lastBeat = clock.now();
      })
      .catch((err: Error) => {
        log.warn({ err: err.message }, 'job lease heartbeat failed');
        // Past the lease another leader may already hold the window: stop writing.
        if (clock.now() - lastBeat > leaseSeconds * 1000) controller.abort(new LostRunError(job.name, windowStart));
      });
  });
  const stopTimer = clock.after(timeoutMs, () => controller.abort(new JobTimeoutError(job.name, timeoutMs)));
  const onShutdown = () => controller.abort(new ShutdownError());
  if (request.shutdown?.aborted) onShutdown();
  request.shutdown?.addEventListener('abort', onShutdown, { once: true });

  const ctx: JobContext = {
    region: db,
    accounts: deps.accounts,
    bus: deps.bus,
    outbox: deps.outbox,
    config,
    logger: log,
    regional: deps.regional,
    windowStart,
    now: request.now ?? clockNow(),
    clock,
    signal,
    transaction: (work) => {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      return db.transaction().execute(async (trx) => {
        const run = await trx
          .selectFrom('job_runs')
          .select('owner')
          .where('job', '=', job.name)
          .where('window_start', '=', windowStart)
          .where('owner', '=', owner)
          .where('status', '=', 'running')
          .forShare()
          .executeTakeFirst();
        if (!run) throw new LostRunError(job.name, windowStart);
        return work(trx);
      });
    },
  };

  let status: RunStatus;
  let stats: JobStats | null = null;
  let error: string | null = null;
  const work = job.run(ctx);
  // After an abort the job stops at its next transaction (the fence refuses it); nothing awaits it then.
  work.catch(() => {});
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
  // A heartbeat already in flight may still abort after the race is settled; that is nobody's error.
  aborted.catch(() => {});
  try {
    stats = await Promise.race([work, aborted]);
    status = 'succeeded';
  } catch (err) {
    error = (err as Error).message;
    status = err instanceof LostRunError ? 'lost' : err instanceof JobTimeoutError ? 'timed_out' : err instanceof ShutdownError ? 'interrupted' : 'failed';
  } finally {
    stopHeartbeat();
    stopTimer();
    request.shutdown?.removeEventListener('abort', onShutdown);
  }

  if (status !== 'lost') {
    try {
      const update =
        status === 'interrupted'
          ? { lease_expires_at: clockNow() }
          : {
              status: status === 'succeeded' ? ('succeeded' as const) : ('failed' as const),
              finished_at: sql<Date>`now()`,
              stats: JSON.stringify(stats),
              error,
            };
      const recorded = await ownsRun().set(update).executeTakeFirst();
      if (Number(recorded.numUpdatedRows) === 0) status = 'lost';
    } catch (err) {
      // The row stays `running`; once its lease expires the next leader runs the window again.
      log.error({ err: (err as Error).message }, 'could not record the job outcome');
    }
  }

  const result = outcome(status, attempts, stats, error);
  const fields = { status, attempts, duration_ms: result.durationMs, stats, error };
  // A frequent job that found nothing to do logs at debug, so the relay does not flood the log.
  const idle = stats !== null && Object.values(stats).every((v) => typeof v !== 'number' || v === 0);
  if (status === 'succeeded') log[idle ? 'debug' : 'info'](fields, 'job window done');
  else if (status === 'lost') log.warn(fields, 'job window taken over by another leader');
  else if (status === 'interrupted') log.warn(fields, 'job window interrupted by shutdown; the next leader finishes it');
  else log.error(fields, 'job window failed');
  return result;
}
