import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noChanges } from '../game/changes.js';
import { runAction, type ActionPlan, type Transact } from '../world/action.js';
import { crewsOf, present } from '../world/pilots.js';
import { createTestApp, type TestApp } from './harness.js';
import { ledgerMismatches, newPilot } from './game-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** PostgreSQL's answer to two transactions waiting on each other: one of them is aborted. */
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

/** A transaction that PostgreSQL aborts as a deadlock victim the first `times` times. */
function deadlocking(times: number): { transact: Transact; attempts: () => number } {
  let attempts = 0;
  const transact: Transact = (work) =>
    t.region.transaction().execute(async (trx) => {
      attempts++;
      const result = await work(trx);
      if (attempts <= times) throw deadlock();
      return result;
    });
  return { transact, attempts: () => attempts };
}

function grant(userId: string): ActionPlan<unknown, { granted: number }> {
  return {
    read: async (trx) => present((await crewsOf(trx, [userId], { lock: true }))[0], userId),
    decide: () => {
      const changes = noChanges();
      changes.credits.push({ userId, delta: 7, reason: 'test_grant', ref: {} });
      return { changes, outcome: { granted: 7 } };
    },
    respond: (_scene, outcome) => ({ status: 200, body: outcome }),
  };
}

const credits = async (userId: string) =>
  Number((await t.region.selectFrom('players').select('credits').where('user_id', '=', userId).executeTakeFirstOrThrow()).credits);
const grants = async (userId: string) =>
  (await t.region.selectFrom('credit_ledger').select('id').where('user_id', '=', userId).where('reason', '=', 'test_grant').execute()).length;

describe('an action aborted as a deadlock victim', () => {
  it('runs again and commits once', async () => {
    const pilot = await newPilot(t);
    const before = await credits(pilot.userId);
    const { transact, attempts } = deadlocking(1);
    const world = { region: t.region, outbox: t.outbox, logger: t.logger };
    const result = await runAction(world, grant(pilot.userId), { key: { userId: pilot.userId, key: 'retry-once', requestHash: 'grant' }, transact });
    expect(result).toMatchObject({ status: 200, replayed: false });
    expect(attempts()).toBe(2);
    expect(await credits(pilot.userId)).toBe(before + 7);
    expect(await grants(pilot.userId)).toBe(1);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('gives up after three attempts and writes nothing', async () => {
    const pilot = await newPilot(t);
    const before = await credits(pilot.userId);
    const { transact, attempts } = deadlocking(10);
    const world = { region: t.region, outbox: t.outbox, logger: t.logger };
    await expect(runAction(world, grant(pilot.userId), { transact })).rejects.toMatchObject({ code: '40P01' });
    expect(attempts()).toBe(3);
    expect(await credits(pilot.userId)).toBe(before);
    expect(await grants(pilot.userId)).toBe(0);
  });
});
