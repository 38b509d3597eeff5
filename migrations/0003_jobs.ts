import { sql, type Kysely } from 'kysely';

/**
 * Background jobs: the leader lease, one row per job window (the run record and its fence),
 * the rankings snapshot the leaderboard reads, an index for pruning the outbox by publication
 * time, and NPC traders. NPC traders are pilots: a `players` row flagged `npc` (so credits move
 * through the same ledger as everyone's) plus an `npc_traders` row with what only an NPC needs
 * (its slot and the last window it acted in).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('renewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'succeeded', 'failed')`))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('schedule', 'recovery', 'manual')`))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lease_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('stats', 'jsonb')
    .addColumn('error', 'text')
    // A window is processed once: a retry, a second leader or a restart lands on this row.
    .addPrimaryKeyConstraint('job_runs_pkey', ['job', 'window_start'])
    .execute();
  await sql`create index job_runs_running on job_runs (lease_expires_at) where status = 'running'`.execute(db);

  await db.schema
    .createTable('ranking_snapshots')
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('net_worth', 'bigint', (c) => c.notNull())
    .addColumn('experience', 'integer', (c) => c.notNull())
    .addColumn('networth_position', 'integer', (c) => c.notNull())
    .addColumn('experience_position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ranking_snapshots_pkey', ['window_start', 'user_id'])
    .execute();
  await db.schema.createIndex('ranking_snapshots_networth').unique().on('ranking_snapshots').columns(['window_start', 'networth_position']).execute();
  await db.schema.createIndex('ranking_snapshots_experience').unique().on('ranking_snapshots').columns(['window_start', 'experience_position']).execute();

  // The outbox relay prunes by publication time, every few seconds: keep that an index range scan.
  await sql`create index outbox_published on outbox (published_at) where published_at is not null`.execute(db);

  await db.schema
    .alterTable('players')
    .addColumn('npc', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('npc_traders')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull().check(sql`slot >= 0`))
    .addColumn('acted_window', 'timestamptz')
    .addColumn('legs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('npc_traders_region_slot', ['region_id', 'slot'])
    .execute();
}
