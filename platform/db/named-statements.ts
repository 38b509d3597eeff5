import type pg from 'pg';

/**
 * PostgreSQL parses, analyses and plans an unnamed statement again on every execution; a named
 * one it keeps per connection, parsed once and planned from its cache. A game action sends the
 * same few statement texts all day (`prepared()` builds them once; the applier's change sets
 * have a handful of shapes), so every statement with parameters runs as a named statement of its
 * connection, its name given on first use. Statements without parameters (BEGIN, COMMIT) keep
 * the simple protocol. Shapes that vary without end (an `in` list per length) would fill a
 * connection's cache, so each connection names at most `limit` texts and sends the rest unnamed.
 * PostgreSQL replans a cached statement itself when a table it reads changes.
 */
export const NAMED_STATEMENTS_PER_CONNECTION = 256;

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

export function nameStatements(pool: pg.Pool, limit = NAMED_STATEMENTS_PER_CONNECTION): pg.Pool {
  // off: pg's own query, with no wrapper on the hot path
  if (limit === 0) return pool;
  pool.on('connect', (client) => {
    const names = new Map<string, string>();
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (config, values, callback) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
        let name = names.get(config);
        if (name === undefined && names.size < limit) names.set(config, (name = `sw_${names.size}`));
        if (name !== undefined) return query({ name, text: config, values });
      }
      return query(config, values, callback);
    };
  });
  return pool;
}
