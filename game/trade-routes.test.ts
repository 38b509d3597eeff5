import { describe, expect, it } from 'vitest';
import { BASE_PRICE } from './catalog/goods.js';
import { quoteBuy, quoteSell } from './pricing.js';
import { affordableUnits, bestLoad, rankTradeRoutes, type SeenGood, type SeenPort } from './trade-routes.js';

const sells = (good: SeenGood['good'], stock = 2_700, capacity = 3_000): SeenGood => ({ good, mode: 'sell', stock, capacity, fixedPrice: false });
const buys = (good: SeenGood['good'], stock = 750, capacity = 3_000): SeenGood => ({ good, mode: 'buy', stock, capacity, fixedPrice: false });
const at = (sectorId: number, ...goods: SeenGood[]): SeenPort => ({ sectorId, goods });
const pilot = { holds: 50, credits: 20_000 };

describe('bestLoad', () => {
  it('carries the good that earns most, a full hold priced along both curves', () => {
    const seller = at(10, sells('ore'), sells('equipment'));
    const buyer = at(11, buys('ore'), buys('equipment'));
    const leg = bestLoad(seller, buyer, pilot)!;
    const cost = quoteBuy({ base: BASE_PRICE.equipment, stock: 2_700, capacity: 3_000, fixedPrice: false }, 50);
    const revenue = quoteSell({ base: BASE_PRICE.equipment, stock: 750, capacity: 3_000, fixedPrice: false }, 50);
    if ('error' in cost || 'error' in revenue) throw new Error('quotes');
    // Equipment's base (50) beats ore's (20) at the same stock shares.
    expect(leg).toEqual({ good: 'equipment', quantity: 50, cost: cost.total, revenue: revenue.total, profit: revenue.total - cost.total });
  });

  it("is held to the seller's stock, the buyer's room and what the credits pay for", () => {
    expect(bestLoad(at(1, sells('ore', 12, 13)), at(2, buys('ore')), pilot)!.quantity).toBe(12);
    expect(bestLoad(at(1, sells('ore', 3_000)), at(2, buys('ore', 0, 30)), pilot)!.quantity).toBe(30);
    const poor = bestLoad(at(1, sells('ore')), at(2, buys('ore')), { holds: 50, credits: 200 })!;
    expect(poor.cost).toBeLessThanOrEqual(200);
    expect(poor.quantity).toBe(affordableUnits(sells('ore'), 200, 50));
  });

  it('finds nothing where the prices do not pay or the goods do not match', () => {
    // A full buyer pays the floor; a nearly empty seller charges near the ceiling.
    expect(bestLoad(at(1, sells('ore', 100)), at(2, buys('ore', 2_900)), pilot)).toBeNull();
    expect(bestLoad(at(1, sells('ore')), at(2, buys('organics')), pilot)).toBeNull();
    expect(bestLoad(at(1, buys('ore')), at(2, sells('ore')), pilot)).toBeNull();
  });
});

describe('affordableUnits', () => {
  it('is the largest quantity whose total fits the credits, as a unit-by-unit search finds', () => {
    const good = sells('equipment', 1_500, 3_000);
    for (const credits of [0, 40, 1_000, 2_345, 100_000]) {
      let n = 0;
      while (n < 400) {
        const q = quoteBuy({ base: BASE_PRICE.equipment, stock: 1_500, capacity: 3_000, fixedPrice: false }, n + 1);
        if ('error' in q || q.total > credits) break;
        n++;
      }
      expect(affordableUnits(good, credits, 400)).toBe(n);
    }
  });
});

describe('rankTradeRoutes', () => {
  // Sectors on a line: 1 — 2 — 3 … each hop 2 turns (a Light Freighter).
  const turnsBetween = (a: number, b: number) => Math.abs(a - b) * 2;

  it('ranks by profit per turn, not profit: a short pair beats a richer far one', () => {
    const ports = [at(2, sells('ore')), at(3, buys('ore')), at(20, sells('equipment')), at(40, buys('equipment'))];
    const routes = rankTradeRoutes({ ports, pilot, turnsBetween });
    const near = routes.find((r) => r.from === 2 && r.to === 3)!;
    const far = routes.find((r) => r.from === 20 && r.to === 40)!;
    expect(far.profit).toBeGreaterThan(near.profit);
    expect(near.profitPerTurn).toBeGreaterThan(far.profitPerTurn);
    expect(routes.indexOf(near)).toBeLessThan(routes.indexOf(far));
    // One load one way: 2 turns there, 2 back, a buy and a sale.
    expect(near.turns).toBe(6);
    expect(near.profitPerTurn).toBeCloseTo(near.out!.profit / 6);
    expect(near.back).toBeNull();
    for (let i = 1; i < routes.length; i++) expect(routes[i - 1]!.profitPerTurn).toBeGreaterThanOrEqual(routes[i]!.profitPerTurn);
  });

  it('counts a load each way on a two-way pair, and starts at the end nearer the pilot', () => {
    const ports = [at(5, sells('ore'), buys('organics')), at(6, buys('ore'), sells('organics'))];
    const [route] = rankTradeRoutes({ ports, pilot, turnsBetween, turnsFromHere: (s) => Math.abs(s - 9) * 2 });
    expect(route).toMatchObject({ from: 6, to: 5, approachTurns: 6, turns: 2 + 2 + 4 });
    expect(route!.out!.good).toBe('organics');
    expect(route!.back!.good).toBe('ore');
    expect(route!.profit).toBe(route!.out!.profit + route!.back!.profit);
  });

  it('leaves out pairs known space does not connect, and pairs that pay nothing', () => {
    const ports = [at(2, sells('ore')), at(3, buys('ore')), at(4, buys('organics'))];
    const cut = (a: number, b: number) => (a === 3 || b === 3 ? null : turnsBetween(a, b));
    expect(rankTradeRoutes({ ports, pilot, turnsBetween: cut })).toEqual([]);
    expect(rankTradeRoutes({ ports, pilot, turnsBetween }).map((r) => [r.from, r.to])).toEqual([[2, 3]]);
    expect(rankTradeRoutes({ ports, pilot, turnsBetween, limit: 0 })).toEqual([]);
  });
});
