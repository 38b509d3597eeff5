import type { Commodity, Good } from './goods.js';

export type TradeMode = 'buy' | 'sell';

export interface PortClassDef {
  portClass: number;
  /** B/S per ore, organics, equipment (TW convention); '' for classes without goods */
  code: string;
  title: string;
  /** what the port does with each commodity, from the port's side */
  trades: Partial<Record<Commodity, TradeMode>>;
  /** fixed-price goods always cost base and never run out (Earth Station) */
  fixedPrice: boolean;
}

function fromCode(portClass: number, code: string): PortClassDef {
  const modes = [...code].map((letter): TradeMode => (letter === 'B' ? 'buy' : 'sell'));
  const goods: Good[] = ['ore', 'organics', 'equipment'];
  const trades: Partial<Record<Commodity, TradeMode>> = {};
  goods.forEach((good, i) => {
    const mode = modes[i];
    if (mode) trades[good] = mode;
  });
  return { portClass, code, title: `Class ${portClass} (${code})`, trades, fixedPrice: false };
}

export const EARTH_STATION_CLASS = 0;
export const STARDOCK_CLASS = 9;

export const PORT_CLASSES: readonly PortClassDef[] = [
  {
    portClass: EARTH_STATION_CLASS,
    code: 'SSS',
    title: 'Earth Station',
    trades: { ore: 'sell', organics: 'sell', equipment: 'sell', colonists: 'sell' },
    fixedPrice: true,
  },
  fromCode(1, 'BBS'),
  fromCode(2, 'BSB'),
  fromCode(3, 'SBB'),
  fromCode(4, 'SSB'),
  fromCode(5, 'SBS'),
  fromCode(6, 'BSS'),
  fromCode(7, 'SSS'),
  fromCode(8, 'BBB'),
  { portClass: STARDOCK_CLASS, code: '', title: 'Stardock', trades: {}, fixedPrice: false },
];

export function portClassDef(portClass: number): PortClassDef {
  const def = PORT_CLASSES[portClass];
  if (!def) throw new RangeError(`unknown port class ${portClass}`);
  return def;
}

/** How often each trading class (1–8) is drawn; the all-buy/all-sell classes are rarer. */
export const PORT_CLASS_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 14],
  [2, 14],
  [3, 14],
  [4, 13],
  [5, 13],
  [6, 13],
  [7, 9],
  [8, 10],
];

/** Units a port-good holds at most, drawn uniformly per port-good. */
export const CAPACITY_RANGE: Readonly<Record<Good, readonly [number, number]>> = {
  ore: [2000, 5000],
  organics: [1500, 4000],
  equipment: [1000, 3000],
};

/**
 * Initial stock as a share of capacity, by the port's mode. Chosen for GAME.md's target of a
 * 10–30% round trip on the best pair near sector 1: a seller at 0.86 charges base × 0.87 and a
 * buyer at 0.29 pays base × 1.13 (≈ 30% before integer rounding and the curve). The denser ports
 * near Terra (catalog/galaxy.ts NEAR_START) make many more pairs, so the extremes are a little
 * narrower than they were (0.90 / 0.25, when the best pair reached 31% on some seeds): with a
 * 50-hold Light Freighter the best pair within 10 hops of sector 1 (ports ≤ 2 hops apart) pays
 * about 18–25% across seeds and the median pair under 15% (balance.test.ts). Drift then pulls
 * untouched stocks toward their resting levels (catalog/market.ts).
 */
export const INITIAL_STOCK_SHARE: Readonly<Record<TradeMode, readonly [number, number]>> = {
  sell: [0.6, 0.86],
  buy: [0.29, 0.55],
};

/** Earth Station stock: large enough to never run out in practice. */
export const EARTH_STATION_STOCK = 1_000_000;
