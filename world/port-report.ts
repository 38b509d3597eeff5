import type { Commodity } from '../game/catalog/goods.js';
import { portClassDef } from '../game/catalog/ports.js';
import type { RegionDb } from '../platform/db/database.js';
import { driftedGood, goodView } from './sector-view.js';

export type GoodSeen = ReturnType<typeof goodView>;

export interface PortSeen {
  sector_id: number;
  port_id: number;
  name: string;
  class: number;
  class_code: string;
  class_name: string;
  goods: GoodSeen[];
  seen_at: string;
  live: boolean;
}

/**
 * Every port in a sector the pilot knows, as last seen (the pilot's `known_sectors` snapshots).
 * A sector known without a snapshot (sector 1, where a pilot is created) and the sector the ship
 * is in are read live.
 */
export async function portsSeen(
  db: RegionDb,
  userId: string,
  here: number,
  nowMs: number,
  timeScale: number,
): Promise<{ ports: PortSeen[]; known: Set<number> }> {
  const [rows, known] = await Promise.all([
    db
      .selectFrom('known_sectors')
      .innerJoin('ports', 'ports.sector_id', 'known_sectors.sector_id')
      .select(['known_sectors.sector_id', 'known_sectors.snapshot', 'known_sectors.last_seen_at', 'ports.id as port_id', 'ports.name', 'ports.port_class'])
      .where('known_sectors.user_id', '=', userId)
      .orderBy('known_sectors.sector_id')
      .execute(),
    db.selectFrom('known_sectors').select('sector_id').where('user_id', '=', userId).execute(),
  ]);
  const snapshotGoods = (snapshot: unknown): GoodSeen[] | null => {
    const goods = (snapshot as { port?: { goods?: GoodSeen[] } } | null)?.port?.goods;
    return Array.isArray(goods) ? goods : null;
  };
  const liveIds = rows.filter((r) => r.sector_id === here || snapshotGoods(r.snapshot) === null).map((r) => r.port_id);
  const liveRows = liveIds.length ? await db.selectFrom('port_goods').selectAll().where('port_id', 'in', liveIds).orderBy('good').execute() : [];
  const ports = rows.map((r): PortSeen => {
    const def = portClassDef(r.port_class);
    const live = liveIds.includes(r.port_id);
    const goods = live
      ? liveRows.filter((g) => g.port_id === r.port_id).map((g) => goodView(driftedGood(g, nowMs, timeScale)))
      : snapshotGoods(r.snapshot)!.map((g) => ({ ...g, good: g.good as Commodity }));
    return {
      sector_id: r.sector_id,
      port_id: r.port_id,
      name: r.name,
      class: r.port_class,
      class_code: def.code,
      class_name: def.title,
      goods,
      seen_at: (r.sector_id === here ? new Date(nowMs) : new Date(r.last_seen_at)).toISOString(),
      live: r.sector_id === here,
    };
  });
  return { ports, known: new Set(known.map((k) => k.sector_id)) };
}
