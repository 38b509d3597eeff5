import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { migrations } from '../../migrations/index.js';
import type { Config } from '../config.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  backend: 'postgres' | 'pglite';
  /** The pg pool on PostgreSQL, for pool metrics. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// int8 as a JS number on both backends (PGlite already does): credits and ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** The one database handle: PostgreSQL when a URL is given, PGlite under DATA_DIR otherwise. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'dataDir'>,
  options: { inMemory?: boolean } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its server must not crash the process; the next checkout reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, backend: 'postgres', pool, close: () => db.destroy() };
  }
  let pglite: PGlite;
  if (options.inMemory) {
    pglite = new PGlite();
  } else {
    const dir = path.join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = new PGlite(dir);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, backend: 'pglite', close: () => db.destroy() };
}

/** Apply every pending migration; throws (and so stops the role) when one fails. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const error = result.error instanceof Error ? result.error : new Error(String(result.error));
    error.message = `migration ${failed?.migrationName ?? '?'} failed: ${error.message}`;
    throw error;
  }
  return result;
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
