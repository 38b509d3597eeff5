import { sql, type Kysely } from 'kysely';

/**
 * Admin identity (issue 19): TOTP on accounts, hashed single-use recovery codes, one-time account
 * links (the CLI's enrollment link, an admin's forced password reset), why an account is disabled
 * (suspended until a time, or banned), scope requests awaiting a second admin, and the audit log.
 * The audit log is append-only: a trigger refuses every UPDATE and DELETE, whoever asks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    // The TOTP key, sealed (platform/totp.ts); `totp_enabled_at` is set once a code confirmed it, so a pending key signs nobody in.
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    // The last 30-second step a code was accepted for: a code is good once (RFC 6238 §5.2).
    .addColumn('totp_last_step', 'bigint')
    .addColumn('disabled_reason', 'text', (c) => c.check(sql`disabled_reason in ('suspended', 'banned')`))
    .addColumn('disabled_until', 'timestamptz')
    .addColumn('password_reset_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  // A session signed in with its second factor: only its access tokens carry the account's admin scopes.
  await db.schema
    .alterTable('refresh_tokens')
    .addColumn('second_factor', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('totp_recovery_codes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('totp_recovery_codes_user').on('totp_recovery_codes').columns(['user_id', 'code_hash']).execute();

  await db.schema
    .createTable('account_links')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('enroll', 'reset')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('scope_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    // Nobody decides their own request: the database says so too.
    .addCheckConstraint('scope_requests_not_self_decided', sql`decided_by is null or decided_by <> requested_by`)
    .execute();
  await db.schema.createIndex('scope_requests_status').on('scope_requests').columns(['status', 'id']).execute();

  await db.schema
    .createTable('admin_audit')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // No foreign key: the log outlives the accounts it names. Null actor: the CLI on the server itself.
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('reason', 'text')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('admin_audit_actor').on('admin_audit').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('admin_audit_target').on('admin_audit').columns(['target_id', 'id']).execute();
  await db.schema.createIndex('admin_audit_action').on('admin_audit').columns(['action', 'id']).execute();
  await sql`create function admin_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'admin_audit is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger admin_audit_append_only before update or delete on admin_audit
    for each row execute function admin_audit_append_only()`.execute(db);
  await sql`create trigger admin_audit_no_truncate before truncate on admin_audit
    for each statement execute function admin_audit_append_only()`.execute(db);
}
