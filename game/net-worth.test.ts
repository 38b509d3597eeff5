import { describe, expect, it } from 'vitest';
import { netWorth } from './net-worth.js';

describe('netWorth', () => {
  it('adds credits, the hull list price and cargo at base prices', () => {
    expect(netWorth({ credits: 1_000, hull: 'light_freighter', cargo: { ore: 10, organics: 2, equipment: 1, colonists: 3 } })).toBe(
      1_000 + 40_000 + 10 * 20 + 2 * 30 + 50 + 3 * 60,
    );
  });

  it('counts planets: stock and colonists at base prices, fighters at 100, citadel credits', () => {
    const planet = { stock: { ore: 100, organics: 10, equipment: 1 }, colonists: 50, fighters: 7, citadelLevel: 2 };
    expect(netWorth({ credits: 0, hull: 'escape_pod', cargo: { ore: 0, organics: 0, equipment: 0, colonists: 0 }, planets: [planet, planet] })).toBe(
      2 * (100 * 20 + 10 * 30 + 50 + 50 * 60 + 7 * 100 + 20_000 + 60_000),
    );
  });

  it('counts nothing for a hull that cannot be bought', () => {
    expect(netWorth({ credits: 5, hull: 'escape_pod', cargo: { ore: 0, organics: 0, equipment: 0, colonists: 0 } })).toBe(5);
  });
});
