import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { RegionTables } from './schema.js';

/** Every prepared statement, for the test that holds the raw-SQL baseline to the handlers' SQL. */
const registry: Array<{ sql(db: Kysely<never>): string }> = [];

/** The SQL of every prepared statement loaded so far. */
export function preparedStatements(db: Kysely<never>): string[] {
  return registry.map((statement) => statement.sql(db));
}

/** An argument's stand-in while the query is built; never a value a caller could pass. */
const SLOT = '\u0000sectorwars-slot:';

/**
 * A query of fixed shape, built with Kysely's typed builder once and compiled once; every call
 * sends the cached SQL with its own parameters. Building and compiling a query costs more CPU in
 * the api than pg's own work for it, and the statements of a game action are the same on every
 * request, so the hot ones are prepared here.
 *
 * `build` receives stand-ins for its arguments; it must use them only as values (in `where`,
 * `set`, `values`, `sql` templates) and never branch on them, or every call would get the first
 * call's shape. Queries whose shape varies (an `in` list, an optional clause) stay unprepared.
 */
export function prepared<A extends Record<string, unknown>, R, DB = RegionTables>(build: (db: Kysely<DB>, args: A) => Compilable<R>) {
  let compiled: { sql: string; parameters: Array<{ slot: string } | { value: unknown }> } | undefined;

  const compile = (db: Kysely<DB>) => {
    const stand = new Proxy({} as A, { get: (_target, key) => `${SLOT}${String(key)}` });
    const query = build(db, stand).compile();
    return {
      sql: query.sql,
      parameters: query.parameters.map((value) => (typeof value === 'string' && value.startsWith(SLOT) ? { slot: value.slice(SLOT.length) } : { value })),
    };
  };

  const run = async (db: Kysely<DB>, args: A): Promise<R[]> => {
    compiled ??= compile(db);
    const parameters = compiled.parameters.map((p) => ('slot' in p ? args[p.slot] : p.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters))).rows;
  };

  const statement = {
    /** Every row. */
    execute: run,
    /** The first row, if any. */
    async first(db: Kysely<DB>, args: A): Promise<R | undefined> {
      return (await run(db, args))[0];
    },
    /** The SQL as compiled (for tests and the raw-SQL baseline). */
    sql(db: Kysely<DB>): string {
      compiled ??= compile(db);
      return compiled.sql;
    },
  };
  registry.push(statement as unknown as { sql(db: Kysely<never>): string });
  return statement;
}
