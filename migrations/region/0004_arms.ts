import { sql, type Kysely } from 'kysely';

/**
 * Arms (issue 13): ships carry mines and genesis torpedoes; a destruction leaves a wreck (its
 * cargo, salvageable for a game day) and every engagement a combat log with its seed. Ids are
 * uuids chosen by the action, so its answer can name them and a region shard needs no sequence.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('ships')
    .addColumn('mines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('genesis_torpedoes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`alter table ships add constraint ships_arms_nonnegative check (mines >= 0 and genesis_torpedoes >= 0)`.execute(db);

  await db.schema
    .createTable('combat_logs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('sector_id', 'integer', (c) => c.notNull())
    .addColumn('attacker_user_id', 'uuid', (c) => c.notNull())
    .addColumn('defender_user_id', 'uuid', (c) => c.notNull())
    .addColumn('attacker_name', 'text', (c) => c.notNull())
    .addColumn('defender_name', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('combat_logs_attacker').on('combat_logs').columns(['attacker_user_id', 'created_at']).execute();
  await db.schema.createIndex('combat_logs_defender').on('combat_logs').columns(['defender_user_id', 'created_at']).execute();

  await db.schema
    .createTable('wrecks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('sector_id', 'integer', (c) => c.notNull().references('sectors.id'))
    .addColumn('victim_name', 'text', (c) => c.notNull())
    .addColumn('combat_log_id', 'uuid', (c) => c.notNull().references('combat_logs.id'))
    .addColumn('cargo_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cargo_organics', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cargo_equipment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cargo_colonists', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`alter table wrecks add constraint wrecks_cargo_nonnegative check (cargo_ore >= 0 and cargo_organics >= 0 and cargo_equipment >= 0 and cargo_colonists >= 0)`.execute(
    db,
  );
  await db.schema.createIndex('wrecks_sector').on('wrecks').columns(['sector_id', 'expires_at']).execute();
}
