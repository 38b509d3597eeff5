import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crewAfter } from './changes.js';
import {
  type Allegiance,
  type Defense,
  decideAttackDefenses,
  decideDeploy,
  decideEntry,
  decideRecall,
  defensiveStacksFor,
  isHostile,
  type EntryContext,
} from './defenses.js';
import { crew } from './test-crews.js';

const at = { nowMs: Date.UTC(2026, 0, 1), timeScale: 1 };
const owner = '00000000-0000-4000-8000-00000000000a';
const entrantId = '00000000-0000-4000-8000-00000000000b';
const alone: Allegiance = { userId: entrantId, teamId: null, ownerTeams: new Map() };
const ids = { seed: 'seed-1', logId: '00000000-0000-4000-8000-0000000000c1', wreckId: '00000000-0000-4000-8000-0000000000c2' };
const refuge = { escapeTo: { sectorId: 1, regionId: 1 }, escapeSnapshot: null };

function stack(o: Partial<Defense> & Pick<Defense, 'id' | 'kind' | 'quantity'>): Defense {
  return { sectorId: 20, regionId: 1, ownerUserId: owner, ownerName: 'Owner', teamId: null, mode: o.kind === 'fighters' ? 'offensive' : null, toll: 0, ...o };
}

function entry(defenses: Defense[], o: Partial<EntryContext> = {}): EntryContext {
  return { sector: { id: 20, regionId: 1 }, defenses, who: alone, toll: undefined, ids, refuge, ...o };
}

const deployedStacks = fc.array(
  fc.record({
    kind: fc.constantFrom('fighters' as const, 'mines' as const),
    quantity: fc.integer({ min: 0, max: 5_000 }),
    mode: fc.constantFrom('defensive' as const, 'toll' as const, 'offensive' as const),
    toll: fc.integer({ min: 1, max: 5_000 }),
  }),
  { minLength: 1, maxLength: 4 },
);

describe('decideEntry (property)', () => {
  it('uses no more mines or fighters than deployed, leaves nothing negative, and is deterministic for a seed', () => {
    fc.assert(
      fc.property(
        deployedStacks,
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.constantFrom('pay' as const, 'refuse' as const),
        fc.string({ minLength: 1, maxLength: 12 }),
        (raw, fighters, shields, credits, toll, seed) => {
          const defenses = raw.map((r, i) =>
            stack({
              id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
              kind: r.kind,
              quantity: r.quantity,
              mode: r.kind === 'fighters' ? r.mode : null,
              toll: r.kind === 'fighters' && r.mode === 'toll' ? r.toll : 0,
            }),
          );
          const entrant = crew({ userId: entrantId, name: 'Entrant', sectorId: 20, fighters, shields, credits });
          const context = entry(defenses, { toll, ids: { ...ids, seed } });
          const first = decideEntry(entrant, context, at);
          const second = decideEntry(entrant, context, at);
          expect(second).toEqual(first);
          if ('refused' in first) throw new Error(`refused ${first.refused.code}`);
          const used = new Map<string, number>();
          for (const d of first.changes.defenses) used.set(d.id, (used.get(d.id) ?? 0) + d.quantity);
          for (const d of defenses) {
            const delta = used.get(d.id) ?? 0;
            expect(delta).toBeLessThanOrEqual(0);
            expect(d.quantity + delta).toBeGreaterThanOrEqual(0);
          }
          const after = crewAfter(entrant, first.changes);
          expect(after.ship.fighters).toBeGreaterThanOrEqual(0);
          expect(after.ship.shields).toBeGreaterThanOrEqual(0);
          expect(after.pilot.credits).toBeGreaterThanOrEqual(0);
          // Credits move, never appear: what the entrant pays its owners receive.
          expect(first.changes.credits.reduce((sum, c) => sum + c.delta, 0)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('asks for the toll before anything happens, then charges it to the entrant and credits the owner', () => {
    const tollStack = stack({ id: 'a', kind: 'fighters', quantity: 100, mode: 'toll', toll: 250 });
    const mines = stack({ id: 'b', kind: 'mines', quantity: 40 });
    const entrant = crew({ userId: entrantId, name: 'Entrant', sectorId: 20, credits: 1_000 });
    const asked = decideEntry(entrant, entry([tollStack, mines]), at);
    expect('refused' in asked && asked.refused).toMatchObject({ code: 'toll_required', facts: { amount: 250 } });
    const paid = decideEntry(entrant, entry([tollStack], { toll: 'pay' }), at);
    if ('refused' in paid) throw new Error('refused');
    expect(paid.outcome.toll).toEqual({ amount: 250, paid: true });
    expect(paid.outcome.fight).toBeNull();
    expect(paid.changes.credits).toEqual([
      expect.objectContaining({ userId: entrantId, delta: -250, reason: 'toll_paid' }),
      expect.objectContaining({ userId: owner, delta: 250, reason: 'toll_received' }),
    ]);
  });

  it('attacks an entrant that refuses or cannot pay the toll', () => {
    const tollStack = stack({ id: 'a', kind: 'fighters', quantity: 100, mode: 'toll', toll: 250 });
    for (const [credits, toll] of [
      [1_000, 'refuse'],
      [100, 'pay'],
    ] as const) {
      const decision = decideEntry(crew({ userId: entrantId, name: 'E', sectorId: 20, credits }), entry([tollStack], { toll }), at);
      if ('refused' in decision) throw new Error('refused');
      expect(decision.outcome.toll?.paid).toBe(false);
      expect(decision.outcome.fight).not.toBeNull();
      expect(decision.changes.credits).toEqual([]);
      expect(decision.changes.combatLogs).toHaveLength(1);
    }
  });

  it('mines hit shields first and are used up; they never destroy a ship by themselves', () => {
    const mines = stack({ id: 'b', kind: 'mines', quantity: 1_000 });
    const decision = decideEntry(crew({ userId: entrantId, name: 'E', sectorId: 20, fighters: 5, shields: 20 }), entry([mines]), at);
    if ('refused' in decision) throw new Error('refused');
    const [hit] = decision.outcome.mines;
    expect(hit!.mines).toBeGreaterThan(0);
    expect(hit!.shields_lost).toBe(20);
    expect(hit!.fighters_lost).toBe(5);
    expect(decision.outcome.destroyed).toBe(false);
    expect(decision.changes.defenses).toEqual([{ id: 'b', quantity: -hit!.mines }]);
  });

  it('offensive fighters attack on entry, defensive ones do not; a weak entrant is destroyed into a pod', () => {
    const weak = crew({ userId: entrantId, name: 'E', sectorId: 20, fighters: 1, shields: 0, cargo: { ore: 10, organics: 0, equipment: 0, colonists: 0 } });
    const offensive = decideEntry(weak, entry([stack({ id: 'a', kind: 'fighters', quantity: 500, mode: 'offensive' })]), at);
    if ('refused' in offensive) throw new Error('refused');
    expect(offensive.outcome.destroyed).toBe(true);
    expect(crewAfter(weak, offensive.changes).ship.hull).toBe('escape_pod');
    expect(offensive.changes.wrecks).toHaveLength(1);
    const defensive = decideEntry(weak, entry([stack({ id: 'a', kind: 'fighters', quantity: 500, mode: 'defensive' })]), at);
    if ('refused' in defensive) throw new Error('refused');
    expect(defensive.outcome.fight).toBeNull();
  });

  it('teammates and the owner pass; team-owned stacks let the whole team pass', () => {
    const s = stack({ id: 'a', kind: 'fighters', quantity: 500, mode: 'offensive' });
    expect(isHostile(s, { userId: owner, teamId: null, ownerTeams: new Map() })).toBe(false);
    expect(isHostile(s, { userId: entrantId, teamId: 7, ownerTeams: new Map([[owner, 7]]) })).toBe(false);
    expect(isHostile({ ...s, teamId: 7 }, { userId: entrantId, teamId: 7, ownerTeams: new Map() })).toBe(false);
    expect(isHostile(s, { userId: entrantId, teamId: 8, ownerTeams: new Map([[owner, 7]]) })).toBe(true);
    expect(isHostile(s, alone)).toBe(true);
  });

  it('defensive fighters hold a pilot passing on, not one retreating the way it came', () => {
    const s = stack({ id: 'a', kind: 'fighters', quantity: 500, mode: 'defensive' });
    expect(defensiveStacksFor([s], alone, 21, 19)).toHaveLength(1);
    expect(defensiveStacksFor([s], alone, 19, 19)).toHaveLength(0);
  });
});

describe('deploy, recall, attack', () => {
  const sector = { id: 20, regionId: 1, fedspace: false };
  it('refuses FedSpace, more than aboard, and a team stack without a team', () => {
    const pilot = crew({ userId: owner, name: 'Owner', sectorId: 20, fighters: 30, mines: 2 });
    const base = { sector, own: null, teamId: null, newId: 'n' };
    const code = (d: ReturnType<typeof decideDeploy>) => ('refused' in d ? d.refused.code : 'ok');
    expect(code(decideDeploy(pilot, { kind: 'fighters', quantity: 5 }, { ...base, sector: { ...sector, fedspace: true } }, at))).toBe('fedspace');
    expect(code(decideDeploy(pilot, { kind: 'fighters', quantity: 31 }, base, at))).toBe('insufficient_fighters');
    expect(code(decideDeploy(pilot, { kind: 'mines', quantity: 3 }, base, at))).toBe('insufficient_mines');
    expect(code(decideDeploy(pilot, { kind: 'fighters', quantity: 5, team: true }, base, at))).toBe('not_in_team');
    expect(code(decideDeploy(pilot, { kind: 'fighters', quantity: 5, mode: 'toll' }, base, at))).toBe('invalid_quantity');
    const ok = decideDeploy(pilot, { kind: 'fighters', quantity: 5, mode: 'toll', toll: 10 }, base, at);
    if ('refused' in ok) throw new Error('refused');
    expect(crewAfter(pilot, ok.changes).ship.fighters).toBe(25);
    expect(ok.outcome).toMatchObject({ quantity: 5, mode: 'toll', toll: 10 });
  });

  it('recalls only your own, up to what is deployed and what the hull holds', () => {
    const pilot = crew({ userId: owner, name: 'Owner', sectorId: 20, fighters: 30 });
    const own = stack({ id: 'a', kind: 'fighters', quantity: 10 });
    expect(decideRecall(pilot, { kind: 'fighters', quantity: 1 }, null, at)).toMatchObject({ refused: { code: 'no_defenses' } });
    expect(decideRecall(pilot, { kind: 'fighters', quantity: 11 }, own, at)).toMatchObject({ refused: { code: 'exceeds_deployed' } });
    const ok = decideRecall(pilot, { kind: 'fighters', quantity: 10 }, own, at);
    if ('refused' in ok) throw new Error('refused');
    expect(ok.changes.defenses).toEqual([{ id: 'a', quantity: -10 }]);
    expect(crewAfter(pilot, ok.changes).ship.fighters).toBe(40);
  });

  it('attacking deployed fighters takes losses off the stacks in id order, never more than deployed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 3_000 }), (committed, q1, q2) => {
        const pilot = crew({ userId: entrantId, name: 'E', sectorId: 20, fighters: 3_000, shields: 100 });
        const defenses = [stack({ id: 'a', kind: 'fighters', quantity: q1 }), stack({ id: 'b', kind: 'fighters', quantity: q2 })];
        const decision = decideAttackDefenses(pilot, { fighters: committed }, { sector, defenses, who: alone, ids }, at);
        if (q1 + q2 === 0) {
          expect(decision).toMatchObject({ refused: { code: 'no_defenses' } });
          return;
        }
        if ('refused' in decision) throw new Error(decision.refused.code);
        const lost = new Map(decision.changes.defenses.map((d) => [d.id, -d.quantity]));
        expect(lost.get('a') ?? 0).toBeLessThanOrEqual(q1);
        expect(lost.get('b') ?? 0).toBeLessThanOrEqual(q2);
        if ((lost.get('b') ?? 0) > 0) expect(lost.get('a') ?? 0).toBe(q1);
        expect(decision.outcome.defenses_left).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });
});
