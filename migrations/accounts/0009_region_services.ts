import { sql, type Kysely } from 'kysely';

/**
 * The region manager's side of the registry (issue 21): for each region it runs, the api replicas
 * wanted, the block of host ports its processes listen on (every container shares the host
 * network, so each replica needs a port of its own), and the database it created on the
 * configured server, which deleting the region dumps and drops. A region without a row here is
 * run by someone else (by hand, or by compose) and the manager leaves it alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('region_services')
    .addColumn('region_id', 'integer', (c) => c.primaryKey().references('region_registry.id').onDelete('cascade'))
    .addColumn('api_replicas', 'integer', (c) => c.notNull().check(sql`api_replicas between 1 and 16`))
    .addColumn('port_base', 'integer', (c) => c.notNull().unique().check(sql`port_base between 1024 and 65500`))
    .addColumn('database_name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
