import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../tests/harness.js';
import { nameStatements } from './named-statements.js';

const { databaseUrl } = testBackends();

describe.skipIf(!databaseUrl)('named statements on a pg pool', () => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = nameStatements(new pg.Pool({ connectionString: databaseUrl, max: 1 }), 3);
  });
  afterAll(() => pool.end());

  /** What this connection's session holds prepared, as PostgreSQL lists it. */
  const preparedHere = async (client: pg.PoolClient) =>
    (await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by name')).rows;

  it('prepares a parameterised text once per connection and runs it by name after', async () => {
    const client = await pool.connect();
    try {
      const text = 'select $1::int + 1 as n';
      expect((await client.query(text, [1])).rows).toEqual([{ n: 2 }]);
      expect((await client.query(text, [41])).rows).toEqual([{ n: 42 }]);
      // no parameters: the simple protocol, nothing prepared
      await client.query('select 1');
      expect(await preparedHere(client)).toEqual([{ name: 'sw_0', statement: text }]);
    } finally {
      client.release();
    }
  });

  it('a statement PostgreSQL refuses leaves its name usable, and texts past the limit run unnamed', async () => {
    const client = await pool.connect();
    try {
      await expect(client.query('select $1::int from no_such_table', [1])).rejects.toThrow(/no_such_table/);
      await expect(client.query('select $1::int from no_such_table', [1])).rejects.toThrow(/no_such_table/);
      expect((await client.query('select $1::text as s', ['a'])).rows).toEqual([{ s: 'a' }]);
      expect((await client.query('select $1::text || $2 as s', ['a', 'b'])).rows).toEqual([{ s: 'ab' }]);
      // the limit is 3 names: sw_0 (the first test), sw_1 (the refused one), sw_2; the fourth text runs unnamed
      expect((await preparedHere(client)).map((p) => p.name)).toEqual(['sw_0', 'sw_2']);
      expect((await client.query('select $1::text || $2 as s', ['c', 'd'])).rows).toEqual([{ s: 'cd' }]);
    } finally {
      client.release();
    }
  });
});
