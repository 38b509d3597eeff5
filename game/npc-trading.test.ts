import { describe, expect, it } from 'vitest';
import { BASE_PRICE } from './catalog/goods.js';
import { bestBuyerFor, bestRun, decideNpcLeg, type NpcLegPlan, type NpcPort, planPurchase, type PortGoodMarket, type ReachablePort } from './npc-trading.js';
import type { Crew } from './pilot.js';
import { createRandom } from './random.js';
import { decideTrade } from './trade.js';
import { quoteBuy, quoteSell } from './pricing.js';

const good = (g: 'ore' | 'organics' | 'equipment', mode: 'buy' | 'sell', stock: number, capacity = 3_000): PortGoodMarket => ({
  good: g,
  mode,
  stock,
  capacity,
  base: BASE_PRICE[g],
  fixedPrice: false,
});

const port = (portId: number, sectorId: number, hops: number, goods: PortGoodMarket[]): ReachablePort => ({ portId, sectorId, hops, goods });

describe('bestRun', () => {
  it('prices a run exactly as one player order of the same size would be priced', () => {
    const seller = good('equipment', 'sell', 2_700);
    const buyer = good('equipment', 'buy', 300);
    const run = bestRun(seller, buyer, 150, 1_000_000);
    expect(run.quantity).toBe(150);
    expect(run.cost).toBe((quoteBuy(seller, 150) as { total: number }).total);
    expect(run.revenue).toBe((quoteSell(buyer, 150) as { total: number }).total);
    expect(run.revenue).toBeGreaterThan(run.cost);
  });

  it('stops at the first unit that would no longer earn', () => {
    // Seller nearly empty (dear), buyer nearly full (cheap): the curves cross quickly.
    const seller = good('ore', 'sell', 1_500, 2_000);
    const buyer = good('ore', 'buy', 1_400, 2_000);
    const run = bestRun(seller, buyer, 150, 1_000_000);
    expect(run.quantity).toBeLessThan(150);
    const nextPay = quoteBuy({ ...seller, stock: seller.stock - run.quantity }, 1) as { total: number };
    const nextEarn = quoteSell({ ...buyer, stock: buyer.stock + run.quantity }, 1) as { total: number };
    expect(nextEarn.total).toBeLessThanOrEqual(nextPay.total);
  });

  it('never spends more than the credits it has', () => {
    const run = bestRun(good('equipment', 'sell', 2_700), good('equipment', 'buy', 300), 150, 1_000);
    expect(run.cost).toBeLessThanOrEqual(1_000);
    expect(run.quantity).toBe(Math.floor(1_000 / 43)); // base 50 at p = 0.9: ceil(50 × 0.85) = 43 a unit
  });
});

describe('planPurchase', () => {
  const here = { portId: 1, sectorId: 10, goods: [good('equipment', 'sell', 2_700), good('ore', 'sell', 4_500, 5_000), good('organics', 'buy', 100)] };

  it('picks the best profit per warp among what this port sells and nearby ports buy', () => {
    const near = port(2, 11, 1, [good('ore', 'buy', 500, 5_000)]);
    const far = port(3, 12, 3, [good('equipment', 'buy', 300)]);
    const plan = planPurchase(here, [near, far], 150, 100_000, 5);
    const oreProfit = bestRun(here.goods[1]!, near.goods[0]!, 150, 100_000);
    const equipmentProfit = bestRun(here.goods[0]!, far.goods[0]!, 150, 100_000);
    const expected = (oreProfit.revenue - oreProfit.cost) / 1 > (equipmentProfit.revenue - equipmentProfit.cost) / 3 ? 'ore' : 'equipment';
    expect(plan?.good).toBe(expected);
    expect(plan?.destination.portId).toBe(expected === 'ore' ? 2 : 3);
  });

  it('refuses a run below the minimum margin, and does nothing without holds or credits', () => {
    // Pays 44 for the first unit against 43: a profit, but far below 5%.
    const thin = port(2, 11, 1, [good('equipment', 'buy', 2_100)]);
    expect(planPurchase(here, [thin], 150, 100_000, 5)).toBeNull();
    expect(planPurchase(here, [thin], 150, 100_000, 0)?.good).toBe('equipment');
    const rich = port(3, 12, 1, [good('equipment', 'buy', 0)]);
    expect(planPurchase(here, [rich], 0, 100_000, 5)).toBeNull();
    expect(planPurchase(here, [rich], 150, 0, 5)).toBeNull();
    expect(planPurchase(here, [rich], 150, 100_000, 5)?.good).toBe('equipment');
  });
});

describe('bestBuyerFor', () => {
  it('takes cargo to the port paying the most per warp, ignoring ports that do not buy it', () => {
    const ports = [
      port(2, 11, 1, [good('ore', 'sell', 100, 5_000)]),
      port(3, 12, 1, [good('ore', 'buy', 4_000, 5_000)]),
      port(4, 13, 2, [good('ore', 'buy', 0, 5_000)]),
    ];
    // 100 ore at p = 0.8 pays 20 × 0.82 = 16 a unit next door; at p = 0 two warps away 26 a unit, 13 per warp.
    expect(bestBuyerFor('ore', 100, ports)?.portId).toBe(3);
    expect(bestBuyerFor('equipment', 100, ports)).toBeNull();
  });
});

describe('decideNpcLeg', () => {
  const at = { nowMs: Date.UTC(2026, 11, 1), timeScale: 1 };
  const crew = (): Crew => ({
    pilot: {
      userId: '8a0c1d2e-0000-8000-8000-000000000001',
      name: 'Trader Okafor',
      regionId: 1,
      sectorId: 40,
      shipId: 7,
      credits: 30_000,
      turns: 1_000,
      turnsAnchorMs: at.nowMs,
      experience: 0,
      alignment: 0,
      npc: true,
      landedPlanetId: null,
    },
    ship: {
      id: 7,
      hull: 'cargo_hauler',
      holds: 150,
      fighters: 50,
      shields: 0,
      mines: 0,
      genesisTorpedoes: 0,
      cargo: { ore: 0, organics: 0, equipment: 60, colonists: 0 },
    },
  });
  const here = (): NpcPort => ({
    id: 12,
    name: 'Vega Exchange',
    sectorId: 40,
    goods: [
      { good: 'equipment', mode: 'buy', stock: 500, capacity: 3_000, base: BASE_PRICE.equipment, fixedPrice: false, anchorMs: at.nowMs },
      { good: 'ore', mode: 'sell', stock: 2_000, capacity: 3_000, base: BASE_PRICE.ore, fixedPrice: false, anchorMs: at.nowMs },
    ],
  });
  const idle: NpcLegPlan = { reachable: [], roamTo: [], course: () => null, random: createRandom('leg'), capital: 1_000_000, minMarginPct: 5 };

  it('sells through the players’ own decision: the same order gives the same change set', () => {
    const npc = decideNpcLeg(crew(), here(), idle, at);
    const player = decideTrade(
      crew(),
      { id: 12, name: 'Vega Exchange', sectorId: 40, good: here().goods[0]! },
      { side: 'sell', good: 'equipment', quantity: 60 },
      at,
    );
    if ('refused' in npc || 'refused' in player) throw new Error('refused');
    // Equal change sets: the one applier then writes the very same statement for both.
    expect(npc.changes).toEqual(player.changes);
  });

  it('flies its course warp by warp through decideMove, paying turns, until the turns run out', () => {
    const tired = crew();
    tired.pilot.turns = 7; // a Cargo Hauler pays 3 a warp: two warps, not three
    const plan: NpcLegPlan = { ...idle, reachable: [port(9, 43, 3, [good('equipment', 'buy', 100)])], course: () => [40, 41, 42, 43] };
    const leg = decideNpcLeg(tired, null, plan, at);
    if ('refused' in leg) throw new Error('refused');
    expect(leg.outcome.hops).toBe(2);
    const moves = leg.changes.pilots.filter((c) => c.position);
    expect(moves.map((c) => c.position!.sectorId)).toEqual([41, 42]);
    expect(moves.at(-1)!.turns!.turns).toBe(1);
    // NPCs keep no known space.
    expect(leg.changes.knownSectors).toEqual([]);
  });
});
