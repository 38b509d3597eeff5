import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPilot, setCredits } from '../tests/game-helpers.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { reopenWindow, runWindow, worldState } from '../tests/job-helpers.js';
import { npcTradersJob } from './npc-traders.js';
import { rankingsJob } from './rankings.js';

let t: TestApp;
let pilots: Array<{ username: string; token: string; userId: string }>;
beforeAll(async () => {
  t = await createTestApp({ config: { NPC_TRADERS_PER_REGION: '1' } });
  pilots = [];
  for (let i = 0; i < 4; i++) pilots.push(await newPilot(t));
  await Promise.all(pilots.map((p, i) => setCredits(t, p.userId, 10_000 + i * 5_000)));
  await t.region.updateTable('players').set({ experience: 700 }).where('user_id', '=', pilots[0]!.userId).execute();
  // NPC traders are pilots too; the leaderboard leaves them out.
  await runWindow(t, npcTradersJob, new Date('2031-01-01T00:00:00Z'));
});
afterAll(async () => {
  await t.close();
});

const board = async (query: string) => {
  const res = await t.call('GET', `/api/v1/rankings${query}`, { token: pilots[0]!.token });
  expect(res.status).toBe(200);
  return res.body;
};

describe('rankings job', () => {
  it('snapshots what the live leaderboard shows, without NPC traders, and the API then serves the snapshot', async () => {
    const npcs = await t.region.selectFrom('players').select('name').where('npc', '=', true).execute();
    expect(npcs.length).toBeGreaterThan(0);
    const { as_of: liveAsOf, ...liveWorth } = await board('?by=networth&per_page=100');
    const { as_of: _, ...liveExperience } = await board('?by=experience&per_page=100');
    // Before any snapshot the board is computed now, and says so.
    expect(Math.abs(Date.parse(liveAsOf) - Date.now())).toBeLessThan(60_000);
    expect(liveWorth.total).toBe(4);
    expect(liveWorth.entries.map((e: { name: string }) => e.name)).toEqual([...pilots].reverse().map((p) => p.username));

    const W = new Date('2031-01-01T00:15:00Z');
    const outcome = await runWindow(t, rankingsJob, W);
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { ranked: 4 } });
    expect(await board('?by=networth&per_page=100')).toEqual({ ...liveWorth, as_of: W.toISOString() });
    expect(await board('?by=experience&per_page=100')).toEqual({ ...liveExperience, as_of: W.toISOString() });
    expect((await board('?by=experience&per_page=1&page=2')).entries).toEqual([liveExperience.entries[1]]);

    // Until the next window the leaderboard shows the snapshot, not the live credits.
    await setCredits(t, pilots[0]!.userId, 1_000_000);
    expect((await board('?by=networth')).entries[0].name).toBe(pilots[3]!.username);
    await runWindow(t, rankingsJob, new Date('2031-01-01T00:30:00Z'));
    const fresh = await board('?by=networth');
    expect(fresh.as_of).toBe('2031-01-01T00:30:00.000Z');
    expect(fresh.entries[0]).toMatchObject({ position: 1, name: pilots[0]!.username, net_worth: 1_000_000 + 40_000 });
  });

  it('writes nothing when a window that already has its snapshot runs again', async () => {
    const W = new Date('2031-01-01T00:30:00Z');
    const state = await worldState(t.region);
    await reopenWindow(t.region, 'rankings', W);
    expect(await runWindow(t, rankingsJob, W)).toMatchObject({ status: 'succeeded', attempts: 2, stats: { ranked: 0, already_snapshotted: true } });
    expect(await worldState(t.region)).toEqual(state);
  });
});
