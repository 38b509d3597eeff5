import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { type AccountDb, migrateSet, openDatabase, type RegionDb } from '../platform/db/database.js';
import { addRegion } from '../regions/registry.js';
import { type SecondPostgres, startSecondPostgres } from '../tests/second-postgres.js';

/**
 * Two region shards, for the multi-regional tests and the bench's `gates` scenario: the accounts
 * database (the nexus) and Terran Space on the run's PostgreSQL server, the Central Nexus on a
 * second server of its own, registered and cut from one galaxy (small unless asked otherwise).
 * Handles to all three for the caller's own reads; `close()` drops what it made.
 */
export interface Shards {
  accountsUrl: string;
  accounts: AccountDb;
  terran: RegionDb;
  nexus: RegionDb;
  second: SecondPostgres;
  /** each region's own database URL (the registry's) */
  urls: { terran: string; nexus: string };
  /** the gate: its Terran end and its Nexus end */
  gate: { terran: number; nexus: number };
  close(): Promise<void>;
}

export interface ShardOptions {
  /** the galaxy's seed (default: a fresh one per call) */
  seed?: string;
  /** sectors per region (default 30 each: small, quick to cut) */
  terranSectors?: number;
  nexusSectors?: number;
  /** connections of each handle returned (default 4) */
  poolSize?: number;
}

export async function createShards(mainUrl: string, options: ShardOptions = {}): Promise<Shards> {
  const second = await startSecondPostgres();
  const suffix = randomBytes(4).toString('hex');
  const poolSize = options.poolSize ?? 4;
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

  const nexusHandle = await openDatabase({ databaseUrl: accountsUrl, databasePoolSize: poolSize, dataDir: '' });
  await migrateSet(nexusHandle.accounts, 'accounts');
  await addRegion(nexusHandle.accounts, {
    slug: 'terran',
    databaseUrl: terranUrl,
    plan: {
      seed: options.seed ?? `gates-${suffix}`,
      terranSectors: options.terranSectors ?? 30,
      nexusSectors: options.nexusSectors ?? 30,
    },
  });
  await addRegion(nexusHandle.accounts, { slug: 'nexus', databaseUrl: nexusUrl });
  const terran = await openDatabase({ databaseUrl: terranUrl, databasePoolSize: poolSize, dataDir: '' });
  const nexus = await openDatabase({ databaseUrl: nexusUrl, databasePoolSize: poolSize, dataDir: '' });
  const warp = await terran.region.selectFrom('warps').select(['from_sector_id', 'to_sector_id']).where('gate', '=', true).executeTakeFirstOrThrow();
  return {
    accountsUrl,
    accounts: nexusHandle.accounts,
    terran: terran.region,
    nexus: nexus.region,
    second,
    urls: { terran: terranUrl, nexus: nexusUrl },
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

/**
 * A set-up shortcut for the bench: these pilots wait at the Terran end of the gate, with `cargo`
 * aboard when given. Only position and cargo are written, never credits, which move through
 * the ledger alone (so the ledger still equals the balances afterwards).
 */
export async function placeAtGate(s: Shards, userIds: readonly string[], cargo?: { ore: number; equipment: number }): Promise<void> {
  if (userIds.length === 0) return;
  await s.terran
    .updateTable('players')
    .set({ sector_id: s.gate.terran })
    .where('user_id', 'in', [...userIds])
    .execute();
  if (cargo) {
    await s.terran
      .updateTable('ships')
      .set({ cargo_ore: cargo.ore, cargo_equipment: cargo.equipment })
      .where('owner_user_id', 'in', [...userIds])
      .execute();
  }
}

/** What a conservation check found: every pilot in exactly one region, out of transit, holding what it held. */
export interface Conservation {
  pilots: number;
  /** pilots found in no shard */
  lost: number;
  /** pilots found in both shards */
  doubled: number;
  in_transit: number;
  /** pilots whose home on the nexus names another region than the shard holding them */
  homes_wrong: number;
  by_region: { terran: number; nexus: number };
  totals: Record<'credits' | 'cargo' | 'fighters', { start: number; end: number }>;
  /** users whose ledger does not sum to their balance, per shard */
  ledger_mismatches: { terran: number; nexus: number };
  ok: boolean;
}

const REGION_IDS = { terran: 1, nexus: 2 } as const;

export async function checkConservation(s: Shards, userIds: readonly string[], start: Holdings): Promise<Conservation> {
  const end = await holdings(s, userIds);
  const places = [...end.where.values()];
  const homes = new Map(
    (
      await s.accounts
        .selectFrom('pilot_homes')
        .select(['user_id', 'region_id'])
        .where('user_id', 'in', [...userIds])
        .execute()
    ).map((h) => [h.user_id, h.region_id]),
  );
  const homesWrong = [...end.where].filter(([id, at]) => at.length === 1 && (homes.get(id) ?? REGION_IDS.terran) !== REGION_IDS[at[0]!.region]).length;
  const totals = {
    credits: { start: start.credits, end: end.credits },
    cargo: { start: start.cargo, end: end.cargo },
    fighters: { start: start.fighters, end: end.fighters },
  };
  const ledger = { terran: (await ledgerMismatchesIn(s.terran)).length, nexus: (await ledgerMismatchesIn(s.nexus)).length };
  const result = {
    pilots: userIds.length,
    lost: places.filter((p) => p.length === 0).length,
    doubled: places.filter((p) => p.length > 1).length,
    in_transit: places.filter((p) => p.some((place) => place.transit)).length,
    homes_wrong: homesWrong,
    by_region: {
      terran: places.filter((p) => p.length === 1 && p[0]!.region === 'terran').length,
      nexus: places.filter((p) => p.length === 1 && p[0]!.region === 'nexus').length,
    },
    totals,
    ledger_mismatches: ledger,
  };
  const ok =
    result.lost === 0 &&
    result.doubled === 0 &&
    result.in_transit === 0 &&
    result.homes_wrong === 0 &&
    Object.values(totals).every((t) => t.start === t.end) &&
    ledger.terran === 0 &&
    ledger.nexus === 0;
  return { ...result, ok };
}

/** Wait until none of these pilots is in transit (the api or the gate-sweeper finishes every crossing), at most `timeoutMs`. */
export async function settleCrossings(s: Shards, userIds: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await holdings(s, userIds);
    if ([...now.where.values()].every((p) => p.length === 1 && !p[0]!.transit)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
