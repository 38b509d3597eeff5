import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPilot } from '../tests/game-helpers.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { reopenWindow, runWindow, worldState } from '../tests/job-helpers.js';
import { cleanupJob } from './cleanup.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

// A day from now: the registration's refresh token (30 days) is still good then.
const W = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000);
const ago = (hours: number) => new Date(W.getTime() - hours * 3_600_000);

describe('cleanup job', () => {
  it('deletes expired tokens, day-old idempotency keys, week-old job runs and superseded snapshots, and keeps the rest', async () => {
    const pilot = await newPilot(t);
    const token = (expires: Date) => ({ family_id: randomUUID(), user_id: pilot.userId, token_hash: randomBytes(16).toString('hex'), expires_at: expires });
    await t.accounts
      .insertInto('refresh_tokens')
      .values([token(ago(1)), token(ago(24 * 40)), token(new Date(W.getTime() + 3_600_000))])
      .execute();
    const key = (name: string, created: Date) => ({
      user_id: pilot.userId,
      key: name,
      request_hash: 'h',
      response_status: 200,
      response_text: '{}',
      created_at: created,
    });
    await t.region
      .insertInto('idempotency_keys')
      .values([key('old', ago(25)), key('fresh', ago(23))])
      .execute();
    const run = (job: string, window: Date, status: 'running' | 'succeeded') => ({
      job,
      window_start: window,
      status,
      trigger: 'schedule' as const,
      owner: 'someone',
      lease_expires_at: window,
    });
    await t.region
      .insertInto('job_runs')
      .values([run('rankings', ago(24 * 8), 'succeeded'), run('rankings', ago(24 * 6), 'succeeded'), run('npc-traders', ago(24 * 8), 'running')])
      .execute();
    const snapshot = (window: Date, name: string) => ({
      window_start: window,
      user_id: pilot.userId,
      name,
      net_worth: 1,
      experience: 0,
      networth_position: 1,
      experience_position: 1,
    });
    await t.region
      .insertInto('ranking_snapshots')
      .values([snapshot(ago(7), 'old'), snapshot(ago(5), 'recent'), snapshot(ago(1), 'latest')])
      .execute();
    const log = randomUUID();
    await t.region
      .insertInto('combat_logs')
      .values({
        id: log,
        region_id: 1,
        sector_id: 50,
        attacker_user_id: pilot.userId,
        defender_user_id: pilot.userId,
        attacker_name: 'a',
        defender_name: 'b',
        seed: 's',
        result: 'destroyed',
        detail: '{}',
      })
      .execute();
    const wreck = (victim: string, expires: Date) => ({
      id: randomUUID(),
      region_id: 1,
      sector_id: 50,
      victim_name: victim,
      combat_log_id: log,
      cargo_ore: 5,
      expires_at: expires,
    });
    await t.region
      .insertInto('wrecks')
      .values([wreck('gone', ago(1)), wreck('drifting', new Date(W.getTime() + 3_600_000))])
      .execute();
    const tokensBefore = await t.accounts.selectFrom('refresh_tokens').select('id').where('expires_at', '>=', W).execute();

    const outcome = await runWindow(t, cleanupJob, W);
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { refresh_tokens: 2, idempotency_keys: 1, job_runs: 1, ranking_snapshots: 1, wrecks: 1 } });
    expect((await t.region.selectFrom('wrecks').select('victim_name').execute()).map((w) => w.victim_name)).toEqual(['drifting']);
    expect(await t.region.selectFrom('combat_logs').select('id').where('id', '=', log).execute()).toHaveLength(1);
    expect(await t.accounts.selectFrom('refresh_tokens').select('id').execute()).toEqual(tokensBefore);
    expect((await t.region.selectFrom('idempotency_keys').select('key').execute()).map((k) => k.key)).toEqual(['fresh']);
    const runs = await t.region.selectFrom('job_runs').select(['job', 'window_start', 'status']).orderBy('window_start').orderBy('job').execute();
    expect(runs.map((r) => `${r.job}@${r.window_start.toISOString()}:${r.status}`)).toEqual([
      `npc-traders@${ago(24 * 8).toISOString()}:running`,
      `rankings@${ago(24 * 6).toISOString()}:succeeded`,
      `cleanup@${W.toISOString()}:succeeded`,
    ]);
    expect((await t.region.selectFrom('ranking_snapshots').select('name').orderBy('window_start').execute()).map((s) => s.name)).toEqual(['recent', 'latest']);

    const state = await worldState(t.region);
    await reopenWindow(t.region, 'cleanup', W);
    expect(await runWindow(t, cleanupJob, W)).toMatchObject({
      status: 'succeeded',
      stats: { refresh_tokens: 0, idempotency_keys: 0, job_runs: 0, ranking_snapshots: 0, wrecks: 0 },
    });
    expect(await worldState(t.region)).toEqual(state);
  });

  it('always keeps the latest snapshot, however old', async () => {
    const later = new Date(W.getTime() + 30 * 24 * 3_600_000);
    expect(await runWindow(t, cleanupJob, later)).toMatchObject({ status: 'succeeded', stats: { ranking_snapshots: 1 } });
    expect((await t.region.selectFrom('ranking_snapshots').select('name').execute()).map((s) => s.name)).toEqual(['latest']);
  });
});
