import type { Db } from '../../platform/db/database.js';
import type { Trx } from '../../platform/actions.js';
import { prepared } from '../../platform/db/prepared.js';
import { driftedGood, portView, type PortGoodRow } from './market.js';

/**
 * What a pilot sees in a sector: warps out, the port with live prices, planets, other pilots,
 * and deployed defenses (none can be deployed yet: the summary is empty until combat lands).
 * Given `online` (the users presence says are connected in this sector), only those pilots and the
 * NPC traders are listed.
 */
export async function buildSectorView(db: Db | Trx, sectorId: number, viewerId: string, nowMs: number, timeScale: number, online?: ReadonlySet<string>) {
  // One connection for the whole view: under load, five checkouts per view would queue on the pool.
  return db.isTransaction
    ? sectorViewOn(db, sectorId, viewerId, nowMs, timeScale, online)
    : db.connection().execute((conn) => sectorViewOn(conn, sectorId, viewerId, nowMs, timeScale, online));
}

const sectorRow = prepared((db, a: { sectorId: number }) =>
  db
    .selectFrom('sectors')
    .innerJoin('regions', 'regions.id', 'sectors.region_id')
    .select(['sectors.id', 'sectors.name', 'sectors.x', 'sectors.y', 'sectors.zone', 'sectors.fedspace', 'sectors.region_id', 'regions.name as region_name'])
    .where('sectors.id', '=', a.sectorId),
);
const warpsAround = prepared((db, a: { sectorId: number }) =>
  db
    .selectFrom('warps')
    .select(['from_sector_id', 'to_sector_id', 'gate'])
    .where((eb) => eb.or([eb('from_sector_id', '=', a.sectorId), eb('to_sector_id', '=', a.sectorId)]))
    .orderBy('to_sector_id'),
);
const portWithGoods = prepared((db, a: { sectorId: number }) =>
  db
    .selectFrom('ports')
    .leftJoin('port_goods', 'port_goods.port_id', 'ports.id')
    .select(['ports.id', 'ports.name', 'ports.port_class'])
    .select([
      'port_goods.port_id',
      'port_goods.good',
      'port_goods.region_id',
      'port_goods.mode',
      'port_goods.capacity',
      'port_goods.stock',
      'port_goods.fixed_price',
      'port_goods.anchor_at',
    ])
    .where('ports.sector_id', '=', a.sectorId)
    .orderBy('port_goods.good'),
);
const planetsIn = prepared((db, a: { sectorId: number }) =>
  db.selectFrom('planets').select(['id', 'name', 'planet_type', 'claimable', 'owner_user_id']).where('sector_id', '=', a.sectorId).orderBy('id'),
);

async function sectorViewOn(db: Db | Trx, sectorId: number, viewerId: string, nowMs: number, timeScale: number, online?: ReadonlySet<string>) {
  const sector = await sectorRow.first(db, { sectorId });
  if (!sector) return undefined;

  const [warps, portGoods, planets, pilots] = await Promise.all([
    warpsAround.execute(db, { sectorId }),
    portWithGoods.execute(db, { sectorId }),
    planetsIn.execute(db, { sectorId }),
    db
      .selectFrom('players')
      .innerJoin('ships', 'ships.id', 'players.ship_id')
      .select(['players.name', 'ships.hull'])
      .where('players.sector_id', '=', sectorId)
      .where('players.user_id', '!=', viewerId)
      // NPC traders are always in the sky; human pilots only while connected.
      .$if(online !== undefined, (qb) =>
        qb.where((eb) => (online!.size > 0 ? eb.or([eb('players.npc', '=', true), eb('players.user_id', 'in', [...online!])]) : eb('players.npc', '=', true))),
      )
      .orderBy('players.name')
      .limit(100)
      .execute(),
  ]);
  const port = portGoods[0];
  const goods = portGoods.filter((row): row is typeof row & PortGoodRow => row.good !== null);
  const warpsOut = warps.filter((w) => w.from_sector_id === sectorId);
  const inbound = new Set(warps.filter((w) => w.to_sector_id === sectorId).map((w) => w.from_sector_id));

  return {
    id: sector.id,
    name: sector.name,
    region: { id: sector.region_id, name: sector.region_name },
    zone: sector.zone,
    fedspace: sector.fedspace,
    coordinates: { x: sector.x, y: sector.y },
    warps: warpsOut.map((w) => ({ to: w.to_sector_id, one_way: !inbound.has(w.to_sector_id), gate: w.gate })),
    port: port
      ? portView(
          port,
          goods.map((g) => driftedGood(g, nowMs, timeScale)),
        )
      : null,
    planets: planets.map((p) => ({ id: p.id, name: p.name, type: p.planet_type, claimable: p.claimable, owned: p.owner_user_id !== null })),
    players: pilots.map((p) => ({ name: p.name, hull: p.hull })),
    defenses: { fighters: 0, mines: 0, owners: [] as string[] },
  };
}

export type SectorView = NonNullable<Awaited<ReturnType<typeof buildSectorView>>>;
