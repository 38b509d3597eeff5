import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankingsJob } from '../jobs/rankings.js';
import type { Config } from '../platform/config.js';
import { createApp } from '../platform/http/app.js';
import { bundles } from '../handlers/index.js';
import { newPilot, setCredits } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';
import { jobDeps, reopenWindow, runWindow } from './job-helpers.js';

/**
 * Two regions, each with a database of its own (two in-memory PGlite databases, or two scratch
 * PostgreSQL ones), and the nexus in the first one's accounts tables. Each region's rankings job
 * snapshots its own pilots and publishes them to the nexus; the leaderboards read them merged.
 */
describe('rankings across regions', () => {
  let nexus: TestApp;
  let second: TestApp;
  const W = new Date('2030-01-01T00:15:00Z');
  const EARLIER = new Date('2030-01-01T00:00:00Z');
  const names: Record<string, string> = {};
  let token: string;

  /** A process of region `slug`: the nexus's accounts, that region's database, REGION set. */
  const regionConfig = (slug: string): Config => ({ ...nexus.config, regions: { ...nexus.config.regions, region: slug } });
  const regionJob = (region: TestApp, slug: string, windowStart: Date) =>
    runWindow({ ...jobDeps(nexus), region: region.region, config: regionConfig(slug) }, rankingsJob, windowStart);
  /** GET on an api process of region one in multi-regional mode (or, without `slug`, the single-server app). */
  const get = async (path: string, slug?: string) => {
    const app = slug ? createApp({ ...nexus, config: regionConfig(slug) }, bundles) : nexus.app;
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } }, { incoming: { socket: { remoteAddress: '10.9.8.7' } } });
    expect(res.status).toBe(200);
    return (await res.json()) as { as_of: string; total: number; entries: Array<Record<string, unknown>> };
  };

  beforeAll(async () => {
    nexus = await createTestApp({ config: { RATE_LIMITS: 'false' } });
    second = await createTestApp({ config: { RATE_LIMITS: 'false' } });
    await nexus.accounts
      .insertInto('region_registry')
      .values([
        { id: 1, slug: 'terran', name: 'Terran Space', database_url_env: 'TERRAN_DATABASE_URL' },
        { id: 2, slug: 'nexus', name: 'Central Nexus', database_url_env: 'NEXUS_DATABASE_URL' },
      ])
      .execute();
    // Region one: A and B. Region two: C, D, and B as it is there after crossing the gate (its home now).
    const pilot = async (t: TestApp, key: string, credits: number, experience: number) => {
      const p = await newPilot(t);
      await setCredits(t, p.userId, credits);
      await t.region.updateTable('players').set({ experience }).where('user_id', '=', p.userId).execute();
      names[key] = p.username;
      return p;
    };
    const a = await pilot(nexus, 'A', 500_000, 10);
    const b = await pilot(nexus, 'B', 100_000, 50);
    await pilot(second, 'C', 300_000, 30);
    await pilot(second, 'D', 700_000, 20);
    const arrived = await pilot(second, 'B2', 200_000, 40);
    await second.region.updateTable('players').set({ user_id: b.userId, name: b.username }).where('user_id', '=', arrived.userId).execute();
    await nexus.accounts.insertInto('pilot_homes').values({ user_id: b.userId, region_id: 2, moves: 1 }).execute();
    const team = await nexus.accounts
      .insertInto('teams')
      .values({ name: 'Far Apart', tag: 'FAR', leader_id: a.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await nexus.accounts
      .insertInto('team_members')
      .values([
        { user_id: a.userId, team_id: team.id },
        { user_id: b.userId, team_id: team.id },
      ])
      .execute();
    token = a.token;
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await nexus?.close();
  });

  it('publish each region’s snapshot to the nexus and rank them together, each pilot once, where it lives', async () => {
    expect((await regionJob(nexus, 'terran', W)).stats).toMatchObject({ ranked: 2, published: 2 });
    expect((await regionJob(second, 'nexus', W)).stats).toMatchObject({ ranked: 3, published: 3 });

    const worth = await get('/api/v1/rankings?by=networth', 'terran');
    expect(worth.as_of).toBe(W.toISOString());
    expect(worth.total).toBe(4);
    expect(worth.entries.map((e) => [e.position, e.name])).toEqual([
      [1, names.D],
      [2, names.A],
      [3, names.C],
      [4, names.B],
    ]);
    const byExperience = await get('/api/v1/rankings?by=experience&per_page=2&page=2', 'terran');
    // B 40 (its region-two row), C 30, D 20, A 10.
    expect(byExperience.entries.map((e) => [e.position, e.name, e.experience])).toEqual([
      [3, names.D, 20],
      [4, names.A, 10],
    ]);

    // The team's B is counted as region two has it.
    const teams = await get('/api/v1/rankings/teams', 'terran');
    const bWorth = worth.entries.find((e) => e.name === names.B)!.net_worth as number;
    const aWorth = worth.entries.find((e) => e.name === names.A)!.net_worth as number;
    expect(teams.entries).toEqual([expect.objectContaining({ name: 'Far Apart', members: 2, net_worth: aWorth + bWorth, experience: 50 })]);
  });

  it('leave the nexus alone on a re-run and on an older window; single-server mode reads only its own snapshot', async () => {
    const before = await get('/api/v1/rankings', 'terran');
    // As if the leader died after both writes but before recording the window done.
    await reopenWindow(nexus.region, 'rankings', W);
    expect((await regionJob(nexus, 'terran', W)).stats).toMatchObject({ already_snapshotted: true, published: 0 });
    expect((await regionJob(nexus, 'terran', EARLIER)).stats).toMatchObject({ ranked: 2, published: 0 });
    expect(await get('/api/v1/rankings', 'terran')).toEqual(before);

    const own = await get('/api/v1/rankings');
    expect(own.entries.map((e) => e.name)).toEqual([names.A, names.B]);
  });
});
