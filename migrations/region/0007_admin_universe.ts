import { sql, type Kysely } from 'kysely';

/**
 * The admin API (issue 19). The galaxy's map revision, bumped by every warp and port edit.
 * Each process keys its copies of the map (the warp graph, the atlas) on the generation and this
 * revision together (world/warp-graph.ts galaxyVersion), so an edit made through any api process is
 * read again by every other one on its next request. And price history: the economy-snapshots
 * job stores each good's price band across the ports once an hour (nothing else records prices).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('galaxy')
    .addColumn('map_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`alter table galaxy add constraint galaxy_map_revision_valid check (map_revision >= 0)`.execute(db);
  await db.schema
    .createTable('price_snapshots')
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('good', 'text', (c) => c.notNull())
    .addColumn('port_side', 'text', (c) => c.notNull().check(sql`port_side in ('buy', 'sell')`))
    .addColumn('ports', 'integer', (c) => c.notNull())
    .addColumn('min_price', 'double precision', (c) => c.notNull())
    .addColumn('max_price', 'double precision', (c) => c.notNull())
    .addColumn('mean_price', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('price_snapshots_pkey', ['window_start', 'good', 'port_side'])
    .execute();
}
