import { sql } from 'kysely';
import { Registry } from 'prom-client';
import type { JobDefinition, JobDeps, RunOutcome } from '../jobs/runner.js';
import { runJobWindow } from '../jobs/runner.js';
import type { Clock } from '../jobs/clock.js';
import { createJobMetrics } from '../platform/metrics.js';
import type { RegionDb } from '../platform/db/database.js';
import type { TestApp } from './harness.js';

/** What the job runner needs, from a test app (its own metrics registry, so counters start at zero), on the given clock. */
export function jobDeps(t: TestApp, clock?: Clock): JobDeps & { registry: Registry } {
  const registry = new Registry();
  return {
    region: t.region,
    accounts: t.accounts,
    bus: t.bus,
    outbox: t.outbox,
    config: t.config,
    logger: t.logger,
    jobMetrics: createJobMetrics(registry),
    registry,
    ...(clock ? { clock } : {}),
  };
}

/** Poll until `probe` answers something, for conditions another task brings about (real time, briefly). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Run one scheduled window of a job as a leader would. */
export function runWindow(t: TestApp | JobDeps, job: JobDefinition, windowStart: Date, owner = 'test-owner'): Promise<RunOutcome> {
  const deps = 'jobMetrics' in t ? t : jobDeps(t);
  return runJobWindow(deps, job, { windowStart, now: windowStart, owner, trigger: 'schedule' });
}

/** Put a finished window back to `running` with an expired lease, as if its owner died before recording it. */
export async function reopenWindow(db: RegionDb, job: string, windowStart: Date): Promise<void> {
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
export async function worldState(db: RegionDb): Promise<Record<string, string>> {
  const tables: Array<[string, string, string?]> = [
    ['port_goods', 'port_id, good'],
    ['players', 'user_id'],
    ['ships', 'id'],
    ['credit_ledger', 'id'],
    // When an event was marked published is the publisher's bookkeeping (batched, after commit), not world state.
    ['outbox', 'id', 'published_at'],
    ['ranking_snapshots', 'window_start, user_id'],
    ['npc_traders', 'user_id'],
    ['planets', 'id'],
    ['refresh_tokens', 'id'],
    ['idempotency_keys', 'user_id, key'],
  ];
  const state: Record<string, string> = {};
  for (const [table, order, ignored] of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.raw(order)}`.execute(db);
    state[table] = JSON.stringify(rows.rows.map((row) => (ignored ? { ...row, [ignored]: undefined } : row)));
  }
  return state;
}

/** The Idempotency-Key an NPC trader's leg runs under in a window (jobs/npc-traders.ts). */
export const npcLegKey = (window: Date) => `npc-traders:${window.toISOString()}`;

export interface LegEntry {
  user_id: string;
  reason: string;
  delta: number;
  ref: unknown;
}

/**
 * The ledger rows NPC traders booked in a window, in booking order: a leg's rows were written in
 * the same transaction as its key, so they share its `created_at` (the transaction's now()).
 */
export async function npcLegEntries(db: RegionDb, window: Date, reasons: readonly string[] = ['trade_buy', 'trade_sell', 'npc_upkeep']): Promise<LegEntry[]> {
  const rows = await sql<LegEntry>`
    select l.user_id, l.reason, l.delta, l.ref from credit_ledger l
    join idempotency_keys k on k.user_id = l.user_id and k.created_at = l.created_at and k.key = ${npcLegKey(window)}
    where l.reason = any(${[...reasons]}::text[]) order by l.id`.execute(db);
  return rows.rows.map((row) => ({ ...row, delta: Number(row.delta) }));
}

/** How many NPC traders have flown their leg of a window. */
export async function npcLegsFlown(db: RegionDb, window: Date): Promise<number> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', npcLegKey(window))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
