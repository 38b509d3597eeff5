import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type DatabaseConnection, type Dialect, Kysely, type MigrationResultSet, Migrator, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { LEGACY_MIGRATIONS, MIGRATION_SETS } from '../../migrations/index.js';
import type { Config } from '../config.js';
import { Problem } from '../errors.js';
import { lockDataFolder } from './data-folder-lock.js';
import { NAMED_STATEMENTS_PER_CONNECTION, nameStatements } from './named-statements.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { AccountTables, RegionTables } from './schema.js';

/** The accounts database: users, sessions (later teams, mail, tokens, the region registry). */
export type AccountDb = Kysely<AccountTables>;
/** A region's database: the universe and the pilots' state in it. */
export type RegionDb = Kysely<RegionTables>;
export type AccountTrx = Transaction<AccountTables>;
export type RegionTrx = Transaction<RegionTables>;

export interface DatabaseHandle {
  accounts: AccountDb;
  region: RegionDb;
  backend: 'postgres' | 'pglite';
  /** The pg pool on PostgreSQL, for pool metrics. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// int8 as a JS number on both backends (PGlite already does): credits and ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * The two database handles: PostgreSQL when a URL is given, PGlite under DATA_DIR otherwise. In
 * single-server mode both handles are views of one connection pool over one database: each is
 * typed with its own tables only, so a query cannot join across them, while they share the
 * pool (and PGlite's single connection) instead of competing for it. With a region database URL
 * the region handle has a pool of its own, on its own database (a shard, maybe on another server).
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'dataDir'> & Partial<Pick<Config, 'regionDatabaseUrl' | 'databaseNamedStatements'>>,
  options: { inMemory?: boolean; connectTimeoutMs?: number } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const named = config.databaseNamedStatements ?? NAMED_STATEMENTS_PER_CONNECTION;
    const db = postgres(config.databaseUrl, config.databasePoolSize, named, options.connectTimeoutMs);
    if (!config.regionDatabaseUrl || config.regionDatabaseUrl === config.databaseUrl) {
      return { ...views(db.kysely), backend: 'postgres', pool: db.pool, close: () => db.kysely.destroy() };
    }
    const shard = postgres(config.regionDatabaseUrl, config.databasePoolSize, named);
    return {
      accounts: db.kysely as unknown as AccountDb,
      region: shard.kysely as unknown as RegionDb,
      backend: 'postgres',
      // The region's pool is the one play keeps busy: it is the one the pool metrics watch.
      pool: shard.pool,
      close: async () => {
        await Promise.all([db.kysely.destroy(), shard.kysely.destroy()]);
      },
    };
  }
  let pglite: PGlite;
  let unlock = () => {};
  if (options.inMemory) {
    pglite = new PGlite();
  } else {
    const dir = path.join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    unlock = lockDataFolder(config.dataDir);
    pglite = new PGlite(dir);
  }
  const db = new Kysely<AccountTables & RegionTables>({ dialect: refusingNul(new PGliteDialect(pglite)) });
  return {
    ...views(db),
    backend: 'pglite',
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}

function postgres(connectionString: string, max: number, namedStatements: number, connectTimeoutMs?: number) {
  const pool = nameStatements(
    new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, ...(connectTimeoutMs ? { connectionTimeoutMillis: connectTimeoutMs } : {}) }),
    namedStatements,
  );
  // An idle client losing its server must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  return { pool, kysely: new Kysely<AccountTables & RegionTables>({ dialect: refusingNul(new PostgresDialect({ pool })) }) };
}

/** The one place the shared pool is seen through each database's own table set. */
function views(db: Kysely<AccountTables & RegionTables>): { accounts: AccountDb; region: RegionDb } {
  return { accounts: db as unknown as AccountDb, region: db as unknown as RegionDb };
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
      return Promise.reject(new Problem('validation_failed', { detail: 'A text value holds a NUL character (U+0000), which cannot be stored.' }));
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

/** The gate hand-off's guard refused an update of a pilot (or ship) crossing to another shard. */
export function isInTransitRefusal(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SWIT1';
}

/** Socket errors of a database that is not there (down, restarting, unreachable). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is going or not taking connections: shutting down, starting, full. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether an error means the database could not be reached, rather than that a statement was
 * wrong: the API answers these with 503 `database_unavailable` (and a Retry-After), not a 500.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNREACHABLE.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
  // Connecting to every address of a host failed (Node's AggregateError), or pg gave up on the socket.
  if (Array.isArray(errors) && errors.some(isDatabaseUnreachable)) return true;
  return typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(message);
}

/** Apply every pending migration of both sets; throws (and so stops the role) when one fails. */
export async function migrateToLatest(handle: Pick<DatabaseHandle, 'accounts' | 'region'>): Promise<MigrationResultSet[]> {
  await adoptLegacyMigrations(handle.accounts);
  if (handle.accounts !== (handle.region as unknown)) await adoptLegacyMigrations(handle.region);
  return [await migrateSet(handle.accounts, 'accounts'), await migrateSet(handle.region, 'region')];
}

/** One migration set on one database (a region shard is migrated with `region` alone). */
export async function migrateSet<DB>(db: Kysely<DB>, set: keyof typeof MIGRATION_SETS): Promise<MigrationResultSet> {
  const { migrations, table, lockTable } = MIGRATION_SETS[set];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: table,
    migrationLockTableName: lockTable,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const error = result.error instanceof Error ? result.error : new Error(String(result.error));
    error.message = `${set} migration ${failed?.migrationName ?? '?'} failed: ${error.message}`;
    throw error;
  }
  return result;
}

/**
 * A database migrated before the split ran one set from `schema_migrations`: record each old
 * migration under its new set and name (in the migration tables Kysely would create), then drop
 * the old tables, so nothing runs twice.
 */
async function adoptLegacyMigrations<DB>(db: Kysely<DB>): Promise<void> {
  const { rows: exists } = await sql<{ found: boolean }>`select to_regclass(${LEGACY_MIGRATIONS.table}) is not null as found`.execute(db);
  if (!exists[0]?.found) return;
  const { rows: applied } = await sql<{ name: string; timestamp: string }>`select name, timestamp from ${sql.table(LEGACY_MIGRATIONS.table)}`.execute(db);
  await db.transaction().execute(async (trx) => {
    for (const set of Object.values(MIGRATION_SETS)) {
      await sql`create table if not exists ${sql.table(set.table)} (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(trx);
    }
    for (const row of applied) {
      const renamed = LEGACY_MIGRATIONS.renamed[row.name as keyof typeof LEGACY_MIGRATIONS.renamed];
      if (!renamed) throw new Error(`cannot adopt the legacy migration ${row.name}: it has no place in the split sets`);
      const table = MIGRATION_SETS[renamed.set].table;
      await sql`insert into ${sql.table(table)} (name, timestamp) values (${renamed.name}, ${row.timestamp}) on conflict do nothing`.execute(trx);
    }
    await sql`drop table ${sql.table(LEGACY_MIGRATIONS.table)}`.execute(trx);
    await sql`drop table if exists ${sql.table(LEGACY_MIGRATIONS.lockTable)}`.execute(trx);
  });
}

export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
