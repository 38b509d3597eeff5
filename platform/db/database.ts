import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type DatabaseConnection, type Dialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { migrations } from '../../migrations/index.js';
import type { Config } from '../config.js';
import { Problem } from '../errors.js';
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
    const db = new Kysely<Database>({ dialect: refusingNul(new PostgresDialect({ pool })) });
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
  const db = new Kysely<Database>({ dialect: refusingNul(new PGliteDialect(pglite)) });
  return { db, backend: 'pglite', close: () => db.destroy() };
}

const GUARDED = Symbol('refuses NUL');
/** A JSON document with a NUL escape in it: an odd number of backslashes before u0000. */
const NUL_IN_JSON = /(?<!\\)(?:\\\\)*\\u0000/;

/**
 * PostgreSQL cannot store U+0000 in text (nor its escape in jsonb) and answers with an error the
 * API would turn into a 500. Input is cleaned at the edge (refuseControlCharacters); this is the
 * last line, on every statement of both backends: such a value is refused as bad input.
 */
function refusingNul(dialect: Dialect): Dialect {
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => {
    const driver = createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async () => guard(await acquire());
    return driver;
  };
  return dialect;
}

function guard(connection: DatabaseConnection & { [GUARDED]?: true }): DatabaseConnection {
  // pg's connections are reused across checkouts: wrap each once.
  if (connection[GUARDED]) return connection;
  const execute = connection.executeQuery.bind(connection);
  connection.executeQuery = (query) => {
    if (query.parameters.some(carriesNul)) {
      return Promise.reject(
        new Problem(422, 'validation_failed', 'The request is not valid', { detail: 'A text value holds a NUL character (U+0000), which cannot be stored.' }),
      );
    }
    return execute(query);
  };
  connection[GUARDED] = true;
  return connection;
}

function carriesNul(value: unknown): boolean {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return true;
    return (value[0] === '{' || value[0] === '[') && value.includes('\\u0000') && NUL_IN_JSON.test(value);
  }
  return Array.isArray(value) && value.some(carriesNul);
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
