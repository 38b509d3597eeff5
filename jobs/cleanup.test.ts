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
    await t.db
      .insertInto('refresh_tokens')
      .values([token(ago(1)), token(ago(24 * 40)), token(new Date(W.getTime() + 3_600_000))])
      .execute();
    const key = (name: string, created: Date) => ({ user_id: pilot.userId, key: name, request_hash: 'h', state: 'done' as const, created_at: created });
    await t.db
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
    await t.db
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
    await t.db
      .insertInto('ranking_snapshots')
      .values([snapshot(ago(7), 'old'), snapshot(ago(5), 'recent'), snapshot(ago(1), 'latest')])
      .execute();
    const tokensBefore = await t.db.selectFrom('refresh_tokens').select('id').where('expires_at', '>=', W).execute();

    const outcome = await runWindow(t, cleanupJob, W);
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { refresh_tokens: 2, idempotency_keys: 1, job_runs: 1, ranking_snapshots: 1 } });
    expect(await t.db.selectFrom('refresh_tokens').select('id').execute()).toEqual(tokensBefore);
    expect((await t.db.selectFrom('idempotency_keys').select('key').execute()).map((k) => k.key)).toEqual(['fresh']);
    const runs = await t.db.selectFrom('job_runs').select(['job', 'window_start', 'status']).orderBy('window_start').orderBy('job').execute();
    expect(runs.map((r) => `${r.job}@${r.window_start.toISOString()}:${r.status}`)).toEqual([
      `npc-traders@${ago(24 * 8).toISOString()}:running`,
      `rankings@${ago(24 * 6).toISOString()}:succeeded`,
      `cleanup@${W.toISOString()}:succeeded`,
    ]);
    expect((await t.db.selectFrom('ranking_snapshots').select('name').orderBy('window_start').execute()).map((s) => s.name)).toEqual(['recent', 'latest']);

    const state = await worldState(t.db);
    await reopenWindow(t.db, 'cleanup', W);
    expect(await runWindow(t, cleanupJob, W)).toMatchObject({
      status: 'succeeded',
      stats: { refresh_tokens: 0, idempotency_keys: 0, job_runs: 0, ranking_snapshots: 0 },
    });
    expect(await worldState(t.db)).toEqual(state);
  });

  it('always keeps the latest snapshot, however old', async () => {
    const later = new Date(W.getTime() + 30 * 24 * 3_600_000);
    expect(await runWindow(t, cleanupJob, later)).toMatchObject({ status: 'succeeded', stats: { ranking_snapshots: 1 } });
    expect((await t.db.selectFrom('ranking_snapshots').select('name').execute()).map((s) => s.name)).toEqual(['latest']);
  });
});
