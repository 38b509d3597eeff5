import { sql, type Kysely } from 'kysely';

/**
 * Territory (issue 14): fighters and mines deployed in sectors, one stack per (sector, owner,
 * kind), owned by a pilot and optionally its team (`team_id`, an accounts-side id: no foreign
 * key across the line). A pilot remembers the sector it flew in from, so a retreat from
 * defensive fighters can go back the way it came.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('players').addColumn('came_from', 'integer').execute();
  await db.schema
    .createTable('sector_defenses')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('sector_id', 'integer', (c) => c.notNull().references('sectors.id'))
    .addColumn('owner_user_id', 'uuid', (c) => c.notNull().references('players.user_id'))
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mode', 'text')
    .addColumn('toll', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('sector_defenses_stack', ['sector_id', 'owner_user_id', 'kind'])
    .execute();
  await sql`alter table sector_defenses add constraint sector_defenses_valid check (
    quantity >= 0 and toll >= 0 and kind in ('fighters', 'mines')
    and (kind = 'mines' and mode is null or kind = 'fighters' and mode in ('defensive', 'toll', 'offensive')))`.execute(db);
  await db.schema.createIndex('sector_defenses_owner').on('sector_defenses').columns(['owner_user_id']).execute();
}
