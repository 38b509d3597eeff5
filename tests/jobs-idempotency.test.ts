import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../jobs/index.js';
import { periodMs, windowStartOf } from '../jobs/windows.js';
import { recordEvents } from './game-helpers.js';
import { findTradingPort, newPilot, placePilot } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';
import { jobDeps, reopenWindow, runWindow, worldState } from './job-helpers.js';

/**
 * Every job, run twice for the same window, changes nothing the second time: not when the
 * runner sees the window is done, and not when the job body itself runs again (as after a
 * takeover of a window whose first owner had in fact finished its work).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { NPC_TRADERS_PER_REGION: '2' } });
  // Work for every job: pilots who traded, events nobody published, expired leftovers.
  for (let i = 0; i < 3; i++) {
    const pilot = await newPilot(t);
    const port = await findTradingPort(t);
    await placePilot(t, pilot.userId, port.sector_id);
    const res = await t.call('POST', '/api/v1/trade/buy', { token: pilot.token, body: { good: port.sells, quantity: 3 } });
    expect(res.status).toBe(200);
    await t.accounts
      .insertInto('refresh_tokens')
      .values({ family_id: randomUUID(), user_id: pilot.userId, token_hash: randomBytes(16).toString('hex'), expires_at: new Date(Date.now() - 60_000) })
      .execute();
    await t.region
      .insertInto('idempotency_keys')
      .values({
        user_id: pilot.userId,
        key: `old-${i}`,
        request_hash: 'h',
        response_status: 200,
        response_text: '{}',
        created_at: new Date(Date.now() - 2 * 86_400_000),
      })
      .execute();
  }
  // A colony nobody touched for two game days, and a citadel build that is done (planet-production writes both down).
  const settler = await newPilot(t);
  await t.region
    .insertInto('planets')
    .values({
      sector_id: 20,
      region_id: 1,
      name: 'Idle colony',
      planet_type: 'desert',
      owner_user_id: settler.userId,
      colonists: 500,
      alloc_ore: 100,
      building_level: 1,
      build_done_at: new Date(Date.now() - 60_000),
      anchor_at: new Date(Date.now() - 2 * 86_400_000),
    })
    .execute();
  await recordEvents(t.region, [{ topic: 'global', type: 'test.orphan', data: {} }]);
  // A treasury deposit a crash left pending (team-transfers finishes it).
  const member = await newPilot(t);
  const team = await t.accounts
    .insertInto('teams')
    .values({ name: `Jobs ${randomBytes(3).toString('hex')}`, tag: `J${randomBytes(2).toString('hex')}`, leader_id: member.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.accounts.insertInto('team_members').values({ user_id: member.userId, team_id: team.id }).execute();
  await t.accounts
    .insertInto('team_transfers')
    .values({ team_id: team.id, user_id: member.userId, kind: 'deposit', amount: 100, created_at: new Date(Date.now() - 60_000) })
    .execute();
});
afterAll(async () => {
  await t.close();
});

describe('every job', () => {
  it.each(JOBS.map((job) => [job.name, job] as const))('%s: a second run of the same window changes nothing', async (_name, job) => {
    const deps = jobDeps(t);
    // A window a few game hours ahead, so drift and relay grace have something to act on.
    const W = windowStartOf(Date.now() + 3 * 3_600_000, periodMs(job, t.config));
    const first = await runWindow(deps, job, W);
    expect(first.status).toBe('succeeded');
    const didWork = Object.values(first.stats ?? {}).some((v) => typeof v === 'number' && v > 0);
    expect(didWork, JSON.stringify(first.stats)).toBe(true);

    const state = await worldState(t.region);
    const runs = await t.region.selectFrom('job_runs').selectAll().orderBy('job').orderBy('window_start').execute();
    expect((await runWindow(deps, job, W, 'second-leader')).status).toBe('skipped');
    expect(await worldState(t.region)).toEqual(state);
    expect(await t.region.selectFrom('job_runs').selectAll().orderBy('job').orderBy('window_start').execute()).toEqual(runs);

    await reopenWindow(t.region, job.name, W);
    const again = await runWindow(deps, job, W, 'second-leader');
    expect(again).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await worldState(t.region)).toEqual(state);
  });
});
