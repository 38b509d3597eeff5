import { sql } from 'kysely';
import type { PortEditOutcome, PortScene, WarpEditOutcome, WarpMap } from '../game/admin-universe.js';
import { WARP_SHAPE } from '../game/catalog/galaxy.js';
import type { RegionAnchor, WarpDef } from '../game/galaxy.js';
import type { RegionDb, RegionTrx } from '../platform/db/database.js';

/**
 * What the admin universe tools read and write, region-side. Edits lock the galaxy row first, so
 * two edits of the map run one after the other and each checks connectivity against the map the
 * other left. Every warp or port edit bumps `galaxy.map_revision`, which every process's map
 * caches are keyed on (world/warp-graph.ts galaxyVersion).
 */
export async function lockGalaxy(trx: RegionTrx): Promise<{ sectorCount: number; mapRevision: number } | null> {
  const row = await trx.selectFrom('galaxy').select(['sector_count', 'map_revision']).where('id', '=', 1).forUpdate().executeTakeFirst();
  return row ? { sectorCount: row.sector_count, mapRevision: row.map_revision } : null;
}

export async function bumpMapRevision(trx: RegionTrx): Promise<number> {
  const row = await trx
    .updateTable('galaxy')
    .set((eb) => ({ map_revision: eb('map_revision', '+', 1) }))
    .where('id', '=', 1)
    .returning('map_revision')
    .executeTakeFirstOrThrow();
  return row.map_revision;
}

/** The whole map as the connectivity rule needs it: every warp and each sector's region, as arrays. */
export async function readWarpMap(trx: RegionTrx, sectorCount: number): Promise<WarpMap> {
  const { rows: warpRows } = await sql<{ from: number[] | null; to: number[] | null; gate: boolean[] | null }>`
    select array_agg(from_sector_id) as "from", array_agg(to_sector_id) as "to", array_agg(gate) as gate from warps`.execute(trx);
  const { rows: sectorRows } = await sql<{ id: number[] | null; region: number[] | null }>`
    select array_agg(id) as id, array_agg(region_id) as region from sectors`.execute(trx);
  const regions = new Int32Array(sectorCount + 1);
  const ids = sectorRows[0]?.id ?? [];
  const regionIds = sectorRows[0]?.region ?? [];
  ids.forEach((id, i) => {
    if (id >= 0 && id <= sectorCount) regions[id] = regionIds[i]!;
  });
  const from = warpRows[0]?.from ?? [];
  const to = warpRows[0]?.to ?? [];
  const gate = warpRows[0]?.gate ?? [];
  const warps: WarpDef[] = from.map((f, i) => ({ from: f, to: to[i]!, gate: gate[i] === true }));
  return { sectorCount, warps, regionOf: (id) => (id >= 1 && id <= sectorCount && regions[id] !== 0 ? regions[id]! : null) };
}

export async function writeWarpEdit(trx: RegionTrx, map: WarpMap, edit: WarpEditOutcome): Promise<number> {
  for (const warp of edit.removed) {
    await trx.deleteFrom('warps').where('from_sector_id', '=', warp.from).where('to_sector_id', '=', warp.to).execute();
  }
  if (edit.added.length > 0) {
    await trx
      .insertInto('warps')
      .values(edit.added.map((w) => ({ from_sector_id: w.from, to_sector_id: w.to, region_id: map.regionOf(w.from)!, gate: w.gate })))
      .execute();
  }
  return bumpMapRevision(trx);
}

/** A sector's warps out and in, its port and planets: what the editor opens. */
export async function sectorWarps(db: RegionDb, sectorId: number) {
  const sector = await db.selectFrom('sectors').select(['id', 'region_id', 'name', 'zone', 'fedspace']).where('id', '=', sectorId).executeTakeFirst();
  if (!sector) return null;
  const [out, into, port, planets] = await Promise.all([
    db.selectFrom('warps').select(['to_sector_id', 'gate']).where('from_sector_id', '=', sectorId).orderBy('to_sector_id').execute(),
    db.selectFrom('warps').select(['from_sector_id', 'gate']).where('to_sector_id', '=', sectorId).orderBy('from_sector_id').execute(),
    db.selectFrom('ports').select(['id', 'name', 'port_class']).where('sector_id', '=', sectorId).executeTakeFirst(),
    db.selectFrom('planets').select(['id', 'name', 'planet_type']).where('sector_id', '=', sectorId).orderBy('id').execute(),
  ]);
  return {
    sector,
    out: out.map((w) => ({ sector_id: w.to_sector_id, gate: w.gate })),
    in: into.map((w) => ({ sector_id: w.from_sector_id, gate: w.gate })),
    port: port ?? null,
    planets,
  };
}

/** A port and its goods, locked in the order play locks them (the port's goods rows). */
export async function lockedPort(trx: RegionTrx, portId: number): Promise<(PortScene & { sectorId: number; name: string }) | null> {
  return readPort(trx, portId, true);
}

/** A port and its goods as stored, for the editor: no locks. */
export async function portOf(db: RegionDb, portId: number) {
  return readPort(db, portId, false);
}

async function readPort(db: RegionDb | RegionTrx, portId: number, lock: boolean): Promise<(PortScene & { sectorId: number; name: string }) | null> {
  let portQuery = db.selectFrom('ports').select(['id', 'sector_id', 'name', 'port_class']).where('id', '=', portId);
  if (lock) portQuery = portQuery.forUpdate();
  const port = await portQuery.executeTakeFirst();
  if (!port) return null;
  let goodsQuery = db.selectFrom('port_goods').select(['good', 'mode', 'stock', 'capacity', 'fixed_price']).where('port_id', '=', portId).orderBy('good');
  if (lock) goodsQuery = goodsQuery.forUpdate();
  const goods = await goodsQuery.execute();
  return {
    id: port.id,
    sectorId: port.sector_id,
    name: port.name,
    portClass: port.port_class,
    goods: goods.map((g) => ({ good: g.good, mode: g.mode, stock: g.stock, capacity: g.capacity, fixedPrice: g.fixed_price })),
  };
}

/**
 * The port's class, its goods' modes and capacities: the part of a port edit the applier has no
 * change for. Called before the applier writes the stock (capacities only grow here, so the new
 * stock fits) and after it (capacities settle at their new figure, which the decision checked
 * holds the new stock).
 */
export async function writePortShape(trx: RegionTrx, portId: number, shape: PortEditOutcome['shape'], phase: 'before-stock' | 'after-stock') {
  if (phase === 'before-stock') await trx.updateTable('ports').set({ port_class: shape.portClass }).where('id', '=', portId).execute();
  for (const good of shape.goods) {
    await trx
      .updateTable('port_goods')
      .set(phase === 'before-stock' ? { mode: good.mode, capacity: sql<number>`greatest(capacity, ${good.capacity}::int)` } : { capacity: good.capacity })
      .where('port_id', '=', portId)
      .where('good', '=', good.good)
      .execute();
  }
}

/** Is a region's slug in use? */
export async function slugTaken(db: RegionDb, slug: string): Promise<boolean> {
  return (await db.selectFrom('regions').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

/**
 * Where a new region goes (game/galaxy.ts generateRegion): ids after the galaxy's, the map's
 * extent, and the gate's far end — the easternmost sector of the Central Nexus (Terran Space
 * without one) that has an exit slot left, else its easternmost. Null without a galaxy.
 */
export async function readRegionAnchor(db: RegionDb): Promise<RegionAnchor | null> {
  const { rows } = await sql<{ sector: number | null; region: number | null; max_x: number | null; min_y: number | null; max_y: number | null }>`
    select (select max(id) from sectors) as sector, (select max(id) from regions) as region,
      (select max(x) from sectors) as max_x, (select min(y) from sectors) as min_y, (select max(y) from sectors) as max_y`.execute(db);
  const top = rows[0];
  if (!top || top.sector === null || top.region === null) return null;
  const home =
    (await db.selectFrom('regions').select('id').where('slug', '=', 'nexus').executeTakeFirst()) ??
    (await db.selectFrom('regions').select('id').where('slug', '=', 'terran').executeTakeFirst()) ??
    (await db.selectFrom('regions').select('id').orderBy('id').executeTakeFirstOrThrow());
  const { rows: gate } = await sql<{ id: number }>`
    select s.id from sectors s
    where s.region_id = ${home.id}
    order by ((select count(*) from warps w where w.from_sector_id = s.id) < ${WARP_SHAPE.maxExits}) desc, s.x desc, s.id
    limit 1`.execute(db);
  return {
    regionId: top.region + 1,
    firstSectorId: top.sector + 1,
    bounds: { maxX: Number(top.max_x), minY: Number(top.min_y), maxY: Number(top.max_y) },
    gateSectorId: gate[0]!.id,
  };
}

/** Every region, for the admin map's labels and the generate panel. */
export async function galaxyRegions(db: RegionDb) {
  return db.selectFrom('regions').select(['id', 'slug', 'name', 'capital_sector_id', 'first_sector_id', 'last_sector_id']).orderBy('id').execute();
}
