import { sql, type Kysely } from 'kysely';

/**
 * Multi-regional mode (issue 20), on the Central Nexus:
 * - the region registry: one row per region shard, where its database is (a URL, or the name of
 *   the environment variable that holds it, so a secret need not sit in a table) and the internal
 *   addresses nginx renders its upstreams from;
 * - the universe plan: the one seed and parameters every shard cuts its region from, so the two
 *   ends of a gate agree without either shard reading the other;
 * - pilot homes: which region each account's pilot lives in, so any api can send a request to
 *   the right shard. A gate hand-off moves it forward only (`moves` counts the crossings).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('region_registry')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique().check(sql`slug ~ '^[a-z][a-z0-9-]{0,31}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('database_url', 'text')
    .addColumn('database_url_env', 'text')
    .addColumn('api_urls', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('realtime_urls', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('active').check(sql`state in ('active', 'stopped')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('region_registry_database', sql`database_url is not null or database_url_env is not null`)
    .execute();

  await db.schema
    .createTable('universe_plan')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('pilot_homes')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('moves', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
