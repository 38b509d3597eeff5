import type { Commodity } from '../game/catalog/goods.js';
import type { Crew } from '../game/pilot.js';
import type { PortAtHand } from '../game/trade.js';
import type { RegionDb } from '../platform/db/database.js';
import { type CrewRow, crewsCte, toCrew } from './pilots.js';
import { driftedGood, type StoredGood } from './sector-view.js';
import { runStatement, Statement } from './statement.js';

/** What a trade decides on: the crew, and the port of its sector with the good the order names. */
export interface TradeScene {
  crew: Crew;
  port: PortAtHand | null;
}

type TradeRow = CrewRow & { port_id: number | null; port_name: string | null; port_sector_id: number | null } & {
  [K in keyof StoredGood as `good_${K}`]: StoredGood[K] | null;
};

/**
 * The one read of a trade: the crew locked (player, then ship), then the port good of its sector
 * locked: the fixed lock order, in one round trip. Unlocked, the same read prices a quote.
 */
export function tradeRead(userId: string, good: Commodity, lock: boolean) {
  const st = new Statement();
  const text = `with ${crewsCte(st, [userId], { lock })},
  port as (select ports.id, ports.name, ports.sector_id from ports join crews on ports.sector_id = crews.sector_id),
  good as (select port_goods.good, port_goods.mode, port_goods.capacity, port_goods.stock, port_goods.fixed_price, port_goods.anchor_at
    from port_goods join port on port_goods.port_id = port.id where port_goods.good = ${st.value(good)}${lock ? ' for update of port_goods' : ''})
  select crews.*, port.id as port_id, port.name as port_name, port.sector_id as port_sector_id,
    good.good as good_good, good.mode as good_mode, good.capacity as good_capacity, good.stock as good_stock, good.fixed_price as good_fixed_price, good.anchor_at as good_anchor_at
  from crews left join port on true left join good on true`;
  return { text, params: st.params };
}

export function toTradeScene(row: TradeRow | undefined, nowMs: number, timeScale: number): TradeScene | undefined {
  if (!row) return undefined;
  const port: PortAtHand | null =
    row.port_id === null
      ? null
      : {
          id: row.port_id,
          name: row.port_name!,
          sectorId: row.port_sector_id!,
          good:
            row.good_good === null
              ? null
              : driftedGood(
                  {
                    good: row.good_good,
                    mode: row.good_mode!,
                    capacity: row.good_capacity!,
                    stock: row.good_stock!,
                    fixed_price: row.good_fixed_price!,
                    anchor_at: row.good_anchor_at!,
                  },
                  nowMs,
                  timeScale,
                ),
        };
  return { crew: toCrew(row), port };
}

/** Read (and with `lock`, lock) what a trade of `good` decides on; undefined when the pilot does not exist yet. */
export async function readForTrade(
  db: RegionDb,
  userId: string,
  good: Commodity,
  lock: boolean,
  nowMs: number,
  timeScale: number,
): Promise<TradeScene | undefined> {
  const { text, params } = tradeRead(userId, good, lock);
  const [row] = await runStatement<TradeRow>(db, text, params);
  return toTradeScene(row, nowMs, timeScale);
}
