import { sql, type Kysely } from 'kysely';

/**
 * The engine's storage changes:
 * - ship and planet ids become bigint, so a region shard can number its rows from its own
 *   offset and ids stay unique across regions once regions live in separate databases;
 * - an idempotent response is stored as the exact text that was sent (replays are byte for
 *   byte), and a key is only ever written by the committing action, in its own transaction:
 *   there is no in-flight claim any more, so a crash can leave nothing stuck;
 * - NPC traders act once a window under that window's Idempotency-Key, so they no longer stamp
 *   the window on their own row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter sequence ships_id_seq as bigint`.execute(db);
  await sql`alter table ships alter column id type bigint`.execute(db);
  await sql`alter table players alter column ship_id type bigint`.execute(db);
  await sql`alter sequence planets_id_seq as bigint`.execute(db);
  await sql`alter table planets alter column id type bigint`.execute(db);

  await db.schema.alterTable('idempotency_keys').addColumn('response_text', 'text').execute();
  await sql`delete from idempotency_keys where state <> 'done'`.execute(db);
  await sql`update idempotency_keys set response_text = response_body::text`.execute(db);
  await db.schema.alterTable('idempotency_keys').dropColumn('response_body').dropColumn('claimed_at').dropColumn('state').execute();
  await sql`alter table idempotency_keys alter column response_status set not null, alter column response_text set not null`.execute(db);

  await db.schema.alterTable('npc_traders').dropColumn('acted_window').dropColumn('legs').execute();
}
