import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { spawnRole } from './spawn-role.js';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newPilot } from './game-helpers.js';
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
  t.db.selectFrom('job_runs').selectAll().where('job', '=', job).where('trigger', '!=', 'manual').orderBy('window_start').execute();
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
      GAME_TIME_SCALE: '3600', // market-drift and npc-traders every second
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

    const periods: Record<string, number> = { 'outbox-relay': 1_000, 'market-drift': 1_000, 'npc-traders': 1_000, rankings: 1_000, cleanup: 2_000 };
    for (const [job, period] of Object.entries(periods)) {
      const runs = (await runsOf(t, job)).filter((r) => r.status !== 'running');
      expect(runs.length, job).toBeGreaterThanOrEqual(job === 'cleanup' ? 2 : 4);
      for (const run of runs) expect(run, job).toMatchObject({ status: 'succeeded', attempts: 1, owner: leader.owner });
      const starts = runs.map((r) => r.window_start.getTime());
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!, `${job} windows follow each other`).toBe(period);
    }

    // What the windows did, also exactly once: one ranking snapshot per window, one leg per trader per window.
    const rankingRuns = (await runsOf(t, 'rankings')).filter((r) => r.status === 'succeeded');
    const snapshots = await t.db
      .selectFrom('ranking_snapshots')
      .select(['window_start', (eb) => eb.fn.countAll<number>().as('pilots')])
      .groupBy('window_start')
      .execute();
    const pilotsBySnapshot = new Map(snapshots.map((s) => [s.window_start.getTime(), Number(s.pilots)]));
    for (const run of rankingRuns) {
      expect(run.stats).toEqual({ ranked: 2, already_snapshotted: false });
      expect(pilotsBySnapshot.get(run.window_start.getTime())).toBe(2);
    }
    const doubled = await sql<{ n: number }>`
      select count(*)::int as n from (
        select user_id, ref->>'window', reason from credit_ledger
        where reason in ('trade_buy', 'trade_sell', 'npc_upkeep') group by 1, 2, 3 having count(*) > 1) twice`.execute(t.db);
    expect(doubled.rows[0]!.n).toBe(0);
    const legs = await t.db.selectFrom('npc_traders').select('legs').execute();
    const npcWindows = (await runsOf(t, 'npc-traders')).filter((r) => r.status === 'succeeded').length;
    expect(legs.length).toBe(4);
    // Every trader flew once in each finished window (and maybe already in the one under way).
    for (const trader of legs) expect([npcWindows, npcWindows + 1]).toContain(trader.legs);

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
    const regions = await sql<{ n: number }>`select count(distinct region_id)::int as n from ports where port_class between 1 and 8`.execute(t.db);
    const traders = regions.rows[0]!.n * perRegion;

    // Catch a npc-traders window part-way: some traders have acted in it, not all.
    const caught = await until(
      'an npc-traders window in progress',
      async () => {
        const run = (await runsOf(t, 'npc-traders')).find((r) => r.status === 'running');
        if (!run) return undefined;
        const acted = await t.db
          .selectFrom('npc_traders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('acted_window', '=', run.window_start)
          .executeTakeFirstOrThrow();
        const n = Number(acted.n);
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
      const row = await t.db
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
    const acted = await t.db.selectFrom('npc_traders').select('acted_window').where('slot', '<', perRegion).execute();
    expect(acted).toHaveLength(traders);
    expect(acted.every((r) => r.acted_window !== null && r.acted_window.getTime() >= window.getTime())).toBe(true);
    const perTrader = await sql<{ user_id: string; buys: number; sells: number; upkeeps: number }>`
      select user_id,
        count(*) filter (where reason = 'trade_buy')::int as buys,
        count(*) filter (where reason = 'trade_sell')::int as sells,
        count(*) filter (where reason = 'npc_upkeep')::int as upkeeps
      from credit_ledger where ref->>'window' = ${window.toISOString()} group by user_id`.execute(t.db);
    expect(perTrader.rows.filter((r) => r.buys > 1 || r.sells > 1 || r.upkeeps > 1)).toEqual([]);
    expect(perTrader.rows.filter((r) => r.buys === 1).length).toBeGreaterThan(caught.acted);
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
    const row = await t.db
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
