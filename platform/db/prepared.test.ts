import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './database.js';
import { prepared } from './prepared.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
  await migrateToLatest(handle);
  await handle.region
    .insertInto('regions')
    .values([
      { id: 1, slug: 'terran', name: 'Terran Space', capital_sector_id: 1, first_sector_id: 1, last_sector_id: 10 },
      { id: 2, slug: 'nexus', name: 'Central Nexus', capital_sector_id: 11, first_sector_id: 11, last_sector_id: 20 },
    ])
    .execute();
});
afterAll(() => handle.close());

const regionNamed = prepared((db, a: { id: number; suffix: string }) =>
  db
    .selectFrom('regions')
    .select(['id', sql<string>`name || ${a.suffix}`.as('label')])
    .where('id', '=', a.id)
    .where('name', '!=', 'never'),
);

describe('prepared queries', () => {
  it('compile to the SQL the builder would, with the arguments and the constants in place', () => {
    expect(regionNamed.sql(handle.region)).toBe('select "id", name || $1 as "label" from "regions" where "id" = $2 and "name" != $3');
  });

  it('run with each call’s own arguments, reusing the compiled statement', async () => {
    expect(await regionNamed.first(handle.region, { id: 1, suffix: '!' })).toEqual({ id: 1, label: 'Terran Space!' });
    expect(await regionNamed.execute(handle.region, { id: 2, suffix: '?' })).toEqual([{ id: 2, label: 'Central Nexus?' }]);
    expect(await regionNamed.first(handle.region, { id: 3, suffix: '' })).toBeUndefined();
  });

  it('run inside a transaction on its connection', async () => {
    const renamed = prepared((db, a: { id: number; name: string }) => db.updateTable('regions').set({ name: a.name }).where('id', '=', a.id).returning('name'));
    await expect(
      handle.region.transaction().execute(async (trx) => {
        expect(await renamed.first(trx, { id: 1, name: 'Renamed' })).toEqual({ name: 'Renamed' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await regionNamed.first(handle.region, { id: 1, suffix: '' })).toEqual({ id: 1, label: 'Terran Space' });
  });
});
