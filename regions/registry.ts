import { randomBytes } from 'node:crypto';
import { DEFAULT_GALAXY } from '../game/catalog/galaxy.js';
import { type Galaxy, type GalaxyParams, generateGalaxy } from '../game/galaxy.js';
import { type AccountDb, migrateSet, openDatabase, type RegionDb } from '../platform/db/database.js';
import { galaxyExists, type WriteProgress, writeShard } from './galaxy-store.js';
import type { RegionRegistryTable } from '../platform/db/schema.js';
import type { Selectable } from 'kysely';
import { type Config, loadConfig } from '../platform/config.js';
import { openRuntime, type Runtime } from '../platform/runtime.js';
import type { RegionEntry, ShardAccess } from '../platform/regional.js';

/**
 * The region registry on the Central Nexus (multi-regional mode, issue 20): which regions exist,
 * where each one's database is, and where each account's pilot lives. Every api, jobs and
 * realtime process of a region reads it at start to find its own database, and a process that
 * hands a pilot to another region reads it to reach that region's database.
 */
export class RegionUnknown extends Error {}

/** A registry row with its database resolved: the URL stored, or the one its secret reference names. */
export function toEntry(row: Selectable<RegionRegistryTable>, env: Record<string, string | undefined> = process.env): RegionEntry {
  const databaseUrl = row.database_url ?? (row.database_url_env ? env[row.database_url_env] : undefined);
  if (!databaseUrl) throw new RegionUnknown(`region ${row.slug}: its database URL is in ${row.database_url_env}, which is not set`);
  return { id: row.id, slug: row.slug, name: row.name, databaseUrl, apiUrls: row.api_urls, realtimeUrls: row.realtime_urls, state: row.state };
}

export async function readRegistry(accounts: AccountDb): Promise<RegionEntry[]> {
  const rows = await accounts.selectFrom('region_registry').selectAll().orderBy('id').execute();
  return rows.map((row) => toEntry(row));
}

export async function findRegion(accounts: AccountDb, slug: string): Promise<RegionEntry> {
  const row = await accounts.selectFrom('region_registry').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!row) throw new RegionUnknown(`no region "${slug}" in the registry (add it with \`sectorwars region add --slug ${slug} …\`)`);
  return toEntry(row);
}

/** The one galaxy every shard is cut from: made on the first call, read on every later one. */
export async function universePlan(accounts: AccountDb, proposal: Partial<GalaxyParams> = {}): Promise<{ params: GalaxyParams; galaxy: () => Galaxy }> {
  const proposed: GalaxyParams = {
    seed: proposal.seed ?? randomBytes(6).toString('hex'),
    terranSectors: proposal.terranSectors ?? DEFAULT_GALAXY.terranSectors,
    nexusSectors: proposal.nexusSectors ?? DEFAULT_GALAXY.nexusSectors,
  };
  await accounts
    .insertInto('universe_plan')
    .values({ id: 1, seed: proposed.seed, params: JSON.stringify(proposed) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await accounts.selectFrom('universe_plan').select('params').where('id', '=', 1).executeTakeFirstOrThrow();
  const params = row.params as GalaxyParams;
  let made: Galaxy | undefined;
  return { params, galaxy: () => (made ??= generateGalaxy(params)) };
}

/**
 * The other regions' databases, opened on first use with a small pool each: a process reaches
 * another shard only to hand a pilot over (or to sweep a hand-off), never to play there.
 */
export class Shards implements ShardAccess {
  private readonly open = new Map<number, Promise<{ db: RegionDb; close(): Promise<void> }>>();
  private entries: { at: number; byId: Map<number, RegionEntry> } | undefined;

  constructor(
    private readonly accounts: AccountDb,
    readonly self: RegionEntry,
    private readonly poolSize = 4,
  ) {}

  /** A region's registry entry; the registry is read again after 10 s, or when asked for one it has not seen. */
  async entry(regionId: number): Promise<RegionEntry> {
    const fresh = this.entries && Date.now() - this.entries.at < 10_000 ? this.entries : undefined;
    let found = fresh?.byId.get(regionId);
    if (!found) {
      const all = await readRegistry(this.accounts);
      this.entries = { at: Date.now(), byId: new Map(all.map((e) => [e.id, e])) };
      found = this.entries.byId.get(regionId);
    }
    if (!found) throw new RegionUnknown(`no region ${regionId} in the registry`);
    return found;
  }

  /** Whether the region's sectors are served by another shard than this one. */
  async isElsewhere(regionId: number): Promise<boolean> {
    if (regionId === this.self.id) return false;
    return (await this.entry(regionId).catch(() => undefined)) !== undefined;
  }

  async db(regionId: number): Promise<RegionDb> {
    let opening = this.open.get(regionId);
    if (!opening) {
      opening = this.entry(regionId).then(async (entry) => {
        // Another shard's server that does not answer fails the hand-off's step in 10 s (the
        // sweeper retries), rather than holding the request.
        const handle = await openDatabase({ databaseUrl: entry.databaseUrl, databasePoolSize: this.poolSize, dataDir: '' }, { connectTimeoutMs: 10_000 });
        return { db: handle.region, close: () => handle.close() };
      });
      this.open.set(regionId, opening);
      opening.catch(() => this.open.delete(regionId));
    }
    return (await opening).db;
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (o) => (await o.catch(() => undefined))?.close()));
  }
}

/**
 * A process started for a region (REGION, or `--region`): its database is the one the registry
 * names (unless REGION_DATABASE_URL overrides it). Without a region the config is returned as it
 * is: single-server mode.
 */
export async function regionalConfig(config: Config): Promise<{ config: Config; self?: RegionEntry }> {
  const slug = config.regions.region;
  if (!slug) return { config };
  const nexus = await openDatabase({ databaseUrl: config.databaseUrl, databasePoolSize: 1, dataDir: config.dataDir });
  try {
    const self = await findRegion(nexus.accounts, slug);
    return { config: { ...config, regionDatabaseUrl: config.regionDatabaseUrl ?? self.databaseUrl }, self };
  } finally {
    await nexus.close();
  }
}

/** Open a role's runtime for its region: single-server mode when no region is set. */
export async function openRegionalRuntime(
  role: string,
  options: Omit<Parameters<typeof openRuntime>[1] & object, 'config'> & { config?: Config } = {},
): Promise<Runtime> {
  const { config, self } = await regionalConfig(options.config ?? loadConfig());
  const runtime = await openRuntime(role, { ...options, config });
  if (self) {
    const shards = new Shards(runtime.accounts, self);
    runtime.regional = { self, shards };
    runtime.onShutdown(() => shards.close());
  }
  return runtime;
}

export interface AddRegion {
  slug: string;
  /** the URL itself, or (with `databaseUrlEnv`) read from that variable now and at every start */
  databaseUrl?: string;
  databaseUrlEnv?: string;
  apiUrls?: string[];
  realtimeUrls?: string[];
  /** only when this is the first region: the galaxy every shard is cut from */
  plan?: Partial<GalaxyParams>;
  /** each batch of the shard's galaxy written, table by table */
  onProgress?: (p: WriteProgress) => void;
}

/**
 * Register a region shard and make its database ready: migrations, then its cut of the galaxy
 * (the universe plan's; made now if this is the first region). Safe to run again: the registry
 * row is updated, a shard that has its galaxy already is left as it is.
 */
export async function addRegion(accounts: AccountDb, input: AddRegion): Promise<{ entry: RegionEntry; written: boolean }> {
  const plan = await universePlan(accounts, input.plan);
  const galaxy = plan.galaxy();
  const region = galaxy.regions.find((r) => r.slug === input.slug);
  if (!region) throw new RegionUnknown(`the galaxy has no region "${input.slug}"; its regions are ${galaxy.regions.map((r) => r.slug).join(', ')}`);
  const databaseUrl = input.databaseUrl ?? (input.databaseUrlEnv ? process.env[input.databaseUrlEnv] : undefined);
  if (!databaseUrl) throw new RegionUnknown(`region ${input.slug}: give --database-url, or --database-url-env naming a set variable`);
  const shard = await openDatabase({ databaseUrl, databasePoolSize: 2, dataDir: '' });
  let written = false;
  try {
    await migrateSet(shard.region, 'region');
    if (!(await galaxyExists(shard.region))) {
      await writeShard(shard.region, galaxy, region.id, input.onProgress);
      written = true;
    }
  } finally {
    await shard.close();
  }
  const row = {
    id: region.id,
    slug: region.slug,
    name: region.name,
    database_url: input.databaseUrlEnv ? null : databaseUrl,
    database_url_env: input.databaseUrlEnv ?? null,
    api_urls: input.apiUrls ?? [],
    realtime_urls: input.realtimeUrls ?? [],
  };
  await accounts
    .insertInto('region_registry')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, state: 'active' }))
    .execute();
  return { entry: await findRegion(accounts, region.slug), written };
}
