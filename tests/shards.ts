import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { type AccountDb, migrateSet, openDatabase, type RegionDb } from '../platform/db/database.js';
import { addRegion } from '../regions/registry.js';
import { type SecondPostgres, startSecondPostgres } from './second-postgres.js';

/**
 * Two region shards for the multi-regional tests: the accounts database (the nexus) and Terran
 * Space on the run's PostgreSQL server, the Central Nexus on a second server of the test's own,
 * registered and cut from one small galaxy. Handles to all three for the tests' own reads.
 */
export interface Shards {
  accountsUrl: string;
  accounts: AccountDb;
  terran: RegionDb;
  nexus: RegionDb;
  second: SecondPostgres;
  /** the gate: its Terran end and its Nexus end */
  gate: { terran: number; nexus: number };
  close(): Promise<void>;
}

export async function createShards(mainUrl: string): Promise<Shards> {
  const second = await startSecondPostgres();
  const suffix = randomBytes(4).toString('hex');
  const created: Array<{ server: string; name: string }> = [];
  const database = async (serverUrl: string, name: string) => {
    const server = new URL(serverUrl);
    server.pathname = '/postgres';
    const client = new pg.Client({ connectionString: server.toString() });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    created.push({ server: server.toString(), name });
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const accountsUrl = await database(mainUrl, `sw_acc_${suffix}`);
  const terranUrl = await database(mainUrl, `sw_ter_${suffix}`);
  const nexusUrl = await database(second.url, `sw_nex_${suffix}`);

  const nexusHandle = await openDatabase({ databaseUrl: accountsUrl, databasePoolSize: 4, dataDir: '' });
  await migrateSet(nexusHandle.accounts, 'accounts');
  await addRegion(nexusHandle.accounts, { slug: 'terran', databaseUrl: terranUrl, plan: { seed: `gates-${suffix}`, terranSectors: 30, nexusSectors: 30 } });
  await addRegion(nexusHandle.accounts, { slug: 'nexus', databaseUrl: nexusUrl });
  const terran = await openDatabase({ databaseUrl: terranUrl, databasePoolSize: 4, dataDir: '' });
  const nexus = await openDatabase({ databaseUrl: nexusUrl, databasePoolSize: 4, dataDir: '' });
  const warp = await terran.region.selectFrom('warps').select(['from_sector_id', 'to_sector_id']).where('gate', '=', true).executeTakeFirstOrThrow();
  return {
    accountsUrl,
    accounts: nexusHandle.accounts,
    terran: terran.region,
    nexus: nexus.region,
    second,
    gate: { terran: warp.from_sector_id, nexus: warp.to_sector_id },
    close: async () => {
      await Promise.all([nexusHandle.close(), terran.close(), nexus.close()]);
      for (const { server, name } of created.filter((c) => !c.server.includes(`:${second.port}/`))) {
        const client = new pg.Client({ connectionString: server });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      }
      await second.stop();
    },
  };
}

export interface Holdings {
  /** pilots by user id: where each one is, counted over both shards (a pilot in transit counts where it is frozen) */
  where: Map<string, Array<{ region: 'terran' | 'nexus'; transit: boolean }>>;
  credits: number;
  cargo: number;
  fighters: number;
}

/** What the given accounts' pilots hold across both shards. */
export async function holdings(s: Shards, userIds: readonly string[]): Promise<Holdings> {
  const out: Holdings = { where: new Map(userIds.map((id) => [id, []])), credits: 0, cargo: 0, fighters: 0 };
  for (const [region, db] of [
    ['terran', s.terran],
    ['nexus', s.nexus],
  ] as const) {
    const rows = await db
      .selectFrom('players')
      .innerJoin('ships', 'ships.id', 'players.ship_id')
      .select([
        'players.user_id',
        'players.credits',
        'players.transit_id',
        'ships.fighters',
        'ships.cargo_ore',
        'ships.cargo_organics',
        'ships.cargo_equipment',
        'ships.cargo_colonists',
      ])
      .where('players.user_id', 'in', [...userIds])
      .execute();
    for (const r of rows) {
      out.where.get(r.user_id)!.push({ region, transit: r.transit_id !== null });
      out.credits += r.credits;
      out.fighters += r.fighters;
      out.cargo += r.cargo_ore + r.cargo_organics + r.cargo_equipment + r.cargo_colonists;
    }
  }
  return out;
}

/** Users whose ledger in a shard does not sum to the credits they hold there (0 where the pilot is gone). */
export async function ledgerMismatchesIn(db: RegionDb): Promise<Array<{ user_id: string; credits: number; ledger: number }>> {
  const { rows } = await sql<{ user_id: string; credits: number; ledger: number }>`
    select u.user_id, coalesce(p.credits, 0)::bigint as credits, coalesce(l.sum, 0)::bigint as ledger
    from (select user_id from players union select user_id from credit_ledger) u
    left join players p on p.user_id = u.user_id
    left join (select user_id, sum(delta) as sum from credit_ledger group by user_id) l on l.user_id = u.user_id
    where coalesce(p.credits, 0) <> coalesce(l.sum, 0)`.execute(db);
  return rows;
}
