import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { nextGameHour, reopenWindow, runWindow, worldState } from '../tests/job-helpers.js';
import { marketDriftJob } from './market-drift.js';
import { driftedGood as driftedAt } from '../world/sector-view.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const goods = () => t.region.selectFrom('port_goods').selectAll().orderBy('port_id').orderBy('good').execute();

describe('market-drift job', () => {
  it('writes down the drift of untouched port goods up to the window start, and nothing on a re-run', async () => {
    const W = new Date(nextGameHour(1) + 3 * 3_600_000);
    // One good a player traded after the window start: the job must leave it alone.
    const [touched] = await goods();
    await t.region
      .updateTable('port_goods')
      .set({ stock: 1, anchor_at: new Date(W.getTime() + 60_000) })
      .where('port_id', '=', touched!.port_id)
      .where('good', '=', touched!.good)
      .execute();
    const before = await goods();

    const outcome = await runWindow(t, marketDriftJob, W);
    expect(outcome.status).toBe('succeeded');
    const after = await goods();
    let changed = 0;
    after.forEach((row, i) => {
      const old = before[i]!;
      if (old.fixed_price || old.anchor_at.getTime() >= W.getTime()) {
        expect(row).toEqual(old);
        return;
      }
      const expected = driftedAt(old, W.getTime(), 1);
      expect(row.stock).toBe(expected.stock);
      if (row.stock !== old.stock) {
        changed++;
        expect(row.anchor_at.getTime()).toBe(expected.anchorMs);
        // What a player reading the port at the window start sees: no second helping of drift.
        expect(driftedAt(row, W.getTime(), 1).stock).toBe(row.stock);
      }
    });
    expect(changed).toBeGreaterThan(10);
    expect(outcome.stats).toMatchObject({ updated: changed });
    expect(after.find((r) => r.port_id === touched!.port_id && r.good === touched!.good)?.stock).toBe(1);

    const state = await worldState(t.region);
    await reopenWindow(t.region, 'market-drift', W);
    const again = await runWindow(t, marketDriftJob, W);
    expect(again).toMatchObject({ status: 'succeeded', attempts: 2, stats: { updated: 0 } });
    expect(await worldState(t.region)).toEqual(state);
  });
});
