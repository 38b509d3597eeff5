import { sql, type Kysely } from 'kysely';

/**
 * The gate hand-off between region shards (issue 20). A pilot crossing to another shard is
 * marked in transit (its row and its ship's), and the transfer is a row here: on the source, an
 * `out` row, `pending` until it is `done` or `rolled_back`; on the target, an `in` row, written
 * once per transfer id, either `applied` (the pilot arrived) or `refused` (a tombstone the
 * sweeper writes before it rolls the source back, so a late apply can never land as well).
 *
 * While a pilot is in transit nothing may change its row or its ship's except the update that
 * ends the transit by clearing `transit_id` (the hand-off finalized or rolled back): triggers
 * refuse any other update, a second departure included, with
 * SQLSTATE SWIT1, which the action core answers as 409 `in_transit`. They hold for every writer,
 * including ones that did not think to check.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('players')
    .addColumn('transit_id', 'uuid')
    .addColumn('moves', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('ships').addColumn('transit_id', 'uuid').execute();

  await db.schema
    .createTable('gate_transfers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('out', 'in')`))
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('from_region_id', 'integer', (c) => c.notNull())
    .addColumn('to_region_id', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'done', 'rolled_back', 'applied', 'refused')`))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index gate_transfers_pending on gate_transfers (created_at) where state = 'pending'`.execute(db);
  await sql`create index gate_transfers_user on gate_transfers (user_id, created_at)`.execute(db);

  await sql`create function refuse_in_transit() returns trigger language plpgsql as $$
    begin
      raise exception 'in_transit' using errcode = 'SWIT1';
    end $$`.execute(db);
  for (const table of ['players', 'ships']) {
    await sql`create trigger ${sql.raw(`${table}_in_transit`)} before update on ${sql.table(table)}
      for each row when (old.transit_id is not null and new.transit_id is not null)
      execute function refuse_in_transit()`.execute(db);
  }
}
