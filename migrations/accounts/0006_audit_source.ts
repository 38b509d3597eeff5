import type { Kysely } from 'kysely';

/**
 * An audit row moved from a region's audit outbox carries the outbox row's id, unique, so the
 * move is idempotent (a relay that runs again after a crash inserts nothing new).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admin_audit').addColumn('source_id', 'uuid').execute();
  await db.schema.createIndex('admin_audit_source').unique().on('admin_audit').column('source_id').execute();
}
