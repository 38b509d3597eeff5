import { sql, type Kysely } from 'kysely';

/**
 * People (issue 16): teams with a treasury, invitations, the treasury's own ledger and the
 * transfers that move credits between it and pilots (whose credits live region-side), mail,
 * blocks, moderation reports and the broadcast log. Account-side: they follow the account across
 * regions. Nothing here references a region table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('leader_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('treasury', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`treasury >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disbanded_at', 'timestamptz')
    .execute();
  // Names and tags are unique among live teams, whatever their case.
  await sql`create unique index teams_name_key on teams (lower(name)) where disbanded_at is null`.execute(db);
  await sql`create unique index teams_tag_key on teams (lower(tag)) where disbanded_at is null`.execute(db);

  await db.schema
    .createTable('team_members')
    // One team per pilot: the primary key says so.
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('can_withdraw', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('team_members_team').on('team_members').column('team_id').execute();

  await db.schema
    .createTable('team_invitations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('invited_by', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'accepted', 'declined', 'cancelled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index team_invitations_pending on team_invitations (team_id, user_id) where status = 'pending'`.execute(db);
  await db.schema.createIndex('team_invitations_user').on('team_invitations').columns(['user_id', 'status']).execute();

  // A move of credits between a pilot (region ledger) and a treasury (team ledger): recorded here
  // first, applied on each side idempotently under its id, settled when both sides hold it.
  await db.schema
    .createTable('team_transfers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('deposit', 'withdraw', 'payout')`))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'done', 'failed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('settled_at', 'timestamptz')
    // The Idempotency-Key the pilot sent (and what it sent with it): a retry finds this transfer.
    .addColumn('request_key', 'text')
    .addColumn('request_hash', 'text')
    .execute();
  await sql`create index team_transfers_pending on team_transfers (team_id) where state = 'pending'`.execute(db);
  await sql`create unique index team_transfers_request on team_transfers (user_id, request_key) where request_key is not null`.execute(db);

  await db.schema
    .createTable('team_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('transfer_id', 'uuid', (c) => c.notNull().unique().references('team_transfers.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('delta', 'bigint', (c) => c.notNull())
    .addColumn('balance_after', 'bigint', (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('team_ledger_team').on('team_ledger').columns(['team_id', 'id']).execute();

  // Mail: one row per copy (the sender's in `sent`, each recipient's in `inbox`), so reading,
  // deleting and paging are one owner's rows.
  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('folder', 'text', (c) => c.notNull().check(sql`folder in ('inbox', 'sent')`))
    .addColumn('from_id', 'uuid', (c) => c.notNull())
    .addColumn('from_name', 'text', (c) => c.notNull())
    .addColumn('to_label', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('messages_owner').on('messages').columns(['owner_id', 'folder', 'id']).execute();

  await db.schema
    .createTable('message_blocks')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('blocked_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('message_blocks_pkey', ['user_id', 'blocked_id'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('reporter_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('message', 'chat')`))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('reported_id', 'uuid')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved', 'dismissed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('reports_status').on('reports').columns(['status', 'id']).execute();

  await db.schema
    .createTable('broadcasts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('broadcasts_user').on('broadcasts').columns(['user_id', 'created_at']).execute();
}
