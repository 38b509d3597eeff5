import { sql } from 'kysely';
import { Registry } from 'prom-client';
import type { JobDefinition, JobDeps, RunOutcome } from '../jobs/runner.js';
import { runJobWindow } from '../jobs/runner.js';
import { createJobMetrics } from '../platform/metrics.js';
import type { Db } from '../platform/db/database.js';
import type { TestApp } from './harness.js';

/** What the job runner needs, from a test app (its own metrics registry, so counters start at zero). */
export function jobDeps(t: TestApp): JobDeps & { registry: Registry } {
  const registry = new Registry();
  return { db: t.db, bus: t.bus, config: t.config, logger: t.logger, jobMetrics: createJobMetrics(registry), registry };
}

/** Run one scheduled window of a job as a leader would. */
export function runWindow(t: TestApp | JobDeps, job: JobDefinition, windowStart: Date, owner = 'test-owner'): Promise<RunOutcome> {
  const deps = 'jobMetrics' in t ? t : jobDeps(t);
  return runJobWindow(deps, job, { windowStart, now: windowStart, owner, trigger: 'schedule' });
}

/** Put a finished window back to `running` with an expired lease, as if its owner died before recording it. */
export async function reopenWindow(db: Db, job: string, windowStart: Date): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ status: 'running', owner: 'a-dead-process', lease_expires_at: sql<Date>`now() - interval '1 second'`, finished_at: null })
    .where('job', '=', job)
    .where('window_start', '=', windowStart)
    .execute();
}

/** The first whole game hour after now, so windows of hourly jobs start exactly there. */
export function nextGameHour(timeScale: number, nowMs = Date.now()): number {
  const hour = 3_600_000 / timeScale;
  return Math.ceil(nowMs / hour) * hour;
}

/**
 * The state jobs may change, table by table, in a stable order: compare two of these to prove
 * a run changed nothing. Timestamps are compared as ISO strings.
 */
export async function worldState(db: Db): Promise<Record<string, string>> {
  const tables: Array<[string, string]> = [
    ['port_goods', 'port_id, good'],
    ['players', 'user_id'],
    ['ships', 'id'],
    ['credit_ledger', 'id'],
    ['outbox', 'id'],
    ['ranking_snapshots', 'window_start, user_id'],
    ['npc_traders', 'user_id'],
    ['refresh_tokens', 'id'],
    ['idempotency_keys', 'user_id, key'],
  ];
  const state: Record<string, string> = {};
  for (const [table, order] of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.raw(order)}`.execute(db);
    state[table] = JSON.stringify(rows.rows);
  }
  return state;
}
