import { describe, expect, it } from 'vitest';
import { netWorth } from './net-worth.js';

describe('netWorth', () => {
  it('adds credits, the hull list price and cargo at base prices', () => {
    expect(netWorth({ credits: 1_000, hull: 'light_freighter', cargo: { ore: 10, organics: 2, equipment: 1, colonists: 3 } })).toBe(
      1_000 + 40_000 + 10 * 20 + 2 * 30 + 50 + 3 * 60,
    );
  });

  it('counts nothing for a hull that cannot be bought', () => {
    expect(netWorth({ credits: 5, hull: 'escape_pod', cargo: { ore: 0, organics: 0, equipment: 0, colonists: 0 } })).toBe(5);
  });
});
