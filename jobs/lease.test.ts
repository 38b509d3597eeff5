import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { ManualClock } from './clock.js';
import { LeaderLease } from './lease.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('leader lease', () => {
  it('has one holder at a time; another takes it once it expires, or at once when released', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 12));
    const a = new LeaderLease(t.region, 'lease-test', 'a', 1_000, clock);
    const b = new LeaderLease(t.region, 'lease-test', 'b', 1_000, clock);
    expect(await a.acquireOrRenew()).toBe(true);
    expect(a.held).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    expect(b.held).toBe(false);
    expect(await a.acquireOrRenew()).toBe(true);

    // Just inside the lease nothing changes hands; just past it, it does.
    await clock.advance(999);
    expect(a.held).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    await clock.advance(2);
    expect(a.held).toBe(false);
    expect(await b.acquireOrRenew()).toBe(true);
    expect(await a.acquireOrRenew()).toBe(false);
    const row = await t.region.selectFrom('job_leases').selectAll().where('name', '=', 'lease-test').executeTakeFirstOrThrow();
    expect(row.owner).toBe('b');
    expect(row.expires_at.getTime()).toBe(clock.now() + 1_000);

    await b.release();
    expect(b.held).toBe(false);
    expect(await a.acquireOrRenew()).toBe(true);
  });
});
