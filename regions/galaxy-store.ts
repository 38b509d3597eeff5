import { sql, type RawBuilder } from 'kysely';
import type { Galaxy } from '../game/galaxy.js';
import type { RegionDb } from '../platform/db/database.js';

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

/**
 * Persist a generated galaxy in one transaction, in batches: each batch is one INSERT … SELECT
 * FROM unnest(arrays) statement, so 100k sectors take a handful of round trips on either backend.
 */
export async function writeGalaxy(db: RegionDb, galaxy: Galaxy, onProgress: (p: WriteProgress) => void = () => {}): Promise<void> {
  const regionOf = (sectorId: number) => galaxy.regions.find((r) => sectorId >= r.firstSectorId && sectorId <= r.lastSectorId)!.id;
  const portGoods = galaxy.ports.flatMap((port, index) =>
    Object.entries(port.goods).map(([good, def]) => ({ portId: index + 1, sectorId: port.sectorId, good, ...def! })),
  );

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('galaxy')
      .values({ id: 1, seed: galaxy.params.seed, params: JSON.stringify(galaxy.params), sector_count: galaxy.sectors.length })
      .execute();
    await trx
      .insertInto('regions')
      .values(
        galaxy.regions.map((r) => ({
          id: r.id,
          slug: r.slug,
          name: r.name,
          capital_sector_id: r.capitalSectorId,
          first_sector_id: r.firstSectorId,
          last_sector_id: r.lastSectorId,
        })),
      )
      .execute();

    const batches = async <T>(table: string, rows: readonly T[], insert: (batch: readonly T[]) => RawBuilder<unknown>) => {
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        await insert(batch).execute(trx);
        onProgress({ table, written: Math.min(i + BATCH, rows.length), total: rows.length });
      }
    };

    await batches(
      'sectors',
      galaxy.sectors,
      (b) => sql`
      insert into sectors (id, region_id, name, x, y, zone, fedspace)
      select * from unnest(${b.map((s) => s.id)}::int[], ${b.map((s) => s.regionId)}::int[], ${b.map((s) => s.name)}::text[],
        ${b.map((s) => s.x)}::int[], ${b.map((s) => s.y)}::int[], ${b.map((s) => s.zone)}::text[], ${b.map((s) => s.fedspace)}::boolean[])`,
    );
    await batches(
      'warps',
      galaxy.warps,
      (b) => sql`
      insert into warps (from_sector_id, to_sector_id, region_id, gate)
      select * from unnest(${b.map((w) => w.from)}::int[], ${b.map((w) => w.to)}::int[],
        ${b.map((w) => regionOf(w.from))}::int[], ${b.map((w) => w.gate)}::boolean[])`,
    );
    await batches(
      'ports',
      galaxy.ports.map((p, i) => ({ ...p, id: i + 1 })),
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
      galaxy.planets,
      (b) => sql`
      insert into planets (sector_id, region_id, name, planet_type, claimable)
      select * from unnest(${b.map((p) => p.sectorId)}::int[], ${b.map((p) => regionOf(p.sectorId))}::int[],
        ${b.map((p) => p.name)}::text[], ${b.map((p) => p.planetType)}::text[], ${b.map((p) => p.claimable)}::boolean[])`,
    );
  });
}
