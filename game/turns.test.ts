import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxTurnsFor, msUntilNextTurn, regenTurns, spendTurns, type TurnState } from './turns.js';

const DAY = 86_400_000;
const regen = { max: 1000, perDay: 1000, timeScale: 1 };
// 1000 turns a day: one turn per 86,400 ms.
const PER_TURN = 86_400;

describe('regenTurns', () => {
  it('adds floor(elapsed × rate) and advances the anchor by what those turns cost', () => {
    expect(regenTurns({ turns: 0, anchorMs: 0 }, DAY / 2, regen)).toEqual({ turns: 500, anchorMs: DAY / 2 });
    expect(regenTurns({ turns: 0, anchorMs: 0 }, 1.5 * PER_TURN, regen)).toEqual({ turns: 1, anchorMs: PER_TURN });
  });

  it('carries the fraction so two half-turn reads make a whole turn', () => {
    const first = regenTurns({ turns: 10, anchorMs: 0 }, PER_TURN / 2, regen);
    expect(first).toEqual({ turns: 10, anchorMs: 0 });
    expect(regenTurns(first, PER_TURN, regen)).toEqual({ turns: 11, anchorMs: PER_TURN });
  });

  it('fills to max and moves the anchor to now, so nothing banks above max', () => {
    expect(regenTurns({ turns: 0, anchorMs: 0 }, 3 * DAY, regen)).toEqual({ turns: 1000, anchorMs: 3 * DAY });
    const full = { turns: 1000, anchorMs: 0 };
    const later = regenTurns(full, DAY, regen);
    expect(later).toEqual({ turns: 1000, anchorMs: DAY });
    const spent = spendTurns(later, 10, DAY, regen) as TurnState;
    expect(spent).toEqual({ turns: 990, anchorMs: DAY });
    expect(regenTurns(spent, DAY + PER_TURN, regen)).toEqual({ turns: 991, anchorMs: DAY + PER_TURN });
  });

  it('runs faster with the game time scale', () => {
    expect(regenTurns({ turns: 0, anchorMs: 0 }, 864 * 5, { ...regen, timeScale: 100 })).toEqual({ turns: 5, anchorMs: 4320 });
  });

  it('gains nothing when the clock goes backwards', () => {
    expect(regenTurns({ turns: 5, anchorMs: DAY }, DAY - 10 * PER_TURN, regen)).toEqual({ turns: 5, anchorMs: DAY });
  });

  it('keeps a pool above max (an admin grant) instead of cutting it', () => {
    expect(regenTurns({ turns: 1200, anchorMs: 0 }, DAY, regen)).toEqual({ turns: 1200, anchorMs: DAY });
  });
});

describe('spendTurns', () => {
  it('regenerates first, then spends', () => {
    expect(spendTurns({ turns: 2, anchorMs: 0 }, 3, PER_TURN, regen)).toEqual({ turns: 0, anchorMs: PER_TURN });
  });

  it('refuses to go negative and says how many turns there are', () => {
    expect(spendTurns({ turns: 2, anchorMs: 0 }, 3, PER_TURN - 1, regen)).toEqual({ error: 'insufficient_turns', available: 2, needed: 3 });
  });

  it('rejects a negative or fractional cost as a programming error', () => {
    expect(() => spendTurns({ turns: 2, anchorMs: 0 }, -1, 0, regen)).toThrow(RangeError);
    expect(() => spendTurns({ turns: 2, anchorMs: 0 }, 0.5, 0, regen)).toThrow(RangeError);
  });
});

describe('msUntilNextTurn', () => {
  it('counts down to the next whole turn and is null when full', () => {
    expect(msUntilNextTurn({ turns: 0, anchorMs: 0 }, 40_000, regen)).toBe(PER_TURN - 40_000);
    expect(msUntilNextTurn({ turns: 0, anchorMs: 0 }, 1.25 * PER_TURN, regen)).toBe(0.75 * PER_TURN);
    expect(msUntilNextTurn({ turns: 1000, anchorMs: 0 }, 5, regen)).toBeNull();
  });
});

describe('maxTurnsFor', () => {
  it('adds the rank bonus to the pool', () => {
    expect(maxTurnsFor(0)).toBe(1000);
    expect(maxTurnsFor(150)).toBe(1010);
    expect(maxTurnsFor(1_000_000)).toBe(1100);
  });
});

describe('turn pool properties', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3 * DAY }) }),
    fc.record({ kind: fc.constant('spend' as const), cost: fc.integer({ min: 0, max: 400 }), ms: fc.integer({ min: 0, max: DAY / 4 }) }),
    fc.record({ kind: fc.constant('clock_skew' as const), ms: fc.integer({ min: 1, max: DAY }) }),
  );

  it('never exceeds max, never goes negative and stays whole across any sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(1, 10, 1000, 1_000_000),
        fc.array(step, { maxLength: 60 }),
        (startTurns, timeScale, steps) => {
          const options = { ...regen, timeScale };
          let state: TurnState = { turns: startTurns, anchorMs: 1_000_000 };
          let now = 1_000_000;
          for (const s of steps) {
            if (s.kind === 'clock_skew') now -= s.ms;
            else now += s.ms;
            if (s.kind === 'spend') {
              const result = spendTurns(state, s.cost, now, options);
              if ('error' in result) expect(result.available).toBeLessThan(s.cost);
              else state = result;
            } else {
              state = regenTurns(state, now, options);
            }
            expect(Number.isInteger(state.turns)).toBe(true);
            expect(state.turns).toBeGreaterThanOrEqual(0);
            expect(state.turns).toBeLessThanOrEqual(options.max);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reading the pool often gains exactly what one late read gains', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 40 }), (waits) => {
        let state: TurnState = { turns: 0, anchorMs: 0 };
        let now = 0;
        for (const wait of waits) {
          now += wait;
          state = regenTurns(state, now, regen);
        }
        expect(state.turns).toBe(regenTurns({ turns: 0, anchorMs: 0 }, now, regen).turns);
      }),
      { numRuns: 300 },
    );
  });
});
