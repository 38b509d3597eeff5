import { describe, expect, it } from 'vitest';
import { RANKS, rankFor, tradeExperience } from './experience.js';

describe('rankFor', () => {
  it('finds the highest rank whose threshold is met', () => {
    expect(rankFor(0)).toEqual({ rank: 0, title: 'Civilian', maxTurnsBonus: 0 });
    expect(rankFor(99)).toEqual({ rank: 0, title: 'Civilian', maxTurnsBonus: 0 });
    expect(rankFor(100)).toEqual({ rank: 1, title: 'Cadet', maxTurnsBonus: 10 });
    expect(rankFor(9_999)).toEqual({ rank: 5, title: 'Commander', maxTurnsBonus: 50 });
    expect(rankFor(10_000_000)).toEqual({ rank: 10, title: 'Fleet Admiral', maxTurnsBonus: 100 });
  });

  it('has ascending thresholds from 0 and bonuses that never fall', () => {
    expect(RANKS[0]?.minExperience).toBe(0);
    for (let i = 1; i < RANKS.length; i++) {
      expect(RANKS[i]!.minExperience).toBeGreaterThan(RANKS[i - 1]!.minExperience);
      expect(RANKS[i]!.maxTurnsBonus).toBeGreaterThanOrEqual(RANKS[i - 1]!.maxTurnsBonus);
    }
  });
});

describe('tradeExperience', () => {
  it('gives a point per whole 100 credits of profit and nothing for a loss', () => {
    expect(tradeExperience(250)).toBe(2);
    expect(tradeExperience(99)).toBe(0);
    expect(tradeExperience(-500)).toBe(0);
  });
});
