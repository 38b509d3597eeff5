import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/schema.js';
import { preparedStatements } from '../platform/db/prepared.js';
// Loading the handlers registers their prepared statements.
import '../handlers/index.js';
import { q } from './baselines/raw-sql.js';

/** Compiles only: no database behind it. */
const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

describe('the raw-SQL baseline', () => {
  it('sends, statement for statement, the SQL the handlers prepare', () => {
    const handlers = new Set(preparedStatements(compiler));
    // The per-action statements the baseline sends that the handlers prepare; the others
    // (variable in-lists, the outbox rows, the key release) are built per call by both.
    const fixed = Object.entries(q).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !['pilotsHere', 'releaseKey'].includes(entry[0]),
    );
    expect(fixed.length).toBeGreaterThan(15);
    const drifted = fixed.filter(([, text]) => !handlers.has(text)).map(([name]) => name);
    expect(drifted).toEqual([]);
  });
});
