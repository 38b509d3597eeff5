import type { Commodity } from '../../game/catalog/goods.js';
import { portClassDef } from '../../game/catalog/ports.js';
import { currentUnitPrice, portGoodAt } from '../../game/pricing.js';
import type { PortGoodsTable } from '../../platform/db/schema.js';
import type { Selectable } from 'kysely';

export type PortGoodRow = Selectable<PortGoodsTable>;

/** A port-good row brought up to date at nowMs (stock drift is lazy; this is where it is applied). */
export function driftedGood(row: PortGoodRow, nowMs: number, timeScale: number) {
  return portGoodAt(
    { good: row.good as Commodity, mode: row.mode, capacity: row.capacity, stock: row.stock, anchorMs: row.anchor_at.getTime(), fixedPrice: row.fixed_price },
    nowMs,
    timeScale,
  );
}

export type DriftedGood = ReturnType<typeof driftedGood>;

/** How a port's good looks to a trader: which way it trades, the next unit's price, stock. */
export function goodView(good: DriftedGood) {
  return {
    good: good.good,
    /** `sells`: the port sells it (you buy); `buys`: the port buys it (you sell) */
    port_action: good.mode === 'sell' ? ('sells' as const) : ('buys' as const),
    unit_price: currentUnitPrice(good),
    stock: good.stock,
    capacity: good.capacity,
    /** how many units the port will trade now: its stock when selling, its free room when buying */
    tradable: good.mode === 'sell' ? good.stock : good.capacity - good.stock,
  };
}

export function portView(port: { id: number; name: string; port_class: number }, goods: DriftedGood[]) {
  const def = portClassDef(port.port_class);
  return {
    id: port.id,
    name: port.name,
    class: port.port_class,
    class_code: def.code,
    class_name: def.title,
    goods: goods.map(goodView),
  };
}
