import { sql, type Kysely } from 'kysely';

/**
 * The audit outbox (issue 19): an admin change to game state writes its audit row here, in the
 * region transaction that makes the change, and the row is then moved to the accounts database's
 * admin_audit (by the request right after commit, or by the outbox-relay job if the process died
 * first). The id is the audit row's `source_id` there, so a row moved twice lands once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .execute();
}
