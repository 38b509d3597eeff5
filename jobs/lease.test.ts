import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../tests/harness.js';
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
    const a = new LeaderLease(t.db, 'lease-test', 'a', 1_000);
    const b = new LeaderLease(t.db, 'lease-test', 'b', 1_000);
    expect(await a.acquireOrRenew()).toBe(true);
    expect(a.held).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    expect(b.held).toBe(false);
    expect(await a.acquireOrRenew()).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(a.held).toBe(false);
    expect(await b.acquireOrRenew()).toBe(true);
    expect(await a.acquireOrRenew()).toBe(false);
    const row = await t.db.selectFrom('job_leases').selectAll().where('name', '=', 'lease-test').executeTakeFirstOrThrow();
    expect(row.owner).toBe('b');

    await b.release();
    expect(b.held).toBe(false);
    expect(await a.acquireOrRenew()).toBe(true);
  });
});
