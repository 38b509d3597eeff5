import { type QueryExecutorProvider, type RawBuilder, sql } from 'kysely';
import type { JobContext, JobDefinition } from './runner.js';

const BATCH = 5_000;
const MAX_BATCHES = 40;
const HOUR_MS = 3_600_000;

/** How long each kind of leftover is kept, measured back from the window start. */
export const RETENTION = {
  /** an idempotent replay is only promised for a day */
  idempotencyKeysMs: 24 * HOUR_MS,
  /** the run history operators look at */
  jobRunsMs: 7 * 24 * HOUR_MS,
  /** older leaderboard snapshots (the latest is always kept) */
  rankingSnapshotsMs: 6 * HOUR_MS,
} as const;

/**
 * Delete what has expired: refresh tokens past their expiry, idempotency keys older than a day,
 * finished job runs older than a week, superseded ranking snapshots, and wrecks past their
 * salvage time (their combat logs stay). Cut-offs are measured
 * from the window start, so a re-run deletes nothing more. Tickets, presence and chat history
 * live in the bus with TTLs (chat as capped lists), so they expire without help. Old outbox rows
 * are the outbox relay's to prune.
 */
export const cleanupJob: JobDefinition = {
  name: 'cleanup',
  summary: 'delete expired refresh tokens, old idempotency keys, old job runs, superseded ranking snapshots and expired wrecks',
  every: { ms: HOUR_MS, clock: 'wall' },
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const at = ctx.windowStart.getTime();
    const before = (ms: number) => new Date(at - ms);
    const latestSnapshot = await ctx.region
      .selectFrom('ranking_snapshots')
      .select((eb) => eb.fn.max('window_start').as('at'))
      .executeTakeFirst();
    const keepSnapshotsFrom = new Date(
      Math.min(before(RETENTION.rankingSnapshotsMs).getTime(), latestSnapshot?.at ? new Date(latestSnapshot.at).getTime() : at),
    );
    return {
      // Account rows live in the accounts database, outside the window's fence; deleting what has expired is idempotent anyway.
      refresh_tokens: await deleteInBatches(ctx, (work) => ctx.accounts.transaction().execute(work), 'refresh_tokens', sql`expires_at < ${ctx.windowStart}`),
      idempotency_keys: await deleteInBatches(ctx, ctx.transaction, 'idempotency_keys', sql`created_at < ${before(RETENTION.idempotencyKeysMs)}`),
      job_runs: await deleteInBatches(ctx, ctx.transaction, 'job_runs', sql`window_start < ${before(RETENTION.jobRunsMs)} and status <> 'running'`),
      ranking_snapshots: await deleteInBatches(ctx, ctx.transaction, 'ranking_snapshots', sql`window_start < ${keepSnapshotsFrom}`),
      wrecks: await deleteInBatches(ctx, ctx.transaction, 'wrecks', sql`expires_at < ${ctx.windowStart}`),
    };
  },
};

/** Delete matching rows a batch at a time, so no statement holds many locks for long. */
async function deleteInBatches(
  ctx: JobContext,
  transact: <T>(work: (trx: QueryExecutorProvider) => Promise<T>) => Promise<T>,
  table: string,
  condition: RawBuilder<unknown>,
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const result = await transact((trx) =>
      sql`delete from ${sql.table(table)} where ctid = any(array(select ctid from ${sql.table(table)} where ${condition} limit ${BATCH}))`.execute(trx),
    );
    const count = Number(result.numAffectedRows ?? 0);
    deleted += count;
    if (count < BATCH) break;
  }
  return deleted;
}
