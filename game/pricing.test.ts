import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currentUnitPrice, driftStock, priceBand, restingStock, quoteBuy, quoteSell, type MarketGood, type TradeQuote } from './pricing.js';

const good = (base: number, stock: number, capacity: number): MarketGood => ({ base, stock, capacity, fixedPrice: false });

function quoted(quote: TradeQuote | { error: string }): TradeQuote {
  if ('error' in quote) throw new Error(`unexpected ${quote.error}`);
  return quote;
}

describe('unit price curves', () => {
  it('port sells at base × (1.30 − 0.50·p), rounded up', () => {
    expect(currentUnitPrice({ ...good(20, 500, 1000), mode: 'sell' })).toBe(21); // ceil(20 × 1.05)
    expect(currentUnitPrice({ ...good(30, 0, 1000), mode: 'sell' })).toBe(39); // 30 × 1.30
    expect(currentUnitPrice({ ...good(30, 1000, 1000), mode: 'sell' })).toBe(24); // 30 × 0.80
    expect(currentUnitPrice({ ...good(50, 333, 1000), mode: 'sell' })).toBe(57); // 56.675 up
  });

  it('port buys at base × (1.30 − 0.60·p), rounded down', () => {
    expect(currentUnitPrice({ ...good(20, 500, 1000), mode: 'buy' })).toBe(20); // 20 × 1.00
    expect(currentUnitPrice({ ...good(30, 0, 1000), mode: 'buy' })).toBe(39);
    expect(currentUnitPrice({ ...good(30, 1000, 1000), mode: 'buy' })).toBe(21); // 30 × 0.70
    expect(currentUnitPrice({ ...good(50, 333, 1000), mode: 'buy' })).toBe(55); // 55.01 down
  });

  it('clamps to the band base × [0.6, 1.4]', () => {
    expect(priceBand(20)).toEqual([12, 28]);
    expect(priceBand(55)).toEqual([33, 77]);
    // An over-full port (p = 2) would price ore at 6 without the clamp.
    expect(currentUnitPrice({ ...good(20, 2000, 1000), mode: 'sell' })).toBe(12);
  });

  it('fixed-price goods always cost base', () => {
    expect(currentUnitPrice({ base: 60, stock: 1, capacity: 1_000_000, fixedPrice: true, mode: 'sell' })).toBe(60);
  });
});

describe('quoteBuy', () => {
  it('prices each unit at the stock before it moves', () => {
    // stock 100 → 16, 99 → ceil(16.1) = 17, 98 → ceil(16.2) = 17
    expect(quoteBuy(good(20, 100, 100), 3)).toEqual({ total: 50, averageUnitPrice: 50 / 3, stockAfter: 97 });
  });

  it('refuses more than the port holds, and non-positive or fractional quantities', () => {
    expect(quoteBuy(good(20, 2, 100), 3)).toEqual({ error: 'exceeds_stock' });
    expect(quoteBuy(good(20, 2, 100), 0)).toEqual({ error: 'invalid_quantity' });
    expect(quoteBuy(good(20, 2, 100), 1.5)).toEqual({ error: 'invalid_quantity' });
  });

  it('charges base per unit for fixed-price goods', () => {
    expect(quoteBuy({ base: 60, stock: 1_000_000, capacity: 1_000_000, fixedPrice: true }, 10)).toEqual({
      total: 600,
      averageUnitPrice: 60,
      stockAfter: 999_990,
    });
  });

  it('prices 100,000 units along the curve', () => {
    const quote = quoted(quoteBuy(good(50, 200_000, 200_000), 100_000));
    // p runs from 1.0 down to 0.5: unit prices from 40 to 52.5, so the average sits between.
    expect(quote.stockAfter).toBe(100_000);
    expect(quote.averageUnitPrice).toBeGreaterThan(46);
    expect(quote.averageUnitPrice).toBeLessThan(47);
  });
});

describe('quoteSell', () => {
  it('pays each unit at the stock before it moves', () => {
    // stock 0 → 26, 1 → floor(25.88) = 25, 2 → floor(25.76) = 25
    expect(quoteSell(good(20, 0, 100), 3)).toEqual({ total: 76, averageUnitPrice: 76 / 3, stockAfter: 3 });
  });

  it('refuses more than the demand left below capacity', () => {
    expect(quoteSell(good(20, 98, 100), 3)).toEqual({ error: 'exceeds_demand' });
    expect(quoteSell(good(20, 98, 100), 2)).toMatchObject({ stockAfter: 100 });
    expect(quoteSell(good(20, 0, 100), -1)).toEqual({ error: 'invalid_quantity' });
  });
});

describe('pricing properties', () => {
  const market = fc
    .record({ base: fc.constantFrom(20, 30, 50, 60), capacity: fc.integer({ min: 1, max: 5000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ base, capacity, share }) => good(base, Math.round(capacity * share), capacity));

  it('one order costs exactly what the same quantity split in two costs: splitting never pays', () => {
    fc.assert(
      fc.property(market, fc.integer({ min: 2, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (g, wanted, cut) => {
        const buyQty = Math.min(wanted, g.stock);
        if (buyQty >= 2) {
          const first = Math.max(1, Math.min(buyQty - 1, Math.round(buyQty * cut)));
          const whole = quoted(quoteBuy(g, buyQty));
          const a = quoted(quoteBuy(g, first));
          const b = quoted(quoteBuy({ ...g, stock: a.stockAfter }, buyQty - first));
          expect(whole.total).toBe(a.total + b.total);
          expect(whole.stockAfter).toBe(b.stockAfter);
        }
        const sellQty = Math.min(wanted, g.capacity - g.stock);
        if (sellQty >= 2) {
          const first = Math.max(1, Math.min(sellQty - 1, Math.round(sellQty * cut)));
          const whole = quoted(quoteSell(g, sellQty));
          const a = quoted(quoteSell(g, first));
          const b = quoted(quoteSell({ ...g, stock: a.stockAfter }, sellQty - first));
          expect(whole.total).toBe(a.total + b.total);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every unit price stays inside base × [0.6, 1.4], on both sides', () => {
    fc.assert(
      fc.property(market, fc.constantFrom('buy' as const, 'sell' as const), (g, mode) => {
        const price = currentUnitPrice({ ...g, mode });
        expect(Number.isInteger(price)).toBe(true);
        expect(price).toBeGreaterThanOrEqual(g.base * 0.6);
        expect(price).toBeLessThanOrEqual(g.base * 1.4);
      }),
      { numRuns: 1000 },
    );
  });

  it('the player never buys cheaper than the port would pay for the same stock', () => {
    fc.assert(
      fc.property(market, (g) => {
        expect(currentUnitPrice({ ...g, mode: 'sell' })).toBeGreaterThanOrEqual(currentUnitPrice({ ...g, mode: 'buy' }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('driftStock', () => {
  const hour = 3_600_000;
  const drift = { ratePerGameHour: 0.05, timeScale: 1 };

  it('restocks a seller by 5% of capacity per game hour', () => {
    expect(driftStock({ stock: 500, capacity: 1000, mode: 'sell', anchorMs: 0 }, hour, drift)).toEqual({ stock: 550, anchorMs: hour });
  });

  it('lets a buyer consume toward its resting level (a quarter full), and refill toward it', () => {
    expect(driftStock({ stock: 500, capacity: 1000, mode: 'buy', anchorMs: 0 }, hour, drift)).toEqual({ stock: 450, anchorMs: hour });
    expect(driftStock({ stock: 280, capacity: 1000, mode: 'buy', anchorMs: 0 }, hour, drift)).toEqual({ stock: 250, anchorMs: hour });
    expect(driftStock({ stock: 30, capacity: 1000, mode: 'buy', anchorMs: 0 }, hour, drift)).toEqual({ stock: 80, anchorMs: hour });
  });

  it('carries fractions of a unit through the anchor', () => {
    // 50 units an hour = one unit per 72,000 ms; 1.5 units' worth of time yields 1 unit.
    const first = driftStock({ stock: 500, capacity: 1000, mode: 'sell', anchorMs: 0 }, 108_000, drift);
    expect(first).toEqual({ stock: 501, anchorMs: 72_000 });
    expect(driftStock({ ...first, capacity: 1000, mode: 'sell' }, 144_000, drift)).toEqual({ stock: 502, anchorMs: 144_000 });
  });

  it('runs faster with the game time scale', () => {
    expect(driftStock({ stock: 500, capacity: 1000, mode: 'sell', anchorMs: 0 }, hour / 10, { ...drift, timeScale: 10 })).toEqual({
      stock: 550,
      anchorMs: hour / 10,
    });
  });

  it('stops at a seller’s resting level (three quarters full) without banking time, from below or above', () => {
    expect(driftStock({ stock: 740, capacity: 1000, mode: 'sell', anchorMs: 0 }, hour, drift)).toEqual({ stock: 750, anchorMs: hour });
    expect(driftStock({ stock: 750, capacity: 1000, mode: 'sell', anchorMs: 0 }, 5 * hour, drift)).toEqual({ stock: 750, anchorMs: 5 * hour });
    expect(driftStock({ stock: 990, capacity: 1000, mode: 'sell', anchorMs: 0 }, hour, drift)).toEqual({ stock: 940, anchorMs: hour });
    expect(restingStock({ capacity: 333, mode: 'sell' })).toBe(250);
    expect(restingStock({ capacity: 333, mode: 'buy' })).toBe(83);
  });

  it('keeps fixed-price goods full and ignores a clock running backwards', () => {
    expect(driftStock({ stock: 10, capacity: 1_000_000, mode: 'sell', anchorMs: 0, fixedPrice: true }, 1, drift)).toEqual({
      stock: 1_000_000,
      anchorMs: 1,
    });
    expect(driftStock({ stock: 500, capacity: 1000, mode: 'sell', anchorMs: hour }, 0, drift)).toEqual({ stock: 500, anchorMs: hour });
  });
});
