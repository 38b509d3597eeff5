import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crewAfter as applyToCrew } from './changes.js';
import { HULLS } from './catalog/hulls.js';
import { decideAttack, decideSalvage, isProtected, resolveEngagement, scanBand, type AttackContext, type Target } from './combat.js';
import { crew } from './test-crews.js';

const side = fc.record({ fighters: fc.integer({ min: 0, max: 20_000 }), shields: fc.integer({ min: 0, max: 5_000 }) });
const seed = fc.string({ minLength: 1, maxLength: 20 });
const at = { nowMs: Date.UTC(2026, 0, 1), timeScale: 1 };

describe('resolveEngagement (property)', () => {
  it('never loses more fighters than committed, never goes negative, and accounts for every loss', () => {
    fc.assert(
      fc.property(side, side, seed, (attacker, defender, s) => {
        const e = resolveEngagement(attacker, defender, s);
        expect(e.attacker_fighters_lost).toBeGreaterThanOrEqual(0);
        expect(e.attacker_fighters_lost).toBeLessThanOrEqual(attacker.fighters);
        expect(e.defender_fighters_lost).toBeLessThanOrEqual(defender.fighters);
        expect(e.attacker_shields_lost).toBeLessThanOrEqual(attacker.shields);
        expect(e.defender_shields_lost).toBeLessThanOrEqual(defender.shields);
        expect(e.defender_fighters_lost).toBeGreaterThanOrEqual(0);
        for (const r of e.rounds) {
          for (const v of [r.attacker_fighters, r.attacker_shields, r.defender_fighters, r.defender_shields, r.attacker_hits, r.defender_hits]) {
            expect(v).toBeGreaterThanOrEqual(0);
          }
        }
        const last = e.rounds.at(-1);
        if (last) {
          expect(attacker.fighters - last.attacker_fighters).toBe(e.attacker_fighters_lost);
          expect(defender.fighters + defender.shields - last.defender_fighters - last.defender_shields).toBe(
            e.defender_fighters_lost + e.defender_shields_lost,
          );
        }
        if (e.result === 'destroyed') expect(defender.fighters - e.defender_fighters_lost + defender.shields - e.defender_shields_lost).toBe(0);
        if (e.result === 'repelled') expect(e.attacker_fighters_lost).toBe(attacker.fighters);
      }),
      { numRuns: 300 },
    );
  });

  it('the same seed gives the same log; the log is replayable from what it stores', () => {
    fc.assert(
      fc.property(side, side, seed, (attacker, defender, s) => {
        const first = resolveEngagement(attacker, defender, s);
        expect(resolveEngagement(first.attacker, first.defender, first.seed)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it('the seed matters: different seeds spread the rounds differently', () => {
    const logs = new Set(
      Array.from({ length: 20 }, (_, i) => JSON.stringify(resolveEngagement({ fighters: 500, shields: 100 }, { fighters: 400, shields: 100 }, `s${i}`).rounds)),
    );
    expect(logs.size).toBeGreaterThan(10);
  });

  it('with 3:1 fighters the attacker destroys the weaker ship in one attack in ≥ 95% of seeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 4_000 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 2_500 }),
        (fighters, shieldRatio, attackerShields) => {
          const defender = { fighters, shields: Math.floor(fighters * shieldRatio) };
          let wins = 0;
          for (let i = 0; i < 100; i++)
            if (resolveEngagement({ fighters: fighters * 3, shields: attackerShields }, defender, `seed-${i}`).result === 'destroyed') wins++;
          expect(wins).toBeGreaterThanOrEqual(95);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with 3:1 fighters on the defending side, the attack is repelled in ≥ 95% of seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 4_000 }), (fighters) => {
        let repelled = 0;
        for (let i = 0; i < 100; i++)
          if (resolveEngagement({ fighters, shields: 0 }, { fighters: fighters * 3, shields: 0 }, `seed-${i}`).result === 'repelled') repelled++;
        expect(repelled).toBeGreaterThanOrEqual(95);
      }),
      { numRuns: 40 },
    );
  });

  it('a ship with neither fighters nor shields is destroyed by any attack', () => {
    expect(resolveEngagement({ fighters: 1, shields: 0 }, { fighters: 0, shields: 0 }, 'x').result).toBe('destroyed');
  });
});

describe('scanBand', () => {
  it('puts counts in their band', () => {
    expect(scanBand(0)).toEqual({ min: 0, max: 0 });
    expect(scanBand(30)).toEqual({ min: 10, max: 49 });
    expect(scanBand(100)).toEqual({ min: 100, max: 249 });
    expect(scanBand(1_000_000)).toEqual({ min: 25_000, max: null });
  });
});

const context = (over: Partial<AttackContext> = {}): AttackContext => ({
  sector: { id: 50, regionId: 1, fedspace: false },
  protection: { netWorth: 0, hours: 0 },
  teammate: false,
  seed: 'fixed',
  logId: 'log-1',
  wreckId: 'wreck-1',
  escapeTo: { sectorId: 3, regionId: 1 },
  escapeSnapshot: null,
  ...over,
});

describe('decideAttack', () => {
  const attacker = crew({ userId: 'a', name: 'Ann', sectorId: 50, fighters: 300, shields: 100 });
  const victimCrew = crew({ userId: 'b', name: 'Bob', sectorId: 50, fighters: 30, shields: 50, cargo: { ore: 20, organics: 0, equipment: 5, colonists: 0 } });
  const victim: Target = { crew: victimCrew, createdAtMs: at.nowMs - 1_000 };

  it('refuses by the target rules, in one place', () => {
    const refusal = (t: Target | null, c = context(), a = attacker) => {
      const d = decideAttack(a, t, { target: 'x', fighters: 10 }, c, at);
      return 'refused' in d ? d.refused.code : null;
    };
    expect(refusal({ crew: attacker, createdAtMs: 0 })).toBe('invalid_target');
    expect(refusal(null)).toBe('target_not_here');
    expect(refusal({ ...victim, crew: { ...victimCrew, pilot: { ...victimCrew.pilot, sectorId: 51 } } })).toBe('target_not_here');
    expect(refusal(victim, context({ teammate: true }))).toBe('teammate');
    expect(refusal(victim, context({ sector: { id: 50, regionId: 1, fedspace: true } }))).toBe('fedspace');
    expect(refusal({ ...victim, crew: { ...victimCrew, ship: { ...victimCrew.ship, hull: 'escape_pod' } } })).toBe('target_indestructible');
    expect(refusal(victim, context({ protection: { netWorth: 100_000, hours: 48 } }))).toBe('target_protected');
    expect(refusal(victim, context(), { ...attacker, ship: { ...attacker.ship, fighters: 5 } })).toBe('insufficient_fighters');
    expect(refusal(victim, context(), { ...attacker, pilot: { ...attacker.pilot, turns: 2, turnsAnchorMs: at.nowMs } })).toBe('insufficient_turns');
  });

  it('a destruction ejects the victim in a pod to FedSpace, leaves a wreck and a log, conserves fighters', () => {
    const d = decideAttack(attacker, victim, { target: 'Bob', fighters: 300 }, context(), at);
    if ('refused' in d) throw new Error(d.refused.code);
    expect(d.outcome.destroyed).toBe(true);
    const after = applyToCrew(victimCrew, d.changes);
    expect(after.ship.hull).toBe('escape_pod');
    expect(after.ship.holds).toBe(HULLS.escape_pod.holds);
    expect(after.ship.fighters).toBe(0);
    expect(after.ship.shields).toBe(HULLS.escape_pod.startingShields);
    expect(after.pilot.sectorId).toBe(3);
    expect(after.pilot.credits).toBe(victimCrew.pilot.credits);
    expect(d.changes.wrecks).toEqual([expect.objectContaining({ create: expect.objectContaining({ id: 'wreck-1', cargo: victimCrew.ship.cargo }) })]);
    expect(d.changes.combatLogs[0]).toMatchObject({ id: 'log-1', seed: 'fixed', result: 'destroyed' });
    const a = applyToCrew(attacker, d.changes);
    expect(attacker.ship.fighters - a.ship.fighters).toBe(d.outcome.fighters_lost);
    expect(a.pilot.experience).toBeGreaterThan(attacker.pilot.experience);
    // Bob was good (alignment 0): attacking him costs alignment.
    expect(a.pilot.alignment).toBeLessThan(0);
    expect(d.changes.events.map((e) => e.type)).toEqual(expect.arrayContaining(['combat.resolved', 'sector.combat', 'ship.destroyed']));
  });

  it('attacking an evil pilot gains alignment', () => {
    const evil: Target = { ...victim, crew: { ...victimCrew, pilot: { ...victimCrew.pilot, alignment: -100 } } };
    const d = decideAttack(attacker, evil, { target: 'Bob', fighters: 300 }, context(), at);
    if ('refused' in d) throw new Error(d.refused.code);
    expect(d.outcome.alignment_change).toBeGreaterThan(0);
  });

  it('protection ends once the pilot is older or richer than the thresholds', () => {
    const protection = { netWorth: 100_000, hours: 48 };
    expect(isProtected(victim, protection, at)).toBe(true);
    expect(isProtected({ ...victim, createdAtMs: at.nowMs - 49 * 3_600_000 }, protection, at)).toBe(false);
    expect(isProtected({ ...victim, crew: { ...victimCrew, pilot: { ...victimCrew.pilot, credits: 100_000 } } }, protection, at)).toBe(false);
    expect(isProtected(victim, { netWorth: 0, hours: 48 }, at)).toBe(false);
  });
});

describe('decideSalvage', () => {
  const salvager = crew({ userId: 'a', name: 'Ann', sectorId: 50, fighters: 0, shields: 0 });
  const wreck = { id: 'w', sectorId: 50, cargo: { ore: 20, organics: 0, equipment: 0, colonists: 0 }, expiresAtMs: at.nowMs + 1000 };
  it('moves cargo from the wreck to the hold', () => {
    const d = decideSalvage(salvager, wreck, { good: 'ore', quantity: 15 }, at);
    if ('refused' in d) throw new Error(d.refused.code);
    expect(applyToCrew(salvager, d.changes).ship.cargo.ore).toBe(15);
    expect(d.outcome.wreck_left.ore).toBe(5);
  });
  it('refuses what is not there', () => {
    const code = (d: ReturnType<typeof decideSalvage>) => ('refused' in d ? d.refused.code : null);
    expect(code(decideSalvage(salvager, { ...wreck, expiresAtMs: at.nowMs }, { good: 'ore', quantity: 1 }, at))).toBe('wreck_not_found');
    expect(code(decideSalvage(salvager, { ...wreck, sectorId: 51 }, { good: 'ore', quantity: 1 }, at))).toBe('wreck_not_found');
    expect(code(decideSalvage(salvager, wreck, { good: 'ore', quantity: 21 }, at))).toBe('exceeds_wreck');
    const full = { ...salvager, ship: { ...salvager.ship, cargo: { ore: 0, organics: 45, equipment: 0, colonists: 0 } } };
    expect(code(decideSalvage(full, wreck, { good: 'ore', quantity: 6 }, at))).toBe('insufficient_holds');
  });
});
