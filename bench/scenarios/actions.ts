import path from 'node:path';
import pg from 'pg';
import { DEFAULT_DATABASE_POOL_SIZE } from '../../platform/config.js';
import { HULLS } from '../../game/catalog/hulls.js';
import { NEW_PILOT } from '../../game/catalog/new-pilot.js';
import { TURN_POOL } from '../../game/catalog/turns.js';
import { createRandom } from '../../game/random.js';
import { type PgbenchResult, runPgbench } from '../baselines/pgbench.js';
import { countStatements, type StatementProbe, type StatementStats } from '../baselines/statements.js';
import { openRawSqlTarget, RawSqlPlayer, seedRawPilots } from '../baselines/raw-sql.js';
import type { LinePanel, LineSeries } from '../chart.js';
import { GameApi, HttpDriver, type Session, SpreadDriver } from '../game-api.js';
import { HttpPlayer } from '../http-player.js';
import { interrupt } from '../interrupt.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import { type Registered, registerPlayers } from '../players.js';
import { mapLimit } from '../concurrency.js';
import { RegionRouter } from '../region-router.js';
import { openRegionalTarget, type RegionalTarget } from '../regional-target.js';
import { placeAtGate } from '../shards.js';
import { CpuMeter, freePort, type MachineCpu, spawnScript, waitForHttp, type Child, REPO_ROOT } from '../processes.js';
import type { Progress } from '../progress.js';
import type { BenchReport, Table, TargetCheck } from '../report.js';
import { Samples, Tally, Timeline, ratio, round, type LatencySummary, type WindowStat } from '../stats.js';
import { baselineDatabase, openTarget, type Target } from '../target.js';
import { ACTION_MIX, ACTION_NAMES, LoadRecorder, drivePlayers, newKnowledge, type Knowledge, type PlayerDriver } from '../virtual-player.js';
import type { Random } from '../../game/random.js';

/** What one load phase (the api, or a baseline) measured. */
export interface PhaseResult {
  name: string;
  /** in a load curve: how many players drove it */
  players?: number;
  seconds: number;
  /** completed actions (2xx and game-outcome 409s) per second */
  per_second: number;
  latency_ms: LatencySummary;
  completed: number;
  outcomes: number;
  errors: number;
  server_errors: number;
  cpu: ReturnType<CpuMeter['read']>;
  timeline: WindowStat[];
  /** what PostgreSQL ran in the measured window, per action (pg_stat_statements) */
  statements?: StatementStats | { skipped: string };
}

export async function runActions(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const logDir = path.join(options.out, 'logs');
  const profileDir = options.profile ? path.join(options.out, 'profiles') : undefined;
  const twoRegions = options.regions === 2;
  const target: Target | RegionalTarget =
    twoRegions && !options.target
      ? await openRegionalTarget({ logDir, profileDir, seed: options.seed, onStep: (m) => progress.step(m) })
      : await openTarget({
          url: options.target,
          logDir,
          profileDir,
          seed: options.seed,
          embedded: options.embedded,
          apiProcesses: options.apiProcesses,
          onStep: (m) => progress.step(m),
        });
  try {
    const http = transportFor(target, options);
    const api = new GameApi(http);
    const everyone = Math.max(options.players, ...options.curve);
    progress.step(`registering ${everyone} players on ${target.baseUrl}`);
    const registered = await registerPlayers(api, everyone, { runId: target.runId, concurrency: 4, progress });
    const spread = twoRegions ? await spreadOverRegions(target, api, registered, progress) : undefined;

    progress.step(`actions: ${options.players} players for ${options.warmup} s warm-up + ${options.duration} s`);
    const players = registered.sessions.map((session, i) => ({
      driver: new HttpPlayer(api, session, `${target.runId}-${i}`) as PlayerDriver,
      knowledge: newKnowledge(registered.states[i]!),
      rng: createRandom(`${options.seed}/player/${i}`),
      ...(session.region ? { region: session.region } : {}),
    }));
    const servers =
      target.kind === 'regions'
        ? target.children.map((c) => ({ name: c.name, pid: c.pid }))
        : target.apis.map(({ child }) => ({ name: child.name, pid: child.pid }));
    const apiRecorder = await loadPhase(
      'api',
      players.slice(0, options.players),
      options,
      progress,
      servers,
      target.kind === 'regions' ? undefined : target.databaseUrl,
    );
    // The curve: the same players, the first N of them, one phase per count (each keeps what it learnt).
    const curve: PhaseResult[] = [];
    for (const n of [...new Set(options.curve)].sort((x, y) => x - y)) {
      if (interrupt.requested) break;
      progress.step(`curve: ${n} players`);
      curve.push({ ...(await loadPhase(`api_${n}`, players.slice(0, n), options, progress, servers)).result, players: n });
    }
    if (spread) {
      spread.end = regionCounts(registered.sessions.slice(0, options.players));
      if (http instanceof RegionRouter) spread.answers = http.answers.toJSON();
    }
    api.dispose(registered.sessions);
    await http.close();

    const baselines: Record<string, PhaseResult | PgbenchResult | { skipped: string }> = {};
    if (options.baselines) {
      baselines.raw_sql = await rawSqlBaseline(target, options, progress, logDir);
      baselines.pgbench = await pgbenchBaseline(target, options, progress);
      baselines.hono_hello = await helloBaseline(options, progress, logDir);
    }
    return actionsReport(options, target, startedAt, registered, apiRecorder, baselines, curve, spread);
  } finally {
    progress.step('stopping the target');
    await target.close();
  }
}

interface PhaseRecord {
  result: PhaseResult;
  recorder: LoadRecorder;
  /** multi-regional mode: the same phase counted by the region each action was sent to */
  regions: PhaseResult[];
}

type Player = { driver: PlayerDriver; knowledge: Knowledge; rng: Random; region?: () => string };

/** Where the players' calls go: one origin, or (two regions) each player's region, through the region router. */
function transportFor(target: Target, options: BenchOptions): HttpDriver | SpreadDriver | RegionRouter {
  if (options.regions !== 2 && target.apis.length > 1) {
    // each origin the connections its share of players needs
    return new SpreadDriver(target.apis.map(({ url }) => new HttpDriver(url, Math.ceil(options.connections / target.apis.length))));
  }
  if (options.regions !== 2) return new HttpDriver(target.baseUrl, options.connections);
  if (target.kind === 'regions') {
    return RegionRouter.direct(
      (target as RegionalTarget).regions.map((r) => ({ slug: r.slug, apiUrl: r.apiUrl })),
      options.connections,
    );
  }
  // A stack behind nginx: the start region unprefixed, every region under its base_path.
  return RegionRouter.gateway(target.baseUrl, 'terran', options.connections);
}

/** How many of these players are in each region now. */
function regionCounts(sessions: Session[]): Record<string, number> {
  const counts = new Tally();
  for (const s of sessions) counts.add(s.region?.() ?? 'terran');
  return counts.toJSON();
}

interface Spread {
  /** players sent through the gate before the measured phase */
  sent: number;
  start: Record<string, number>;
  end?: Record<string, number>;
  /** wire answers the region router counted: wrong_region, in_transit, followed, gate_in_transit */
  answers?: Record<string, number>;
  note?: string;
}

/**
 * Half the players (every second one) go to the Central Nexus before the load starts: placed at
 * the gate through the database (position only), then a real crossing through the api. A stack
 * given with --target has no database the bench can reach: there every player starts in Terran
 * Space and crosses only if its wandering takes it through the gate.
 */
async function spreadOverRegions(target: Target, api: GameApi, registered: Registered, progress: Progress): Promise<Spread> {
  if (target.kind !== 'regions') {
    return {
      sent: 0,
      start: regionCounts(registered.sessions),
      note: 'The --target stack has no database the bench can reach, so no players were placed at the gate: all started in Terran Space and crossed only where they wandered through it.',
    };
  }
  const { shards } = target as RegionalTarget;
  const half = registered.sessions.map((s, i) => ({ s, i })).filter(({ i }) => i % 2 === 1);
  await placeAtGate(
    shards,
    half.map(({ s }) => s.userId),
  );
  progress.step(`sending ${half.length} players through the gate (sector ${shards.gate.terran} ⇄ ${shards.gate.nexus})`);
  await mapLimit(half, 8, async ({ s, i }) => {
    const moved = await api.move(s, shards.gate.nexus);
    if (moved.status !== 200) throw new Error(`${s.username} could not cross the gate: ${moved.status} ${moved.code}`);
    // Still crossing (202): the region's state answers once the sweeper has landed it.
    for (let tries = 0; ; tries++) {
      const state = await api.state(s);
      if (state.status === 200) {
        registered.states[i] = state.body;
        return;
      }
      if (tries > 120) throw new Error(`${s.username} never landed in the Central Nexus: ${state.status} ${state.code}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  const start = regionCounts(registered.sessions);
  progress.done(
    `players by region: ${Object.entries(start)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')}`,
  );
  return { sent: half.length, start };
}

/** Each action counted once more, by the region its player's call was sent to. */
function recordedByRegion(player: Player & { region: () => string }, recorders: Map<string, LoadRecorder>, from: number, to: number): Player {
  const driver: PlayerDriver = {
    async perform(decision, k) {
      const region = player.region();
      const started = performance.now();
      const outcome = await player.driver.perform(decision, k);
      let recorder = recorders.get(region);
      if (!recorder) recorders.set(region, (recorder = new LoadRecorder(from, to)));
      recorder.record(decision.action, started, performance.now(), outcome);
      return outcome;
    },
  };
  return { ...player, driver };
}

async function loadPhase(
  name: string,
  given: Player[],
  options: BenchOptions,
  progress: Progress,
  servers: Array<{ name: string; pid: number }>,
  /** the phase's database: its statements are counted over the measured window */
  databaseUrl?: string,
): Promise<PhaseRecord> {
  const begin = performance.now();
  const measureFrom = begin + options.warmup * 1000;
  const deadline = measureFrom + options.duration * 1000;
  const recorder = new LoadRecorder(measureFrom, deadline);
  const byRegion = new Map<string, LoadRecorder>();
  const players = given.map((p) => (p.region ? recordedByRegion({ ...p, region: p.region }, byRegion, measureFrom, deadline) : p));
  let meter: CpuMeter | undefined;
  let statements: Promise<StatementProbe> | undefined;
  const startMeter = setTimeout(() => {
    meter = new CpuMeter(servers);
    if (databaseUrl) statements = countStatements(databaseUrl, name);
  }, options.warmup * 1000);
  const ticker = setInterval(() => {
    const t = (performance.now() - begin) / 1000;
    const measuring = performance.now() >= measureFrom;
    const rate = measuring ? recorder.completed / ((performance.now() - measureFrom) / 1000) : 0;
    progress.update(
      `${name}: ${t.toFixed(0)}/${options.warmup + options.duration} s${measuring ? '' : ' (warm-up)'}, ${recorder.seen} actions, ${rate.toFixed(0)}/s, errors ${recorder.errors}`,
    );
  }, 500);
  try {
    await drivePlayers(players, recorder, deadline, options.think);
  } finally {
    clearTimeout(startMeter);
    clearInterval(ticker);
  }
  meter ??= new CpuMeter(servers);
  const cpu = meter.read();
  const result = phaseResult(name, recorder, options.duration, cpu);
  if (statements) result.statements = await (await statements).read(recorder.completed);
  const regions = [...byRegion].sort(([a], [b]) => a.localeCompare(b)).map(([region, r]) => phaseResult(region, r, options.duration, cpu));
  progress.done(
    `${name}: ${result.per_second} actions/s, p50 ${result.latency_ms.p50} ms, p95 ${result.latency_ms.p95} ms, p99 ${result.latency_ms.p99} ms, ${result.errors} errors${regions.map((r) => `; ${r.name} ${r.per_second}/s, p95 ${r.latency_ms.p95} ms`).join('')}`,
  );
  return { result, recorder, regions };
}

function phaseResult(name: string, recorder: LoadRecorder, seconds: number, cpu: PhaseResult['cpu']): PhaseResult {
  return {
    name,
    seconds,
    per_second: round(recorder.completed / seconds, 1) ?? 0,
    latency_ms: roundSummary(recorder.all.summary()),
    completed: recorder.completed,
    outcomes: recorder.outcomes,
    errors: recorder.errors,
    server_errors: recorder.serverErrors,
    cpu,
    timeline: recorder.timeline.stats().map((w) => ({ ...w, p50: round(w.p50)!, p95: round(w.p95)!, p99: round(w.p99)! })),
  };
}

export function roundSummary(s: LatencySummary): LatencySummary {
  return { count: s.count, mean: round(s.mean)!, min: round(s.min)!, p50: round(s.p50)!, p95: round(s.p95)!, p99: round(s.p99)!, max: round(s.max)! };
}

/** The same players' policy, the same statements, straight to PostgreSQL: the database's ceiling. */
async function rawSqlBaseline(target: Target, options: BenchOptions, progress: Progress, logDir: string): Promise<PhaseResult | { skipped: string }> {
  const db = await baselineDatabase(target, 'rawsql', options.seed, logDir);
  if (!db) return { skipped: 'needs PostgreSQL: set DATABASE_URL (the embedded target has no database the bench can reach)' };
  const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? DEFAULT_DATABASE_POOL_SIZE);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const raw = openRawSqlTarget(db.url, poolSize);
  try {
    progress.step(`raw-SQL baseline: ${options.players} pilots, pg pool of ${poolSize}`);
    const userIds = await seedRawPilots(raw, pool, target.runId, options.players);
    const players = userIds.map((userId, i) => ({
      driver: new RawSqlPlayer(raw, userId, 1, `${target.runId}-raw-${i}`) as PlayerDriver,
      // What GET /player/state tells a new pilot over HTTP.
      knowledge: Object.assign(newKnowledge(), { credits: NEW_PILOT.credits, holdsFree: HULLS[NEW_PILOT.hullId].holds, turns: TURN_POOL.max }),
      rng: createRandom(`${options.seed}/player/${i}`),
    }));
    return (await loadPhase('raw_sql', players, options, progress, [], db.url)).result;
  } finally {
    await raw.close();
    await pool.end();
    await db.drop();
  }
}

/** pgbench on a scratch database of the same server, as many clients as the api's pool: the database's own ceiling. */
async function pgbenchBaseline(target: Target, options: BenchOptions, progress: Progress): Promise<PgbenchResult | { skipped: string }> {
  const serverUrl = target.databases?.serverUrl ?? process.env.DATABASE_URL;
  if (!serverUrl || target.kind === 'embedded') return { skipped: 'needs PostgreSQL: set DATABASE_URL' };
  const clients = Number(process.env.DATABASE_POOL_SIZE ?? DEFAULT_DATABASE_POOL_SIZE);
  progress.step(`pgbench baseline: TPC-B-like, ${clients} clients, ${options.duration} s, durable commits`);
  const result = await runPgbench(serverUrl, { runId: `${target.runId}pgb`, clients, seconds: options.duration });
  progress.done(`pgbench: ${result.tps} transactions/s, average latency ${result.latency_avg_ms} ms`);
  return result;
}

/** A bare Hono route in its own process, driven like the api: the HTTP ceiling. */
async function helloBaseline(options: BenchOptions, progress: Progress, logDir: string): Promise<PhaseResult> {
  const port = await freePort();
  let server: Child | undefined;
  try {
    server = await spawnScript('hello', path.join(REPO_ROOT, 'bench', 'baselines', 'hello-server.ts'), [], { env: { PORT: String(port) }, logDir });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, server);
    progress.step(`bare Hono baseline: GET /hello, ${options.players} concurrent`);
    const http = new HttpDriver(`http://127.0.0.1:${port}`, options.connections);
    const begin = performance.now();
    const measureFrom = begin + options.warmup * 1000;
    const deadline = measureFrom + options.duration * 1000;
    const samples = new Samples();
    const timeline = new Timeline(measureFrom, 1000, deadline);
    let completed = 0;
    let errors = 0;
    let meter: CpuMeter | undefined;
    const startMeter = setTimeout(() => (meter = new CpuMeter([{ name: 'hello', pid: server!.pid }])), options.warmup * 1000);
    const ticker = setInterval(() => progress.update(`hono_hello: ${((performance.now() - begin) / 1000).toFixed(0)} s, ${completed} requests`), 500);
    await Promise.all(
      Array.from({ length: options.players }, async () => {
        while (performance.now() < deadline && !interrupt.requested) {
          const started = performance.now();
          const res = await http.get('/hello');
          const ended = performance.now();
          if (started < measureFrom || ended > deadline) continue;
          if (res.status !== 200) {
            errors++;
            continue;
          }
          completed++;
          samples.add(ended - started);
          timeline.record(ended, ended - started);
        }
      }),
    );
    clearTimeout(startMeter);
    clearInterval(ticker);
    await http.close();
    meter ??= new CpuMeter([{ name: 'hello', pid: server.pid }]);
    const result: PhaseResult = {
      name: 'hono_hello',
      seconds: options.duration,
      per_second: round(completed / options.duration, 1) ?? 0,
      latency_ms: roundSummary(samples.summary()),
      completed,
      outcomes: 0,
      errors,
      server_errors: errors,
      cpu: meter.read(),
      timeline: timeline.stats(),
    };
    progress.done(`hono_hello: ${result.per_second} requests/s, p95 ${result.latency_ms.p95} ms`);
    return result;
  } finally {
    await server?.stop();
  }
}

/** The servers' CPU in a phase: the one api's, or every process of a two-region target summed. */
function serverCpu(cpu: PhaseResult['cpu']): number | null {
  const values = Object.values(cpu.processes);
  if (values.length <= 1) return values[0] ?? null;
  return values.every((v) => v !== null)
    ? round(
        (values as number[]).reduce((a, b) => a + b, 0),
        1,
      )
    : null;
}

/**
 * What PostgreSQL ran per action in the api and raw-SQL phases, beside pgbench's transaction (its
 * five statements between BEGIN and END): where the database bounds actions/s, this says how.
 */
function statementTables(phases: PhaseResult[], pgb: PgbenchResult | undefined): Table[] {
  const counted = phases.flatMap((p) => (p.statements && 'top' in p.statements ? [{ phase: p, stats: p.statements }] : []));
  const skipped = phases.map((p) => p.statements).find((s): s is { skipped: string } => s !== undefined && 'skipped' in s);
  if (counted.length === 0) return skipped ? [{ title: 'Database statements per action', columns: ['note'], rows: [[skipped.skipped]] }] : [];
  const api = counted[0]!;
  return [
    {
      title: 'Database statements per action',
      columns: ['phase', 'actions/s', 'statements per action', 'DB execution ms per action'],
      rows: [
        ...counted.map(({ phase, stats }) => [phase.name, phase.per_second, stats.statements_per_action, stats.db_ms_per_action]),
        ...(pgb ? [['pgbench (TPC-B-like)', pgb.tps, 7, '–']] : []),
      ],
      note: 'From pg_stat_statements over each measured window (BEGIN and COMMIT count as statements; pgbench runs BEGIN, three UPDATEs, a SELECT, an INSERT and END). Execution time excludes the round trips between statements, which a transaction holds its row locks across.',
    },
    {
      title: `Top statements (${api.phase.name})`,
      columns: ['statement', 'per action', 'mean ms', 'total ms', 'share of DB time %'],
      rows: api.stats.top.map((r) => [r.query, r.calls_per_action, r.mean_ms, r.total_ms, r.share_pct]),
    },
  ];
}

/**
 * Where the machine's CPU went in each phase: all cores, and of them PostgreSQL, Redis, the
 * servers the bench started and the generator; with the whole machine's CPU per action (or per
 * pgbench transaction). When a phase kept every core busy, that cost per action is what bounds
 * its rate, and the ratio of two such costs is the most one phase can reach of the other here.
 */
function machineTable(phases: Array<{ name: string; perSecond: number; cpu: PhaseResult['cpu'] | null }>, cores: number): Table | undefined {
  const measured = phases.filter((p): p is typeof p & { cpu: PhaseResult['cpu'] & { machine: MachineCpu } } => p.cpu?.machine != null);
  if (measured.length === 0) return undefined;
  const msPer = (p: (typeof measured)[number]) => (p.perSecond > 0 ? round((10 * p.cpu.machine.busy_pct) / p.perSecond, 3) : null);
  const api = measured.find((p) => p.name === 'api');
  const pgb = measured.find((p) => p.name === 'pgbench');
  const apiMs = api ? msPer(api) : null;
  const pgbMs = pgb ? msPer(pgb) : null;
  return {
    title: "Where the machine's CPU went",
    columns: ['phase', 'per second', 'machine busy %', 'PostgreSQL %', 'Redis %', 'servers started %', 'generator %', 'machine CPU ms per action'],
    rows: measured.map((p) => [
      p.name,
      p.perSecond,
      p.cpu.machine.busy_pct,
      p.cpu.machine.postgres_pct,
      p.cpu.machine.redis_pct,
      serverCpu(p.cpu),
      p.cpu.generator_cpu_pct,
      msPer(p),
    ]),
    note: [
      `% of one core (${cores} cores = ${cores * 100}%), over each measured window; for pgbench, per transaction, pgbench's own client included in the machine's figure.`,
      apiMs !== null && pgbMs !== null
        ? `With every core busy, the api's ${apiMs} ms of the machine's CPU per action against pgbench's ${pgbMs} ms per transaction caps api ÷ pgbench near ${round(pgbMs / apiMs, 2)} on this machine, whatever the round trips.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

function actionsReport(
  options: BenchOptions,
  target: Target,
  startedAt: string,
  registered: Awaited<ReturnType<typeof registerPlayers>>,
  api: PhaseRecord,
  baselines: Record<string, PhaseResult | PgbenchResult | { skipped: string }>,
  curve: PhaseResult[] = [],
  spread?: Spread,
): BenchReport {
  const a = api.result;
  const raw = 'per_second' in (baselines.raw_sql ?? {}) ? (baselines.raw_sql as PhaseResult) : undefined;
  const hello = 'per_second' in (baselines.hono_hello ?? {}) ? (baselines.hono_hello as PhaseResult) : undefined;
  const pgb = 'tps' in (baselines.pgbench ?? {}) ? (baselines.pgbench as PgbenchResult) : undefined;
  const pgbRatio = pgb ? ratio(a.per_second, pgb.tps) : null;
  const totalDone = a.completed;
  const perAction = Object.fromEntries(
    ACTION_NAMES.map((name) => {
      const stats = api.recorder.actions.get(name)!;
      const s = roundSummary(stats.samples.summary());
      return [
        name,
        {
          count: s.count,
          share_pct: round((100 * s.count) / Math.max(1, totalDone), 1),
          per_second: round(s.count / options.duration, 1),
          latency_ms: s,
          codes: stats.codes.toJSON(),
        },
      ];
    }),
  );
  const rawRatio = raw ? ratio(a.per_second, raw.per_second) : null;
  // the ratio targets are for one api process against the database: not a two-region or spread target
  const oneApi = target.kind !== 'embedded' && target.kind !== 'regions' && target.apis.length <= 1;
  const targets: TargetCheck[] = [
    {
      name: 'actions/s vs pgbench TPS',
      goal: '≥ 50% (one api process, PostgreSQL)',
      value: pgbRatio === null ? 'no pgbench baseline' : `${Math.round(pgbRatio * 100)}% (${a.per_second} vs ${pgb!.tps})`,
      met: pgbRatio === null || !oneApi ? null : pgbRatio >= 0.5,
    },
    {
      name: 'actions/s vs raw-SQL baseline',
      goal: '≥ 80% (one api process, PostgreSQL)',
      value: rawRatio === null ? 'no raw-SQL baseline' : `${Math.round(rawRatio * 100)}% (${a.per_second} vs ${raw!.per_second})`,
      met: rawRatio === null || !oneApi ? null : rawRatio >= 0.8,
    },
    {
      name: 'p95 latency at 200 players',
      goal: '< 50 ms',
      value: `${a.latency_ms.p95} ms at ${options.players} players`,
      met: options.players >= 200 ? a.latency_ms.p95 < 50 : null,
    },
    { name: 'server errors', goal: '0', value: String(a.server_errors), met: a.server_errors === 0 },
  ];
  const phases = [a, raw, hello].filter((p): p is PhaseResult => p !== undefined);
  const phaseRow = (p: PhaseResult) => [
    p.name,
    p.per_second,
    p.latency_ms.p50,
    p.latency_ms.p95,
    p.latency_ms.p99,
    p.errors,
    p.cpu.generator_cpu_pct,
    serverCpu(p.cpu),
  ];
  const machine = machineTable(
    [
      ...[a, raw].filter((p): p is PhaseResult => p !== undefined).map((p) => ({ name: p.name, perSecond: p.per_second, cpu: p.cpu })),
      ...(pgb ? [{ name: 'pgbench', perSecond: pgb.tps, cpu: pgb.cpu }] : []),
      ...curve.map((p) => ({ name: `api, ${p.players} players`, perSecond: p.per_second, cpu: p.cpu })),
    ],
    a.cpu.cores,
  );
  const tables: Table[] = [
    ...(machine ? [machine] : []),
    ...statementTables(
      [a, raw].filter((p): p is PhaseResult => p !== undefined),
      pgb,
    ),
    {
      title: 'Throughput and latency',
      columns: ['phase', 'per second', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'generator CPU %', 'server CPU %'],
      rows: phases.map(phaseRow),
      note: [
        `CPU is % of one core (${a.cpu.cores} cores = ${a.cpu.cores * 100}%). The raw-SQL phase runs in the generator itself, so its generator CPU includes the pg client; PostgreSQL's and Redis's are in “Where the machine's CPU went”.`,
        raw ? `api ÷ raw SQL = ${rawRatio}.` : '',
        pgb ? `pgbench (TPC-B-like, ${pgb.clients} clients): ${pgb.tps} transactions/s, average ${pgb.latency_avg_ms} ms; api ÷ pgbench = ${pgbRatio}.` : '',
        hello ? `api ÷ bare Hono = ${ratio(a.per_second, hello.per_second)}.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    },
    {
      title: 'Per action (api)',
      columns: ['action', 'count', 'share %', 'target %', 'per second', 'p50 ms', 'p95 ms', 'p99 ms', 'answers by code'],
      rows: ACTION_MIX.map(([name, weight]) => {
        const x = perAction[name] as { count: number; share_pct: number; per_second: number; latency_ms: LatencySummary; codes: Record<string, number> };
        return [
          name,
          x.count,
          x.share_pct,
          weight,
          x.per_second,
          x.latency_ms.p50,
          x.latency_ms.p95,
          x.latency_ms.p99,
          Object.entries(x.codes)
            .map(([c, n]) => `${c}: ${n}`)
            .join(', '),
        ];
      }),
      note: 'Trade actions wanted where there is no port become a move toward a known port, so moves run above their 15% weight. 409 insufficient_*/exceeds_* answers are the game refusing, counted as completed actions.',
    },
    {
      title: 'Registration',
      columns: ['players', 'per second', 'p50 ms', 'p95 ms', 'max ms'],
      rows: [
        [
          options.players,
          round(registered.registerPerSecond, 1),
          round(registered.register.p50),
          round(registered.register.p95),
          round(registered.register.max),
        ],
      ],
      note: 'POST /auth/register, 4 at a time: Argon2id (m=64 MiB, t=3, p=4) is most of it.',
    },
  ];
  if (curve.length > 0) {
    tables.push({
      title: 'Load curve (api)',
      columns: ['players', 'actions/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'server CPU %', 'generator CPU %', '÷ pgbench', '÷ raw SQL'],
      rows: curve.map((p) => [
        p.players ?? null,
        p.per_second,
        p.latency_ms.p50,
        p.latency_ms.p95,
        p.latency_ms.p99,
        p.errors,
        serverCpu(p.cpu),
        p.cpu.generator_cpu_pct,
        pgb ? ratio(p.per_second, pgb.tps) : null,
        raw ? ratio(p.per_second, raw.per_second) : null,
      ]),
      note: `Closed loop: each player sends its next action when the last one answered, so past saturation more players only queue (latency grows, throughput flattens). Baselines ran at ${options.players} players.`,
    });
  }
  if (spread) {
    tables.push({
      title: 'Per region (api)',
      columns: ['region', 'players at start', 'players at end', 'actions/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'server errors'],
      rows: [
        ...api.regions.map((r) => [
          r.name,
          spread.start[r.name] ?? 0,
          spread.end?.[r.name] ?? null,
          r.per_second,
          r.latency_ms.p50,
          r.latency_ms.p95,
          r.latency_ms.p99,
          r.errors,
          r.server_errors,
        ]),
        ['combined', options.players, options.players, a.per_second, a.latency_ms.p50, a.latency_ms.p95, a.latency_ms.p99, a.errors, a.server_errors],
      ],
      note: `Each action is counted in the region its player's call was sent to. ${spread.sent} players were sent through the gate before the measured phase; players may cross again when their wandering takes them through it. Answers on the wire (whole run): ${
        Object.entries(spread.answers ?? {})
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'no wrong_region or in_transit'
      }. ${spread.note ?? ''}`.trim(),
    });
  }
  const notes: string[] = [];
  for (const [name, b] of Object.entries(baselines)) if ('skipped' in b) notes.push(`${name} baseline skipped: ${b.skipped}`);
  if (target.kind === 'regions')
    notes.push(
      'Two-region target (two api and two jobs processes on two PostgreSQL servers, all on this machine): the targets against one api process do not apply; server CPU sums the four processes.',
    );
  if (target.kind === 'postgres' && target.apis.length > 1)
    notes.push(
      `${target.apis.length} api processes, the pool of ${target.describe().database_pool_size} split between them and the players spread over them: the targets against one api process do not apply; server CPU sums them.`,
    );
  if (target.kind === 'embedded') notes.push('Embedded target (PGlite, one `all` process): the raw-SQL target ratio applies to PostgreSQL only.');
  const series = (p: PhaseResult, pick: (w: WindowStat) => number | null): LineSeries => ({ name: p.name, points: p.timeline.map((w) => [w.t, pick(w)]) });
  const latency: LinePanel = {
    kind: 'line',
    title: 'api latency percentiles per second',
    xLabel: 'seconds',
    yLabel: 'ms',
    series: [
      { name: 'p50', points: a.timeline.map((w) => [w.t, w.count ? w.p50 : null]) },
      { name: 'p95', points: a.timeline.map((w) => [w.t, w.count ? w.p95 : null]) },
      { name: 'p99', points: a.timeline.map((w) => [w.t, w.count ? w.p99 : null]) },
    ],
  };
  return {
    scenario: 'actions',
    title: `actions: ${options.players} virtual players${spread ? ' in two regions' : ''}, ${options.duration} s`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    options: {
      players: options.players,
      duration_s: options.duration,
      warmup_s: options.warmup,
      connections: options.connections,
      seed: options.seed,
      baselines: options.baselines,
      regions: options.regions,
    },
    target: target.describe(),
    results: {
      actions_per_second: a.per_second,
      latency_ms: a.latency_ms,
      errors: a.errors,
      server_errors: a.server_errors,
      game_outcomes: a.outcomes,
      per_action: perAction,
      cpu: a.cpu,
      statements: a.statements ?? null,
      registration: { players: options.players, per_second: round(registered.registerPerSecond, 1), latency_ms: roundSummary(registered.register) },
      baselines: Object.fromEntries(Object.entries(baselines).map(([k, v]) => [k, 'timeline' in v ? { ...v, timeline: undefined } : v])),
      ratios: { api_vs_pgbench: pgbRatio, api_vs_raw_sql: rawRatio, api_vs_hono_hello: hello ? ratio(a.per_second, hello.per_second) : null },
      regions: spread
        ? {
            sent_through_gate: spread.sent,
            players_at_start: spread.start,
            players_at_end: spread.end ?? null,
            answers: spread.answers ?? {},
            by_region: Object.fromEntries(api.regions.map((r) => [r.name, { ...r, timeline: undefined, cpu: undefined }])),
          }
        : null,
      curve: curve.map((p) => ({ players: p.players, per_second: p.per_second, latency_ms: p.latency_ms, errors: p.errors, cpu: p.cpu })),
      timeline: a.timeline,
    },
    targets,
    tables,
    notes,
    chart: {
      title: `SectorWars actions: ${options.players} players`,
      subtitle: `${target.kind} target, ${new Date(startedAt).toISOString().slice(0, 10)}`,
      panels: [
        latency,
        // The bare Hono ceiling is two orders of magnitude above: it would flatten these lines, so it stays in the table.
        {
          kind: 'line',
          title: 'actions per second: api vs raw SQL',
          xLabel: 'seconds',
          yLabel: 'actions/s',
          series: [a, raw].filter((p): p is PhaseResult => p !== undefined).map((p) => series(p, (w) => w.perSecond)),
        },
        {
          kind: 'bar',
          title: 'api p95 by action (ms)',
          yLabel: 'ms',
          bars: ACTION_NAMES.map((n) => ({ label: n, value: (perAction[n] as { latency_ms: LatencySummary }).latency_ms.p95 || 0 })),
        },
        ...(curve.length > 0
          ? [
              {
                kind: 'line',
                title: 'load curve: actions per second and p95 by players',
                xLabel: 'players',
                yLabel: 'actions/s · ms',
                series: [
                  { name: 'actions/s', points: curve.map((p) => [p.players ?? 0, p.per_second]) },
                  { name: 'p95 ms', points: curve.map((p) => [p.players ?? 0, p.latency_ms.p95]) },
                ],
              } satisfies LinePanel,
            ]
          : []),
      ],
    },
  };
}
