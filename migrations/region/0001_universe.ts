import { sql, type Kysely } from 'kysely';

/**
 * Region tables: the galaxy (regions, sectors, warps, ports and their goods, planets) and the
 * players' in-region state (pilot, ship, known sectors, ledger), plus the action plumbing
 * (idempotency keys, the outbox of domain events). Every region-scoped row carries region_id;
 * nothing here references the account tables, so a region can live in its own database.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('galaxy')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('sector_count', 'integer', (c) => c.notNull())
    .addColumn('generated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('regions')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capital_sector_id', 'integer', (c) => c.notNull())
    .addColumn('first_sector_id', 'integer', (c) => c.notNull())
    .addColumn('last_sector_id', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sectors')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('x', 'integer', (c) => c.notNull())
    .addColumn('y', 'integer', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull().check(sql`zone in ('federation', 'border', 'frontier')`))
    .addColumn('fedspace', 'boolean', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('warps')
    .addColumn('from_sector_id', 'integer', (c) => c.notNull())
    .addColumn('to_sector_id', 'integer', (c) => c.notNull())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('gate', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('warps_pkey', ['from_sector_id', 'to_sector_id'])
    .execute();
  await db.schema.createIndex('warps_to').on('warps').column('to_sector_id').execute();

  await db.schema
    .createTable('ports')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('sector_id', 'integer', (c) => c.notNull().unique())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('port_class', 'integer', (c) => c.notNull().check(sql`port_class between 0 and 9`))
    .execute();

  await db.schema
    .createTable('port_goods')
    .addColumn('port_id', 'integer', (c) => c.notNull())
    .addColumn('good', 'text', (c) => c.notNull())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('buy', 'sell')`))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity > 0`))
    .addColumn('stock', 'integer', (c) => c.notNull())
    .addColumn('fixed_price', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('anchor_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('port_goods_pkey', ['port_id', 'good'])
    .addCheckConstraint('port_goods_stock_range', sql`stock >= 0 and stock <= capacity`)
    .execute();

  await db.schema
    .createTable('planets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('sector_id', 'integer', (c) => c.notNull())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('planet_type', 'text', (c) => c.notNull())
    .addColumn('claimable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('owner_user_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('planets_sector').on('planets').column('sector_id').execute();

  await db.schema
    .createTable('ships')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('owner_user_id', 'uuid', (c) => c.notNull())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('hull', 'text', (c) => c.notNull())
    .addColumn('holds', 'integer', (c) => c.notNull().check(sql`holds >= 0`))
    .addColumn('fighters', 'integer', (c) => c.notNull().check(sql`fighters >= 0`))
    .addColumn('shields', 'integer', (c) => c.notNull().check(sql`shields >= 0`))
    .addColumn('cargo_ore', 'integer', (c) => c.notNull().defaultTo(0).check(sql`cargo_ore >= 0`))
    .addColumn('cargo_organics', 'integer', (c) => c.notNull().defaultTo(0).check(sql`cargo_organics >= 0`))
    .addColumn('cargo_equipment', 'integer', (c) => c.notNull().defaultTo(0).check(sql`cargo_equipment >= 0`))
    .addColumn('cargo_colonists', 'integer', (c) => c.notNull().defaultTo(0).check(sql`cargo_colonists >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The database holds the line too: cargo never exceeds holds, whatever the code does.
    .addCheckConstraint('ships_cargo_fits', sql`cargo_ore + cargo_organics + cargo_equipment + cargo_colonists <= holds`)
    .execute();
  await db.schema.createIndex('ships_owner').on('ships').column('owner_user_id').execute();

  await db.schema
    .createTable('players')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sector_id', 'integer', (c) => c.notNull())
    .addColumn('ship_id', 'integer', (c) => c.notNull())
    .addColumn('credits', 'bigint', (c) => c.notNull().check(sql`credits >= 0`))
    .addColumn('turns', 'integer', (c) => c.notNull().check(sql`turns >= 0`))
    .addColumn('turns_anchor_at', 'timestamptz', (c) => c.notNull())
    .addColumn('experience', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alignment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('players_sector').on('players').column('sector_id').execute();

  await db.schema
    .createTable('known_sectors')
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('sector_id', 'integer', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('snapshot', 'jsonb')
    .addPrimaryKeyConstraint('known_sectors_pkey', ['user_id', 'sector_id'])
    .execute();

  await db.schema
    .createTable('credit_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('delta', 'bigint', (c) => c.notNull())
    .addColumn('balance_after', 'bigint', (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('ref', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('credit_ledger_user').on('credit_ledger').columns(['user_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in_flight', 'done')`))
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'jsonb')
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('outbox_topic').on('outbox').columns(['topic', 'id']).execute();
  await sql`create index outbox_unpublished on outbox (id) where published_at is null`.execute(db);
}
