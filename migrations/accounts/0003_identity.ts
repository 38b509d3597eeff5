import { sql, type Kysely } from 'kysely';

// Identity beyond a password: personal access tokens (bots) and sign-in providers (OAuth).
// An account may now have no password at all (it signs in through a provider).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (c) => c.dropNotNull())
    .execute();
  // A provider sign-in may bring no email, or one another account has (it never links to that account).
  await db.schema
    .alterTable('users')
    .alterColumn('email', (c) => c.dropNotNull())
    .execute();

  await db.schema
    .createTable('personal_access_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // SHA-256 of the token, hex: the token is shown once and never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The first characters (`swp_ab12…`), so a list can tell tokens apart and a leak can be traced.
    .addColumn('token_start', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('personal_access_tokens_user').on('personal_access_tokens').column('user_id').execute();

  await db.schema
    .createTable('identities')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    // The provider's stable id for the person (GitHub's numeric id, the OIDC `sub`), never the email.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('identities_provider_subject_key', ['provider', 'subject'])
    .addUniqueConstraint('identities_user_provider_key', ['user_id', 'provider'])
    .execute();
}
