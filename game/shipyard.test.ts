import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crewAfter } from './changes.js';
import { HULLS } from './catalog/hulls.js';
import { STARDOCK } from './catalog/stardock.js';
import { decideEquipment, decideHullPurchase, equipmentOffers, holdsPrice, hullOffers, maxPurchase, tradeInValue } from './shipyard.js';
import { crew } from './test-crews.js';

const code = (d: { refused: { code: string } } | object) => ('refused' in d ? (d as { refused: { code: string } }).refused.code : null);

describe('hull purchase', () => {
  it('trades in the old hull at 50% and carries what fits', () => {
    const c = crew({ userId: 'a', name: 'A', credits: 300_000, fighters: 300, shields: 200, cargo: { ore: 40, organics: 0, equipment: 0, colonists: 0 } });
    const d = decideHullPurchase(c, 'cargo_hauler', true);
    if ('refused' in d) throw new Error(d.refused.code);
    expect(d.outcome.trade_in).toBe(20_000);
    expect(d.outcome.net_cost).toBe(100_000);
    const after = crewAfter(c, d.changes);
    expect(after.pilot.credits).toBe(200_000);
    expect(after.ship).toMatchObject({ hull: 'cargo_hauler', holds: 150, fighters: 300, shields: 200, cargo: { ore: 40 } });
    expect(d.changes.credits.map((e) => e.reason)).toEqual(['stardock_trade_in', 'stardock_hull']);
  });

  it('caps fighters and shields at the new hull, and gives starting shields', () => {
    const c = crew({ userId: 'a', name: 'A', credits: 300_000, fighters: 300, shields: 10 });
    const d = decideHullPurchase(c, 'scout', true);
    if ('refused' in d) throw new Error(d.refused.code);
    const after = crewAfter(c, d.changes);
    expect(after.ship).toMatchObject({ hull: 'scout', holds: 20, fighters: 100, shields: HULLS.scout.startingShields });
    expect(d.outcome.fighters_dropped).toBe(200);
    // Cheaper than the trade-in: the Stardock pays the difference.
    expect(after.pilot.credits).toBe(300_000 + 20_000 - 15_000);
  });

  it('refuses cargo that would not fit, the same hull, a shortfall, and anywhere but a Stardock', () => {
    const loaded = crew({ userId: 'a', name: 'A', credits: 300_000, cargo: { ore: 30, organics: 0, equipment: 0, colonists: 0 } });
    expect(code(decideHullPurchase(loaded, 'scout', true))).toBe('cargo_would_not_fit');
    expect(code(decideHullPurchase(loaded, 'light_freighter', true))).toBe('same_hull');
    expect(code(decideHullPurchase(crew({ userId: 'a', name: 'A', credits: 79_999 }), 'cargo_hauler', true))).toBe('insufficient_credits');
    expect(code(decideHullPurchase(loaded, 'cargo_hauler', false))).toBe('no_stardock');
    const offers = hullOffers(loaded);
    expect(offers.find((o) => o.id === 'scout')?.blocked_by).toBe('cargo_would_not_fit');
    expect(offers.find((o) => o.id === 'light_freighter')?.blocked_by).toBe('same_hull');
  });

  it('an escape pod trades in for nothing', () => {
    expect(tradeInValue({ hull: 'escape_pod' })).toBe(0);
  });
});

describe('equipment', () => {
  it('each extra hold costs a step more than the last', () => {
    expect(holdsPrice(0, 1)).toBe(STARDOCK.holdBasePrice);
    expect(holdsPrice(3, 1)).toBe(STARDOCK.holdBasePrice + 3 * STARDOCK.holdPriceStep);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (extra, a, b) => {
        // Buying a then b holds costs what buying a + b at once does.
        expect(holdsPrice(extra, a) + holdsPrice(extra + a, b)).toBe(holdsPrice(extra, a + b));
      }),
    );
  });

  it('holds bought raise the next price; max is what credits and the hull allow', () => {
    const c = crew({ userId: 'a', name: 'A', credits: 20_000 });
    const d = decideEquipment(c, 'holds', 10, true);
    if ('refused' in d) throw new Error(d.refused.code);
    expect(d.outcome.total).toBe(holdsPrice(0, 10));
    const after = crewAfter(c, d.changes);
    expect(after.ship.holds).toBe(60);
    expect(equipmentOffers(after).find((o) => o.item === 'holds')?.unit_price).toBe(STARDOCK.holdBasePrice + 10 * STARDOCK.holdPriceStep);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.constantFrom('holds', 'fighters', 'shields', 'mines', 'genesis_torpedoes' as const),
        (credits, item) => {
          const rich = crew({ userId: 'a', name: 'A', credits });
          const max = maxPurchase(rich.ship, item, credits);
          if (max > 0) expect(code(decideEquipment(rich, item, max, true))).toBeNull();
          expect(['exceeds_capacity', 'insufficient_credits']).toContain(code(decideEquipment(rich, item, max + 1, true)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fighters and shields are capped by the hull', () => {
    const c = crew({ userId: 'a', name: 'A', credits: 1_000_000, fighters: 30, shields: 50 });
    expect(code(decideEquipment(c, 'fighters', 271, true))).toBe('exceeds_capacity');
    expect(code(decideEquipment(c, 'fighters', 270, true))).toBeNull();
    expect(code(decideEquipment(c, 'shields', 151, true))).toBe('exceeds_capacity');
    expect(code(decideEquipment(c, 'fighters', 1, false))).toBe('no_stardock');
  });
});
