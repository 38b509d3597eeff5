import type { Commodity } from '../../client/index.js';

/** How the cockpit writes numbers, goods and times. */

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoPlaces = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const count = (n: number): string => whole.format(n);
export const credits = (n: number): string => `${whole.format(n)} cr`;
export const signedCredits = (n: number): string => `${n >= 0 ? '+' : '−'}${whole.format(Math.abs(n))} cr`;
export const unitPrice = (n: number): string => `${twoPlaces.format(n)} cr`;

export const GOOD_NAMES: Record<Commodity, string> = {
  ore: 'Fuel Ore',
  organics: 'Organics',
  equipment: 'Equipment',
  colonists: 'Colonists',
};

export const ZONE_NAMES: Record<string, string> = {
  federation: 'Federation',
  border: 'Border',
  frontier: 'Frontier',
};

/** m:ss, or h:mm:ss past an hour. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function clockTime(iso: string): string {
  const at = new Date(iso);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

const TRADED: Array<Exclude<Commodity, 'colonists'>> = ['ore', 'organics', 'equipment'];

/**
 * A port class code in words: the letters are, in order, what the port does with Fuel Ore,
 * Organics and Equipment — B it buys (sell it there), S it sells (buy it there).
 */
export function describeClassCode(code: string): string {
  if (!/^[BS]{3}$/.test(code)) return '';
  const buys = TRADED.filter((_, i) => code[i] === 'B').map((g) => GOOD_NAMES[g]);
  const sells = TRADED.filter((_, i) => code[i] === 'S').map((g) => GOOD_NAMES[g]);
  const list = (names: string[]) => (names.length === 3 ? 'everything' : names.join(' and '));
  return [buys.length ? `buys ${list(buys)}` : '', sells.length ? `sells ${list(sells)}` : ''].filter(Boolean).join(', ');
}
