import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATION_SETS } from '../../migrations/index.js';
import { testBackends } from '../../tests/harness.js';
import { migrateToLatest, openDatabase, type RegionDb } from './database.js';

async function tableNames(db: RegionDb): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(db);
  return result.rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('apply both sets on an empty embedded database, and a second run applies nothing', async () => {
    const handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
    const [accounts, region] = await migrateToLatest(handle);
    expect(accounts!.results?.map((r) => r.migrationName)).toEqual(Object.keys(MIGRATION_SETS.accounts.migrations));
    expect(region!.results?.map((r) => r.migrationName)).toEqual(Object.keys(MIGRATION_SETS.region.migrations));
    expect(await tableNames(handle.region)).toEqual(expect.arrayContaining(['users', 'refresh_tokens', 'players', 'accounts_migrations', 'region_migrations']));
    const again = await migrateToLatest(handle);
    expect(again.map((set) => set.results)).toEqual([[], []]);
    await handle.close();
  });

  it('adopt a database migrated before the split: nothing runs twice, the rest applies', async () => {
    const handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
    // The one set as it ran before, under its old names and table.
    const legacy = new Migrator({
      db: handle.region,
      provider: {
        getMigrations: async () => ({
          '0001_accounts': MIGRATION_SETS.accounts.migrations['0001_users']!,
          '0002_universe': MIGRATION_SETS.region.migrations['0001_universe']!,
          '0003_jobs': MIGRATION_SETS.region.migrations['0002_jobs']!,
        }),
      },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    });
    expect((await legacy.migrateToLatest()).error).toBeUndefined();
    const [accounts, region] = await migrateToLatest(handle);
    expect(accounts!.results?.map((r) => r.migrationName)).toEqual(Object.keys(MIGRATION_SETS.accounts.migrations).slice(1));
    expect(region!.results?.map((r) => r.migrationName)).toEqual(Object.keys(MIGRATION_SETS.region.migrations).slice(2));
    expect(await tableNames(handle.region)).not.toContain('schema_migrations');
    await handle.close();
  });

  it.runIf(testBackends().databaseUrl)('apply on an empty PostgreSQL database', async () => {
    const base = process.env.DATABASE_URL ?? testBackends().databaseUrl!;
    const name = `sectorwars_migrate_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(base);
      url.pathname = `/${name}`;
      const handle = await openDatabase({ databaseUrl: url.toString(), databasePoolSize: 2, dataDir: '' });
      expect(handle.backend).toBe('postgres');
      const results = await migrateToLatest(handle);
      expect(results.flatMap((set) => set.results ?? []).every((r) => r.status === 'Success')).toBe(true);
      expect(await tableNames(handle.region)).toEqual(expect.arrayContaining(['users', 'refresh_tokens', 'players']));
      await handle.close();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe('the two database handles', () => {
  it('type each with its own tables, so a query joining across the line does not compile', async () => {
    const handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
    await migrateToLatest(handle);
    // Checked by the compiler (npm run typecheck): each line below must fail to type-check.
    const crossJoin = () =>
      handle.region
        .selectFrom('players')
        // @ts-expect-error users is an account table: the region handle does not know it
        .innerJoin('users', 'users.id', 'players.user_id')
        .selectAll();
    // @ts-expect-error players is a region table: the accounts handle does not know it
    const crossFrom = () => handle.accounts.selectFrom('players').selectAll();
    expect(typeof crossJoin).toBe('function');
    expect(typeof crossFrom).toBe('function');
    // In single-server mode both are views of one pool: each reads its own tables there.
    expect(await handle.accounts.selectFrom('users').select('id').execute()).toEqual([]);
    expect(await handle.region.selectFrom('players').select('user_id').execute()).toEqual([]);
    await handle.close();
  });
});

describe('the embedded dialect', () => {
  it('serializes transactions so concurrent read-modify-writes lose nothing', async () => {
    const handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
    const db = handle.region as unknown as import('kysely').Kysely<{ counter: { id: number; n: number } }>;
    await sql`create table counter (id int primary key, n int not null)`.execute(db);
    await db.insertInto('counter').values({ id: 1, n: 0 }).execute();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('counter').select('n').where('id', '=', 1).executeTakeFirstOrThrow();
          await new Promise((resolve) => setTimeout(resolve, 1));
          await trx
            .updateTable('counter')
            .set({ n: row.n + 1 })
            .where('id', '=', 1)
            .execute();
        }),
      ),
    );
    const { n } = await db.selectFrom('counter').select('n').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(n).toBe(50);
    await handle.close();
  });

  it('rolls back a failed transaction and keeps serving', async () => {
    const handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
    const db = handle.region as unknown as import('kysely').Kysely<{ t: { x: number } }>;
    await sql`create table t (x int primary key)`.execute(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ x: 1 }).execute();
        await trx.insertInto('t').values({ x: 1 }).execute();
      }),
    ).rejects.toThrow();
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([]);
    const inserted = await db.insertInto('t').values({ x: 2 }).executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(1n);
    await handle.close();
  });
});

describe('text PostgreSQL cannot store', () => {
  const backends: Array<[string, () => Promise<import('./database.js').DatabaseHandle>]> = [
    ['embedded', () => openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true })],
  ];
  if (testBackends().databaseUrl)
    backends.push(['postgres', () => openDatabase({ databaseUrl: testBackends().databaseUrl, databasePoolSize: 1, dataDir: '' })]);

  it.each(backends)('is refused as a 422 problem before it reaches the %s database, in text and in JSON', async (_name, open) => {
    const handle = await open();
    try {
      const db = handle.region as unknown as import('kysely').Kysely<Record<string, { body: string }>>;
      const table = `nul_${randomBytes(4).toString('hex')}`;
      await sql`create temporary table ${sql.id(table)} (body text, doc jsonb)`.execute(db);
      for (const values of [{ body: 'a\u0000b' }, { doc: JSON.stringify({ text: 'a\u0000b' }) }]) {
        const refused = await db
          .insertInto(table)
          .values(values as never)
          .execute()
          .then(
            () => 'stored',
            (err: { status?: number; code?: string }) => `${err.status} ${err.code}`,
          );
        expect(refused, JSON.stringify(values)).toBe('422 validation_failed');
      }
      // A backslash before u0000 that is itself escaped is just text.
      await db
        .insertInto(table)
        .values({ doc: JSON.stringify({ text: '\\u0000' }) } as never)
        .execute();
      const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(table)}`.execute(db);
      expect(rows.rows[0]!.n).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
