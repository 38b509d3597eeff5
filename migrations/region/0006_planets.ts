import { sql, type Kysely } from 'kysely';

/**
 * Planets (issue 15): the planets table of 0001 (New Earth, generated planets) gains what a colony
 * is: colonists and how they work (percent per product), stock per good, stationed fighters and
 * shields, the citadel (level, the level being built and when it is done), and the production
 * anchor (production is counted lazily in whole game days from it, like turns and port stock).
 * A pilot may be landed on a planet; any move clears it. A combat log against an unowned planet
 * has no defending pilot.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('planets')
    .addColumn('colonists', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stock_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stock_organics', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stock_equipment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fighters', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shields', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alloc_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alloc_organics', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alloc_equipment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alloc_fighters', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('citadel_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('building_level', 'integer')
    .addColumn('build_done_at', 'timestamptz')
    .addColumn('anchor_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table planets add constraint planets_colony_valid check (
    colonists >= 0 and stock_ore >= 0 and stock_organics >= 0 and stock_equipment >= 0 and fighters >= 0 and shields >= 0
    and alloc_ore >= 0 and alloc_organics >= 0 and alloc_equipment >= 0 and alloc_fighters >= 0
    and alloc_ore + alloc_organics + alloc_equipment + alloc_fighters <= 100
    and citadel_level between 0 and 5
    and (building_level is null) = (build_done_at is null)
    and (building_level is null or building_level = citadel_level + 1))`.execute(db);
  await db.schema.createIndex('planets_owner').on('planets').column('owner_user_id').execute();

  await db.schema.alterTable('players').addColumn('landed_planet_id', 'bigint').execute();
  await sql`alter table combat_logs alter column defender_user_id drop not null`.execute(db);
}
