import { sql, type Kysely } from 'kysely';

/**
 * Multi-regional mode (issue 20): each region's latest rankings snapshot, on the nexus, so the
 * leaderboards rank pilots of every region together. A region's rankings job replaces its own rows
 * after each snapshot; positions are taken across all regions when read. One row per pilot and
 * region: a pilot snapshotted by both ends of a crossing is counted once, where it lives.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('region_rankings')
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('net_worth', 'bigint', (c) => c.notNull())
    .addColumn('experience', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('region_rankings_pkey', ['region_id', 'user_id'])
    .execute();
  await sql`create index region_rankings_user on region_rankings (user_id)`.execute(db);
}
