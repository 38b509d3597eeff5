import { describe, expect, it } from 'vitest';
import { createRandom } from '../game/random.js';
import { classify, decide, firstHop, learnSector, newKnowledge, type Knowledge } from './virtual-player.js';

function sector(
  id: number,
  warps: number[],
  goods: Array<{ good: 'ore' | 'organics' | 'equipment'; port_action: 'sells' | 'buys'; unit_price: number; tradable: number }> | null,
) {
  return {
    id,
    warps: warps.map((to) => ({ to, one_way: false, gate: false })),
    port: goods ? { id, name: 'P', class: 1, class_code: 'BBS', class_name: 'Class 1', goods: goods.map((g) => ({ ...g, stock: 100, capacity: 1000 })) } : null,
  };
}

/** 1 → 2 → 3 (port buying ore) and 1 → 4 (a dead end). */
function knowledge(): Knowledge {
  const k = newKnowledge();
  k.credits = 20_000;
  k.holdsFree = 50;
  learnSector(k, sector(1, [2, 4], null));
  learnSector(k, sector(2, [1, 3], null));
  learnSector(k, sector(3, [2], [{ good: 'ore', port_action: 'buys', unit_price: 25, tradable: 500 }]));
  learnSector(k, sector(4, [1], null));
  return k;
}

describe('virtual player', () => {
  it('finds the first hop of the shortest known course', () => {
    const k = knowledge();
    expect(firstHop(k, 1, (s) => s === 3)).toBe(2);
    expect(firstHop(k, 1, (s) => s === 4)).toBe(4);
    expect(firstHop(k, 1, (s) => s === 99)).toBeUndefined();
  });

  it('looks at its sector before anything else', () => {
    const k = newKnowledge();
    expect(decide(k, createRandom('x'))).toEqual({ action: 'sector' });
  });

  it('heads for a port it can sell to when asked to trade where there is none', () => {
    const k = knowledge();
    k.cargo.ore = 20;
    k.holdsFree = 30;
    const rng = createRandom('trade-away-from-port');
    // Every trading decision away from a port is a move; with nothing unexplored it takes the known course.
    for (let i = 0; i < 200; i++) {
      const d = decide(k, rng);
      if (d.action === 'move') expect([2, 4]).toContain(d.to);
      else expect(['state', 'sector']).toContain(d.action);
    }
  });

  it('sells what the port here buys', () => {
    const k = knowledge();
    k.sectorId = 3;
    k.cargo.ore = 20;
    k.holdsFree = 30;
    const rng = createRandom('sell-here');
    const sells = Array.from({ length: 300 }, () => decide(k, rng)).filter((d) => d.action === 'sell');
    expect(sells.length).toBeGreaterThan(0);
    for (const d of sells) expect(d).toEqual({ action: 'sell', good: 'ore', quantity: 20 });
  });

  it('keeps the mix close to its weights where every action is possible', () => {
    const k = knowledge();
    k.sectorId = 3;
    k.cargo.ore = 20;
    learnSector(
      k,
      sector(
        3,
        [2],
        [
          { good: 'ore', port_action: 'buys', unit_price: 25, tradable: 500 },
          { good: 'equipment', port_action: 'sells', unit_price: 40, tradable: 500 },
        ],
      ),
    );
    const rng = createRandom('mix');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const d = decide(k, rng);
      counts[d.action] = (counts[d.action] ?? 0) + 1;
    }
    expect(counts.state! / 10_000).toBeCloseTo(0.3, 1);
    expect(counts.sector! / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.quote! / 10_000).toBeCloseTo(0.15, 1);
    expect(counts.buy! / 10_000).toBeCloseTo(0.1, 1);
    expect(counts.sell! / 10_000).toBeCloseTo(0.1, 1);
    expect(counts.move! / 10_000).toBeCloseTo(0.15, 1);
  });

  it('tells game refusals from errors', () => {
    expect(classify(200, null)).toEqual({ code: '200', kind: 'ok', status: 200 });
    expect(classify(409, 'insufficient_holds')).toEqual({ code: '409 insufficient_holds', kind: 'outcome', status: 409 });
    expect(classify(409, 'idempotency_in_flight').kind).toBe('error');
    expect(classify(422, 'not_adjacent').kind).toBe('error');
    expect(classify(500, 'internal_error')).toEqual({ code: '500 internal_error', kind: 'error', status: 500 });
    expect(classify(0, 'network:ECONNRESET')).toEqual({ code: 'network:ECONNRESET', kind: 'error', status: 0 });
  });
});
