import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { spawnRole } from './spawn-role.js';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newPilot } from './game-helpers.js';
import { npcLegEntries, npcLegsFlown } from './job-helpers.js';
import { createTestApp, TEST_SECRET, testBackends, type TestApp } from './harness.js';

/**
 * `sectorwars jobs` as real processes on this run's PostgreSQL: two replicas share the work
 * through the leader lease, and a leader killed mid-window is replaced within the lease.
 */
const { databaseUrl, redisUrl, redisPrefix } = testBackends();
const LEASE_SECONDS = 2;

interface JobsProcess {
  child: ChildProcess;
  port: number;
  lines: string[];
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Start `sectorwars jobs` on the test app's database; resolves once it serves its health port. */
async function startJobs(t: TestApp, env: Record<string, string>): Promise<JobsProcess> {
  const role = await spawnRole('jobs', {
    DATABASE_URL: t.config.databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: t.config.redisPrefix,
    JWT_SECRET: TEST_SECRET,
    JOBS_LEASE_SECONDS: String(LEASE_SECONDS),
    ...env,
  });
  children.push(role.child);
  return role;
}

const health = async (p: JobsProcess) => (await (await fetch(`http://127.0.0.1:${p.port}/healthz`)).json()) as { leader: boolean; owner: string };
const runsOf = (t: TestApp, job: string) =>
  t.region.selectFrom('job_runs').selectAll().where('job', '=', job).where('trigger', '!=', 'manual').orderBy('window_start').execute();
const pidOf = (owner: string) => Number(owner.split(':').at(-2));

describe.runIf(databaseUrl)('jobs processes', () => {
  // Each test on its own copy of the test galaxy.
  let t: TestApp;
  beforeEach(async () => {
    // A bus prefix of its own, so these processes' events reach no other file's subscribers.
    t = await createTestApp({ config: { REDIS_PREFIX: `${redisPrefix}jobs-${randomBytes(3).toString('hex')}:` } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('two processes started together: one leads, and every window of every job runs exactly once', async () => {
    const env = {
      // market-drift and npc-traders every 2 s: a loaded CI machine took longer than 2 s for one
      // window at 1 s, and a run that outlasts two windows goes on to the current one.
      GAME_TIME_SCALE: '3600',
      JOB_MARKET_DRIFT_EVERY: '2h',
      JOB_NPC_TRADERS_EVERY: '2h',
      JOB_OUTBOX_RELAY_EVERY: '1s',
      JOB_RANKINGS_EVERY: '1s',
      JOB_CLEANUP_EVERY: '2s',
      NPC_TRADERS_PER_REGION: '2',
    };
    await newPilot(t);
    await newPilot(t);
    const [a, b] = await Promise.all([startJobs(t, env), startJobs(t, env)]);
    await sleep(6_000);

    const [ha, hb] = await Promise.all([health(a), health(b)]);
    expect([ha.leader, hb.leader].filter(Boolean)).toHaveLength(1);
    const leader = ha.leader ? ha : hb;
    const metrics = await (await fetch(`http://127.0.0.1:${(ha.leader ? a : b).port}/metrics`)).text();
    expect(metrics).toMatch(/^sectorwars_jobs_leader\{role="jobs"\} 1$/m);
    expect(metrics).toMatch(/sectorwars_job_runs_total\{job="npc-traders",status="succeeded",role="jobs"\} \d+/);

    const periods: Record<string, number> = { 'outbox-relay': 1_000, 'market-drift': 2_000, 'npc-traders': 2_000, rankings: 1_000, cleanup: 2_000 };
    for (const [job, period] of Object.entries(periods)) {
      const runs = (await runsOf(t, job)).filter((r) => r.status !== 'running');
      expect(runs.length, job).toBeGreaterThanOrEqual(period === 2_000 ? 2 : 4);
      for (const run of runs) expect(run, job).toMatchObject({ status: 'succeeded', attempts: 1, owner: leader.owner });
      const starts = runs.map((r) => r.window_start.getTime());
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!, `${job} windows follow each other`).toBe(period);
    }

    // What the windows did, also exactly once: one ranking snapshot per window, one leg per trader per window.
    const rankingRuns = (await runsOf(t, 'rankings')).filter((r) => r.status === 'succeeded');
    const snapshots = await t.region
      .selectFrom('ranking_snapshots')
      .select(['window_start', (eb) => eb.fn.countAll<number>().as('pilots')])
      .groupBy('window_start')
      .execute();
    const pilotsBySnapshot = new Map(snapshots.map((s) => [s.window_start.getTime(), Number(s.pilots)]));
    for (const run of rankingRuns) {
      expect(run.stats).toEqual({ ranked: 2, already_snapshotted: false });
      expect(pilotsBySnapshot.get(run.window_start.getTime())).toBe(2);
    }
    // Every trader flew once in each finished window (a leg's key is unique per trader and window),
    // and no leg booked the same entry twice (one sale per good, one purchase, one upkeep).
    const finished = (await runsOf(t, 'npc-traders')).filter((r) => r.status === 'succeeded');
    const traders = await t.region.selectFrom('npc_traders').select('user_id').execute();
    expect(traders.length).toBe(4);
    for (const run of finished) {
      expect(await npcLegsFlown(t.region, run.window_start)).toBe(4);
      const entries = await npcLegEntries(t.region, run.window_start);
      const kinds = entries.map((e) => `${e.user_id}:${e.reason}:${(e.ref as { good?: string }).good ?? ''}`);
      expect(new Set(kinds).size).toBe(kinds.length);
    }

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
  }, 30_000);

  it('a leader killed mid-window is replaced within the lease, and the interrupted window is completed exactly once', async () => {
    const perRegion = 60;
    const env = {
      GAME_TIME_SCALE: '1200', // a game hour is 3 s
      NPC_TRADERS_PER_REGION: String(perRegion),
    };
    const [a, b] = await Promise.all([startJobs(t, env), startJobs(t, env)]);
    const processes = [a, b];
    const regions = await sql<{ n: number }>`select count(distinct region_id)::int as n from ports where port_class between 1 and 8`.execute(t.region);
    const traders = regions.rows[0]!.n * perRegion;

    // Catch a npc-traders window part-way: some traders have acted in it, not all.
    const caught = await until(
      'an npc-traders window in progress',
      async () => {
        const run = (await runsOf(t, 'npc-traders')).find((r) => r.status === 'running');
        if (!run) return undefined;
        const n = await npcLegsFlown(t.region, run.window_start);
        return n > 0 && n < traders ? { run, acted: n } : undefined;
      },
      20_000,
    );
    const victim = processes.find((p) => p.child.pid === pidOf(caught.run.owner))!;
    const survivor = processes.find((p) => p !== victim)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();

    const finished = await until('the interrupted window to be finished by the survivor', async () => {
      const row = await t.region
        .selectFrom('job_runs')
        .selectAll()
        .where('job', '=', 'npc-traders')
        .where('window_start', '=', caught.run.window_start)
        .executeTakeFirstOrThrow();
      return row.status === 'succeeded' ? row : undefined;
    });
    // The survivor claims the window once the dead leader's lease has run out: within the lease, plus a lease tick.
    const tookOverAfterMs = finished.started_at.getTime() - killedAt;
    expect(tookOverAfterMs).toBeLessThanOrEqual(LEASE_SECONDS * 1_000 + 1_500);
    expect(finished).toMatchObject({ attempts: 2, trigger: 'recovery' });
    expect(pidOf(finished.owner)).toBe(survivor.child.pid);
    expect((await health(survivor)).leader).toBe(true);

    // Every trader acted in the interrupted window, and none of them twice.
    const window = caught.run.window_start;
    expect(await npcLegsFlown(t.region, window)).toBe(traders);
    const entries = await npcLegEntries(t.region, window);
    const count = (userId: string, reason: string) => entries.filter((e) => e.user_id === userId && e.reason === reason).length;
    const byTrader = [...new Set(entries.map((e) => e.user_id))];
    expect(byTrader.filter((id) => count(id, 'trade_buy') > 1 || count(id, 'npc_upkeep') > 1)).toEqual([]);
    expect(byTrader.filter((id) => count(id, 'trade_buy') === 1).length).toBeGreaterThan(caught.acted);
    survivor.child.kill('SIGTERM');
  }, 30_000);

  it('`jobs --once <job>` runs one window now and reports it; an unknown job is refused', async () => {
    const once = (job: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/sectorwars.js', 'jobs', '--once', job], {
          env: {
            ...process.env,
            DATABASE_URL: t.config.databaseUrl,
            REDIS_URL: redisUrl ?? '',
            REDIS_PREFIX: t.config.redisPrefix,
            JWT_SECRET: TEST_SECRET,
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        let out = '';
        let err = '';
        child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const ran = await once('rankings');
    expect(ran.code).toBe(0);
    const outcome = JSON.parse(ran.out.trim().split('\n').at(-1)!) as { job: string; status: string; windowStart: string };
    expect(outcome).toMatchObject({ job: 'rankings', status: 'succeeded' });
    const row = await t.region
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'rankings')
      .where('window_start', '=', new Date(outcome.windowStart))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ trigger: 'manual', status: 'succeeded' });

    const refused = await once('make-money');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('unknown job "make-money"');
  }, 30_000);
});
