import { sql, type Kysely } from 'kysely';

/**
 * Chat mutes (issue 19, moderation): a pilot muted until a time, or banned from chat (no end).
 * The realtime chat path checks it before a line goes out; the account may still play and mail.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_mutes')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('until', 'timestamptz')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('muted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
