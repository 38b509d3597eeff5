import type { Selectable } from 'kysely';
import type { Good } from '../game/catalog/goods.js';
import type { PortGoodMarket } from '../game/npc-trading.js';
import { portGoodAt } from '../game/pricing.js';
import type { PortGoodsTable } from '../platform/db/schema.js';

export type PortGoodRow = Selectable<PortGoodsTable>;

export interface DriftedPortGood extends PortGoodMarket {
  portId: number;
  anchorMs: number;
}

/**
 * A port-good row brought to `atMs` by the same lazy drift a player's read applies. Jobs pass
 * their window's time, never the wall clock, so a window re-run computes the same stock; an
 * anchor already past `atMs` (a player traded since) is left as it is.
 */
export function driftedAt(row: PortGoodRow, atMs: number, timeScale: number): DriftedPortGood {
  const good = portGoodAt(
    { good: row.good as Good, mode: row.mode, capacity: row.capacity, stock: row.stock, anchorMs: row.anchor_at.getTime(), fixedPrice: row.fixed_price },
    atMs,
    timeScale,
  );
  return { ...good, good: row.good as Good, portId: row.port_id };
}
