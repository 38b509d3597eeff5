import { sql, type RawBuilder } from 'kysely';
import type { Galaxy, GeneratedRegion, RegionDef } from '../game/galaxy.js';
import type { RegionDb, RegionTrx } from '../platform/db/database.js';

const BATCH = 20_000;

/** Tables of the universe, wiped by a forced regeneration. Account tables are never touched. */
const UNIVERSE_TABLES = [
  'galaxy',
  'regions',
  'sectors',
  'warps',
  'ports',
  'port_goods',
  'planets',
  'ships',
  'players',
  'known_sectors',
  'credit_ledger',
  'idempotency_keys',
  'outbox',
  'npc_traders',
  'ranking_snapshots',
  'combat_logs',
  'wrecks',
  'sector_defenses',
] as const;

export async function galaxyExists(db: RegionDb): Promise<boolean> {
  const row = await db.selectFrom('galaxy').select('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * Empty the universe. `keepOutbox` keeps the outbox and its id sequence: a running server's
 * realtime processes remember the ids they delivered, so an admin's regeneration must not reuse them.
 */
export async function wipeUniverse(db: RegionDb, options: { keepOutbox?: boolean } = {}): Promise<void> {
  const tables = options.keepOutbox ? UNIVERSE_TABLES.filter((t) => t !== 'outbox') : UNIVERSE_TABLES;
  await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} restart identity`.execute(db);
}

export interface WriteProgress {
  table: string;
  written: number;
  total: number;
}

/** What a generation writes besides the galaxy and regions rows: sectors, warps, ports and their goods, planets. */
interface UniverseContents {
  sectors: Galaxy['sectors'];
  warps: Galaxy['warps'];
  ports: Galaxy['ports'];
  planets: Galaxy['planets'];
  regionOf(sectorId: number): number;
  /** ports are numbered from here */
  firstPortId: number;
  /** only what lies in these sectors is written (a region shard's cut); unset, everything */
  keep?: (sectorId: number) => boolean;
}

/**
 * Persist a generated galaxy in one transaction, in batches: each batch is one INSERT … SELECT
 * FROM unnest(arrays) statement, so 100k sectors take a handful of round trips on either backend.
 */
export async function writeGalaxy(db: RegionDb, galaxy: Galaxy, onProgress: (p: WriteProgress) => void = () => {}): Promise<void> {
  const regionOf = (sectorId: number) => galaxy.regions.find((r) => sectorId >= r.firstSectorId && sectorId <= r.lastSectorId)!.id;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('galaxy')
      .values({ id: 1, seed: galaxy.params.seed, params: JSON.stringify(galaxy.params), sector_count: galaxy.sectors.length })
      .execute();
    await insertRegions(trx, galaxy.regions);
    await insertContents(trx, { ...galaxy, regionOf, firstPortId: 1 }, onProgress);
  });
}

/**
 * A shard's id blocks: ships, planets and events it creates are numbered from its region id ×
 * 2^40, so a ship keeps its id when it crosses a gate into another shard and never meets
 * another's, and a client that hears events from two regions never sees one id twice.
 */
export const SHARD_ID_BLOCK = 2 ** 40;

/**
 * Write a region shard (multi-regional mode): the galaxy row and every region's extent, so the
 * shard knows where each sector lives, but only its own region's sectors, ports, planets and
 * warps, including its end of the gate, whose far sector lives in another shard. Every shard is
 * cut from the same generated galaxy, so both ends of a gate and every port id agree.
 */
export async function writeShard(db: RegionDb, galaxy: Galaxy, regionId: number, onProgress: (p: WriteProgress) => void = () => {}): Promise<void> {
  const region = galaxy.regions.find((r) => r.id === regionId);
  if (!region) throw new Error(`the galaxy has no region ${regionId}`);
  const regionOf = (sectorId: number) => galaxy.regions.find((r) => sectorId >= r.firstSectorId && sectorId <= r.lastSectorId)!.id;
  const keep = (sectorId: number) => sectorId >= region.firstSectorId && sectorId <= region.lastSectorId;
  await db.transaction().execute(async (trx) => {
    const start = regionId * SHARD_ID_BLOCK;
    await sql`select setval('ships_id_seq', ${start}::bigint, false), setval('planets_id_seq', ${start}::bigint, false),
      setval('outbox_id_seq', ${start}::bigint, false)`.execute(trx);
    await trx
      .insertInto('galaxy')
      .values({ id: 1, seed: galaxy.params.seed, params: JSON.stringify(galaxy.params), sector_count: galaxy.sectors.length })
      .execute();
    await insertRegions(trx, galaxy.regions);
    await insertContents(trx, { ...galaxy, regionOf, firstPortId: 1, keep }, onProgress);
  });
}

/** Why a new region was not written: the galaxy moved on since its anchor was read. */
export class RegionConflict extends Error {}

/**
 * Add a generated region to the galaxy, in one transaction with the galaxy row locked (the
 * order every map edit takes), while pilots play: nothing else is touched. Its ids were drawn
 * after the galaxy's when it was generated; if another region came first, nothing is written.
 * The map revision moves, so every process's map caches read the new sectors.
 */
export async function writeRegion(db: RegionDb, made: GeneratedRegion, onProgress: (p: WriteProgress) => void = () => {}): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const galaxy = await trx.selectFrom('galaxy').select('sector_count').where('id', '=', 1).forUpdate().executeTakeFirst();
    if (!galaxy) throw new RegionConflict('there is no galaxy to add a region to');
    const { rows } = await sql<{ sector: number | null; region: number | null; port: number | null; slug_taken: boolean }>`
      select (select max(id) from sectors) as sector, (select max(id) from regions) as region, (select max(id) from ports) as port,
        exists (select 1 from regions where slug = ${made.region.slug}) as slug_taken`.execute(trx);
    const top = rows[0]!;
    if (top.slug_taken) throw new RegionConflict(`a region ${made.region.slug} exists already`);
    if ((top.sector ?? 0) + 1 !== made.region.firstSectorId || (top.region ?? 0) + 1 !== made.region.id) {
      throw new RegionConflict('the galaxy grew since this region was generated: preview it again');
    }
    const outside = await trx.selectFrom('sectors').select('region_id').where('id', '=', made.gate.outside).executeTakeFirst();
    if (!outside) throw new RegionConflict(`sector ${made.gate.outside}, the gate's far end, is gone`);
    await insertRegions(trx, [made.region]);
    // Every sector of the region is after the galaxy's; the gate's way back leaves from the galaxy's side.
    const regionOf = (sectorId: number) => (sectorId >= made.region.firstSectorId ? made.region.id : outside.region_id);
    await insertContents(trx, { ...made, regionOf, firstPortId: (top.port ?? 0) + 1 }, onProgress);
    await trx
      .updateTable('galaxy')
      .set((eb) => ({ sector_count: made.region.lastSectorId, map_revision: eb('map_revision', '+', 1) }))
      .where('id', '=', 1)
      .execute();
  });
}

async function insertRegions(trx: RegionTrx, regions: readonly RegionDef[]) {
  await trx
    .insertInto('regions')
    .values(
      regions.map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        capital_sector_id: r.capitalSectorId,
        first_sector_id: r.firstSectorId,
        last_sector_id: r.lastSectorId,
      })),
    )
    .execute();
}

async function insertContents(trx: RegionTrx, made: UniverseContents, onProgress: (p: WriteProgress) => void) {
  const { regionOf } = made;
  const keep = made.keep ?? (() => true);
  // Ports are numbered over the whole galaxy before a shard's cut, so every shard agrees on their ids.
  const ports = made.ports.map((p, i) => ({ ...p, id: made.firstPortId + i })).filter((p) => keep(p.sectorId));
  const portGoods = ports.flatMap((port) => Object.entries(port.goods).map(([good, def]) => ({ portId: port.id, sectorId: port.sectorId, good, ...def! })));
  const batches = async <T>(table: string, rows: readonly T[], insert: (batch: readonly T[]) => RawBuilder<unknown>) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await insert(batch).execute(trx);
      onProgress({ table, written: Math.min(i + BATCH, rows.length), total: rows.length });
    }
  };

  await batches(
    'sectors',
    made.sectors.filter((sector) => keep(sector.id)),
    (b) => sql`
      insert into sectors (id, region_id, name, x, y, zone, fedspace)
      select * from unnest(${b.map((s) => s.id)}::int[], ${b.map((s) => s.regionId)}::int[], ${b.map((s) => s.name)}::text[],
        ${b.map((s) => s.x)}::int[], ${b.map((s) => s.y)}::int[], ${b.map((s) => s.zone)}::text[], ${b.map((s) => s.fedspace)}::boolean[])`,
  );
  await batches(
    'warps',
    made.warps.filter((w) => keep(w.from)),
    (b) => sql`
      insert into warps (from_sector_id, to_sector_id, region_id, gate)
      select * from unnest(${b.map((w) => w.from)}::int[], ${b.map((w) => w.to)}::int[],
        ${b.map((w) => regionOf(w.from))}::int[], ${b.map((w) => w.gate)}::boolean[])`,
  );
  await batches(
    'ports',
    ports,
    (b) => sql`
      insert into ports (id, sector_id, region_id, name, port_class)
      select * from unnest(${b.map((p) => p.id)}::int[], ${b.map((p) => p.sectorId)}::int[],
        ${b.map((p) => regionOf(p.sectorId))}::int[], ${b.map((p) => p.name)}::text[], ${b.map((p) => p.portClass)}::int[])`,
  );
  await batches(
    'port_goods',
    portGoods,
    (b) => sql`
      insert into port_goods (port_id, good, region_id, mode, capacity, stock, fixed_price)
      select * from unnest(${b.map((g) => g.portId)}::int[], ${b.map((g) => g.good)}::text[], ${b.map((g) => regionOf(g.sectorId))}::int[],
        ${b.map((g) => g.mode)}::text[], ${b.map((g) => g.capacity)}::int[], ${b.map((g) => g.stock)}::int[], ${b.map((g) => g.fixedPrice)}::boolean[])`,
  );
  await batches(
    'planets',
    made.planets.filter((planet) => keep(planet.sectorId)),
    (b) => sql`
      insert into planets (sector_id, region_id, name, planet_type, claimable)
      select * from unnest(${b.map((p) => p.sectorId)}::int[], ${b.map((p) => regionOf(p.sectorId))}::int[],
        ${b.map((p) => p.name)}::text[], ${b.map((p) => p.planetType)}::text[], ${b.map((p) => p.claimable)}::boolean[])`,
  );
}
