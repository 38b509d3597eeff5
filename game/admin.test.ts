import { describe, expect, it } from 'vitest';
import { decideAdminMove, decideCreditAdjustment } from './admin.js';
import { crew } from './test-crews.js';

const at = { nowMs: Date.UTC(2026, 0, 2), timeScale: 1 };
const by = { adminId: 'admin-1', reason: 'refund' };

describe('admin credit adjustments', () => {
  it('are one ledger entry with who and why', () => {
    const decision = decideCreditAdjustment(crew({ userId: 'u1', name: 'Ann', credits: 500 }), 250, by);
    if ('refused' in decision) throw new Error('refused');
    expect(decision.outcome).toEqual({ before: 500, after: 750, delta: 250 });
    expect(decision.changes.credits).toEqual([{ userId: 'u1', delta: 250, reason: 'admin_adjustment', ref: { admin_id: 'admin-1', note: 'refund' } }]);
  });

  it('never take a balance below zero, nor adjust by 0 or a fraction', () => {
    const ann = crew({ userId: 'u1', name: 'Ann', credits: 100 });
    expect(decideCreditAdjustment(ann, -101, by)).toMatchObject({ refused: { code: 'insufficient_credits', facts: { available: 100, needed: 101 } } });
    expect(decideCreditAdjustment(ann, -100, by)).toMatchObject({ outcome: { after: 0 } });
    expect(decideCreditAdjustment(ann, 0, by)).toMatchObject({ refused: { code: 'invalid_quantity' } });
    expect(decideCreditAdjustment(ann, 1.5, by)).toMatchObject({ refused: { code: 'invalid_quantity' } });
  });
});

describe('admin moves', () => {
  it('move the pilot and its ship without turns, and tell realtime', () => {
    const ann = crew({ userId: 'u1', name: 'Ann', sectorId: 3 });
    const decision = decideAdminMove(ann, { sectorId: 40, regionId: 2, known: false }, at);
    if ('refused' in decision) throw new Error('refused');
    expect(decision.changes.pilots).toEqual([{ userId: 'u1', position: { sectorId: 40, regionId: 2 }, cameFrom: 3 }]);
    expect(decision.changes.ships).toEqual([{ shipId: ann.ship.id, regionId: 2 }]);
    expect(decision.changes.credits).toEqual([]);
    expect(decision.changes.events.map((e) => [e.type, e.topic])).toEqual([
      ['player.moved', 'player:u1'],
      ['sector.departed', 'sector:3'],
      ['sector.arrived', 'sector:40'],
    ]);
  });

  it('refuse a sector that does not exist, or the one the pilot is in', () => {
    const ann = crew({ userId: 'u1', name: 'Ann', sectorId: 3 });
    expect(decideAdminMove(ann, { sectorId: 99_999, regionId: null, known: false }, at)).toMatchObject({ refused: { code: 'sector_not_found' } });
    expect(decideAdminMove(ann, { sectorId: 3, regionId: 1, known: true }, at)).toMatchObject({ refused: { code: 'already_here' } });
  });
});
