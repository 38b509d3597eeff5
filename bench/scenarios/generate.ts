import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hopDistances } from '../../game/connectivity.js';
import { generateGalaxy, type GalaxyParams } from '../../game/galaxy.js';
import { hopsFrom, landmarksOf, plotCourse, type WarpGraph } from '../../game/pathfinding.js';
import { createRandom } from '../../game/random.js';
import { migrateToLatest, openDatabase, type DatabaseHandle, type RegionDb } from '../../platform/db/database.js';
import { writeGalaxy } from '../../regions/galaxy-store.js';
import { readSectorView } from '../../world/sector-view.js';
import { loadWarpGraph } from '../../world/warp-graph.js';
import type { Bar } from '../chart.js';
import { DatabaseSet } from '../databases.js';
import { GameApi, HttpDriver } from '../game-api.js';
import { freePort, spawnRole, waitForHttp } from '../processes.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import type { Progress } from '../progress.js';
import type { BenchReport, TargetCheck } from '../report.js';
import { Samples, round, type LatencySummary } from '../stats.js';
import { newRunId } from '../target.js';
import { roundSummary } from './actions.js';

/** Share of the galaxy a veteran pilot knows, for the known-space plotting mode. */
const KNOWN_SHARE = 0.1;

interface SizeResult {
  sectors: number;
  terran_sectors: number;
  nexus_sectors: number;
  warps: number;
  ports: number;
  planets: number;
  generate_ms: number;
  write_ms: number;
  total_s: number;
  /** read every warp + build the graph and its landmarks, as the nav bundle does once per process */
  load_graph_ms: number;
  rss_mb: number;
  plot_admin_ms: LatencySummary;
  plot_known_ms: LatencySummary;
  /** sectors each plot settled (p50 / p99): how much of the map a search had to look at */
  plot_admin_settled: LatencySummary;
  plot_known_settled: LatencySummary;
  plot_known_sectors: number;
  mean_hops_admin: number;
  mean_hops_known: number;
  no_route_known: number;
  /** the API serving this world (PostgreSQL only) */
  api: ApiOnWorld | null;
}

/** Latencies of a pilot's read routes against an api process serving the generated world. */
interface ApiOnWorld {
  known_sectors: number;
  /** the first plot after start: the api reads the warps and chooses landmarks */
  first_plot_ms: number;
  sector_ms: LatencySummary;
  map_ms: LatencySummary;
  plot_ms: LatencySummary;
}

/** A veteran's map for the API phase: the sectors nearest its own, by hops. */
const VETERAN_KNOWN_SECTORS = 2_000;
const API_REQUESTS = 300;

/**
 * `generate`: for each size, time generateGalaxy (pure, in memory) and writeGalaxy (one
 * transaction of batched INSERT … SELECT unnest) into a fresh database, then plot courses on
 * the stored result: admin mode (the whole map) and known-space mode (a pilot who knows the
 * 10% of sectors nearest Terra).
 */
export async function runGenerate(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const runId = newRunId();
  const serverUrl = process.env.DATABASE_URL;
  const backend = serverUrl ? 'postgresql' : 'pglite';
  const databases = serverUrl ? new DatabaseSet(serverUrl, `sectorwars_bench_${runId}`) : undefined;
  const results: SizeResult[] = [];
  try {
    for (const size of options.sizes) {
      results.push(await measureSize(size, options, progress, databases));
    }
  } finally {
    await databases?.dropAll();
  }

  const largest = results.reduce((a, b) => (b.sectors > a.sectors ? b : a), results[0]!);
  const at100k = largest.sectors >= 100_000;
  const atMillion = largest.sectors >= 1_000_000;
  const targets: TargetCheck[] = [
    {
      name: `${atMillion ? '1,000,000' : '100,000'} sectors generated and stored`,
      goal: atMillion ? '< 60 s' : '< 30 s',
      value: `${largest.total_s} s for ${largest.sectors.toLocaleString('en-US')} sectors (${backend})`,
      met: at100k ? largest.total_s < (atMillion ? 60 : 30) : null,
    },
    {
      name: 'plot-course p99 (admin / known space)',
      goal: '< 20 ms',
      value: `${largest.plot_admin_ms.p99} / ${largest.plot_known_ms.p99} ms at ${largest.sectors.toLocaleString('en-US')} sectors`,
      met: at100k ? Math.max(largest.plot_admin_ms.p99, largest.plot_known_ms.p99) < 20 : null,
    },
    {
      name: "the api's sector, map and plot routes (p99)",
      goal: '< 20 ms',
      value: largest.api
        ? `${largest.api.sector_ms.p99} / ${largest.api.map_ms.p99} / ${largest.api.plot_ms.p99} ms at ${largest.sectors.toLocaleString('en-US')} sectors`
        : 'not measured (needs PostgreSQL: set DATABASE_URL)',
      met: at100k && largest.api ? Math.max(largest.api.sector_ms.p99, largest.api.map_ms.p99, largest.api.plot_ms.p99) < 20 : null,
    },
  ];
  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const timingBars: Bar[] = results.flatMap((r) => [
    { label: `${label(r.sectors)} generate`, value: r.generate_ms / 1000 },
    { label: `${label(r.sectors)} write`, value: r.write_ms / 1000 },
    { label: `${label(r.sectors)} load graph`, value: r.load_graph_ms / 1000 },
  ]);
  const plotBars: Bar[] = results.flatMap((r) => [
    { label: `${label(r.sectors)} admin p50`, value: r.plot_admin_ms.p50 },
    { label: `${label(r.sectors)} admin p99`, value: r.plot_admin_ms.p99 },
    { label: `${label(r.sectors)} known p50`, value: r.plot_known_ms.p50 },
    { label: `${label(r.sectors)} known p99`, value: r.plot_known_ms.p99 },
  ]);
  return {
    scenario: 'generate',
    title: `generate: ${options.sizes.map((s) => s.toLocaleString('en-US')).join(' and ')} sectors`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    options: { sizes: options.sizes, pairs: options.pairs, seed: options.seed },
    target: { kind: 'in-process', backend, database: serverUrl ? "a fresh database per size on DATABASE_URL's server" : 'PGlite on a temp directory' },
    results: { backend, sizes: results },
    targets,
    tables: [
      {
        title: 'Generation and persistence',
        columns: ['sectors', 'warps', 'ports', 'planets', 'generate s', 'write s', 'total s', 'load graph ms', 'RSS MB'],
        rows: results.map((r) => [
          r.sectors,
          r.warps,
          r.ports,
          r.planets,
          round(r.generate_ms / 1000, 2),
          round(r.write_ms / 1000, 2),
          r.total_s,
          r.load_graph_ms,
          r.rss_mb,
        ]),
        note: `Written to ${backend}. Each size is the default world scaled up: one third Terran Space, two thirds Central Nexus.`,
      },
      {
        title: `Plot course (${options.pairs.toLocaleString('en-US')} random pairs per mode)`,
        columns: ['sectors', 'mode', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean hops', 'no route', 'sectors settled p50 / p99'],
        rows: results.flatMap((r) => [
          [
            r.sectors,
            'admin',
            r.plot_admin_ms.p50,
            r.plot_admin_ms.p95,
            r.plot_admin_ms.p99,
            r.plot_admin_ms.max,
            r.mean_hops_admin,
            0,
            `${r.plot_admin_settled.p50} / ${r.plot_admin_settled.p99}`,
          ],
          [
            r.sectors,
            `known (${r.plot_known_sectors.toLocaleString('en-US')} sectors)`,
            r.plot_known_ms.p50,
            r.plot_known_ms.p95,
            r.plot_known_ms.p99,
            r.plot_known_ms.max,
            r.mean_hops_known,
            r.no_route_known,
            `${r.plot_known_settled.p50} / ${r.plot_known_settled.p99}`,
          ],
        ]),
        note: "In-memory plotCourse on the graph loaded from the database; the nav route adds one query for the pilot's known sectors. Sectors settled: what a plot's time is made of (A* over 8 landmarks; the time per settled sector is about constant).",
      },
      {
        title: `The api on the stored world (one pilot knowing the ${VETERAN_KNOWN_SECTORS.toLocaleString('en-US')} sectors nearest it; ${API_REQUESTS} requests each, one at a time)`,
        columns: ['sectors', 'route', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        rows: results.flatMap((r) =>
          r.api
            ? [
                [r.sectors, 'GET /sectors/{id}', r.api.sector_ms.p50, r.api.sector_ms.p95, r.api.sector_ms.p99, r.api.sector_ms.max],
                [r.sectors, 'GET /player/map', r.api.map_ms.p50, r.api.map_ms.p95, r.api.map_ms.p99, r.api.map_ms.max],
                [r.sectors, 'GET /nav/plot', r.api.plot_ms.p50, r.api.plot_ms.p95, r.api.plot_ms.p99, r.api.plot_ms.max],
                [r.sectors, 'first plot (reads the warps, chooses landmarks)', r.api.first_plot_ms, '', '', ''],
              ]
            : [],
        ),
        note: 'One `sectorwars api` process on the database the size was written to, no Redis; measured only with DATABASE_URL.',
      },
    ],
    notes: [],
    chart: {
      title: 'SectorWars galaxy generation and course plotting',
      subtitle: `${backend}, ${startedAt.slice(0, 10)}`,
      panels: [
        { kind: 'bar', title: 'seconds per step', yLabel: 'seconds', bars: timingBars },
        { kind: 'bar', title: 'plot-course latency (ms)', yLabel: 'ms', bars: plotBars },
      ],
    },
  };
}

async function measureSize(size: number, options: BenchOptions, progress: Progress, databases: DatabaseSet | undefined): Promise<SizeResult> {
  const terranSectors = Math.max(11, Math.round(size / 3));
  const params: GalaxyParams = { seed: `${options.seed}-${size}`, terranSectors, nexusSectors: size - terranSectors };
  progress.step(`generate ${size.toLocaleString('en-US')} sectors`);
  const t0 = performance.now();
  const galaxy = generateGalaxy(params);
  const generateMs = performance.now() - t0;
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  progress.done(`generated in ${(generateMs / 1000).toFixed(2)} s: ${galaxy.warps.length} warps, ${galaxy.ports.length} ports`);

  let tempDir: string | undefined;
  let handle: DatabaseHandle;
  let databaseUrl: string | undefined;
  if (databases) {
    const db = await databases.create(`gen${size}`);
    databaseUrl = db.url;
    handle = await openDatabase({ databaseUrl: db.url, databasePoolSize: 2, dataDir: '' });
  } else {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'sectorwars-bench-gen-'));
    handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: tempDir });
  }
  try {
    await migrateToLatest(handle);
    const t1 = performance.now();
    await writeGalaxy(handle.region, galaxy, (p) =>
      progress.update(`writing ${p.table}: ${p.written.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`),
    );
    const writeMs = performance.now() - t1;
    progress.done(`written in ${(writeMs / 1000).toFixed(2)} s`);

    const t2 = performance.now();
    const graph = await loadWarpGraph(handle.region, { gates: true });
    landmarksOf(graph);
    const loadGraphMs = performance.now() - t2;

    const rng = createRandom(`${options.seed}/plot/${size}`);
    const total = galaxy.sectors.length;
    // A few unmeasured plots first, so the measured ones run compiled code as a serving process would.
    plotPairs(graph, 200, () => [rng.int(1, total), rng.int(1, total)], undefined);
    const admin = plotPairs(graph, options.pairs, () => [rng.int(1, total), rng.int(1, total)], undefined);
    const known = knownSpace(graph, Math.max(2, Math.round(total * KNOWN_SHARE)));
    const knownList = [...known];
    const knownPlots = plotPairs(
      graph,
      options.pairs,
      () => [rng.pick(knownList), rng.pick(knownList)],
      (id) => known.has(id),
    );
    progress.done(`plot: admin p99 ${round(admin.samples.summary().p99)} ms, known-space p99 ${round(knownPlots.samples.summary().p99)} ms`);
    const api = databaseUrl ? await measureApi(databaseUrl, handle.region, graph, options, progress) : null;
    return {
      sectors: total,
      terran_sectors: terranSectors,
      nexus_sectors: size - terranSectors,
      warps: galaxy.warps.length,
      ports: galaxy.ports.length,
      planets: galaxy.planets.length,
      generate_ms: Math.round(generateMs),
      write_ms: Math.round(writeMs),
      total_s: round((generateMs + writeMs) / 1000, 2)!,
      load_graph_ms: Math.round(loadGraphMs),
      rss_mb: rssMb,
      plot_admin_ms: roundSummary(admin.samples.summary()),
      plot_known_ms: roundSummary(knownPlots.samples.summary()),
      plot_admin_settled: roundSummary(admin.settled.summary()),
      plot_known_settled: roundSummary(knownPlots.settled.summary()),
      plot_known_sectors: known.size,
      mean_hops_admin: round(admin.hops / Math.max(1, admin.routes), 1)!,
      mean_hops_known: round(knownPlots.hops / Math.max(1, knownPlots.routes), 1)!,
      no_route_known: knownPlots.noRoute,
      api,
    };
  } finally {
    await handle.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * Starts `sectorwars api` on the stored world, signs up one pilot, gives it a veteran's map (the
 * sectors nearest its own) and times its reads one at a time: a sector, the map, a course.
 */
async function measureApi(databaseUrl: string, region: RegionDb, graph: WarpGraph, options: BenchOptions, progress: Progress): Promise<ApiOnWorld> {
  progress.step('the api on this world');
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: undefined,
    JWT_SECRET: randomBytes(36).toString('base64url'),
    HOST: '127.0.0.1',
    PORT: String(port),
    JOBS_PORT: String(await freePort()),
    RATE_LIMITS: 'false',
    LOG_LEVEL: 'warn',
  };
  const nodeArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.out, 'profiles')}`] : [];
  const api = await spawnRole('api', 'api', [], { env, logDir: path.join(options.out, 'logs'), nodeArgs });
  const http = new HttpDriver(`http://127.0.0.1:${port}`, 1);
  const game = new GameApi(http);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, api);
    const signUp = await game.register(`veteran${newRunId()}`, randomBytes(12).toString('base64url'));
    if (!signUp.body) throw new Error(`sign-up failed: ${signUp.status} ${signUp.code}`);
    const session = signUp.body;
    const state = await session.client.player.state();
    const known = nearestSectors(graph, state.player.sector_id, VETERAN_KNOWN_SECTORS);
    // What the pilot would have stored flying there: a snapshot of each sector as it saw it.
    const now = Date.now();
    const rows = [];
    for (const id of known) {
      const view = await readSectorView(region, id, session.userId, null, now, 1);
      rows.push({ user_id: session.userId, sector_id: id, last_seen_at: new Date(now).toISOString(), snapshot: JSON.stringify(view) });
    }
    for (let i = 0; i < rows.length; i += 500) {
      await region
        .insertInto('known_sectors')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['user_id', 'sector_id']).doUpdateSet((eb) => ({ snapshot: eb.ref('excluded.snapshot') })))
        .execute();
    }
    const rng = createRandom(`${options.seed}/api`);
    const timed = async (work: () => Promise<unknown>) => {
      const samples = new Samples();
      for (let i = 0; i < API_REQUESTS; i++) {
        const t = performance.now();
        await work();
        samples.add(performance.now() - t);
      }
      return roundSummary(samples.summary());
    };
    const t = performance.now();
    await session.client.nav.plot(rng.pick(known));
    const firstPlotMs = Math.round(performance.now() - t);
    const result = {
      known_sectors: known.length,
      first_plot_ms: firstPlotMs,
      sector_ms: await timed(() => session.client.sectors.get(rng.pick(known))),
      map_ms: await timed(() => session.client.player.map()),
      plot_ms: await timed(() => session.client.nav.plot(rng.pick(known))),
    };
    session.client.dispose();
    progress.done(`api: sector p99 ${result.sector_ms.p99} ms, map p99 ${result.map_ms.p99} ms, plot p99 ${result.plot_ms.p99} ms`);
    return result;
  } finally {
    await http.close();
    await api.stop();
  }
}

/** The `count` sectors nearest `from` by hops (from itself on). */
function nearestSectors(graph: WarpGraph, from: number, count: number): number[] {
  const distance = hopsFrom(graph, from);
  const ids: number[] = [];
  for (let id = 1; id < distance.length; id++) if ((distance[id] as number) >= 0) ids.push(id);
  ids.sort((a, b) => (distance[a] as number) - (distance[b] as number) || a - b);
  return ids.slice(0, count);
}

function plotPairs(graph: WarpGraph, pairs: number, pick: () => [number, number], isKnown: ((id: number) => boolean) | undefined) {
  const samples = new Samples();
  const settled = new Samples();
  let hops = 0;
  let routes = 0;
  let noRoute = 0;
  for (let i = 0; i < pairs; i++) {
    const [from, to] = pick();
    const t = performance.now();
    const course = plotCourse(graph, from, to, isKnown ? { isKnown, turnsPerWarp: 2 } : { turnsPerWarp: 2 });
    samples.add(performance.now() - t);
    settled.add(graph.lastSettled);
    if (course) {
      hops += course.hops;
      routes++;
    } else noRoute++;
  }
  return { samples, settled, hops, routes, noRoute };
}

/** The `count` sectors nearest Terra by hops: the known map of a pilot who explored outward from home. */
function knownSpace(graph: WarpGraph, count: number): Set<number> {
  const distance = hopDistances(graph, 1);
  const ids: number[] = [];
  for (let id = 1; id < distance.length; id++) if ((distance[id] as number) >= 0) ids.push(id);
  ids.sort((a, b) => (distance[a] as number) - (distance[b] as number) || a - b);
  return new Set(ids.slice(0, count));
}
