import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hopDistances } from '../../game/connectivity.js';
import { generateGalaxy, type GalaxyParams } from '../../game/galaxy.js';
import { buildWarpGraph, plotCourse, type WarpGraph } from '../../game/pathfinding.js';
import { createRandom } from '../../game/random.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { writeGalaxy } from '../../regions/galaxy-store.js';
import type { Bar } from '../chart.js';
import { DatabaseSet } from '../databases.js';
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
  /** SELECT every warp + buildWarpGraph, as the nav bundle does once per process */
  load_graph_ms: number;
  rss_mb: number;
  plot_admin_ms: LatencySummary;
  plot_known_ms: LatencySummary;
  plot_known_sectors: number;
  mean_hops_admin: number;
  mean_hops_known: number;
  no_route_known: number;
}

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
  const targets: TargetCheck[] = [
    {
      name: '100,000 sectors generated and stored',
      goal: '< 30 s',
      value: `${largest.total_s} s for ${largest.sectors.toLocaleString('en-US')} sectors (${backend})`,
      met: at100k ? largest.total_s < 30 : null,
    },
    {
      name: 'plot-course p99 (admin / known space)',
      goal: '< 20 ms',
      value: `${largest.plot_admin_ms.p99} / ${largest.plot_known_ms.p99} ms at ${largest.sectors.toLocaleString('en-US')} sectors`,
      met: at100k ? Math.max(largest.plot_admin_ms.p99, largest.plot_known_ms.p99) < 20 : null,
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
        columns: ['sectors', 'mode', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean hops', 'no route'],
        rows: results.flatMap((r) => [
          [r.sectors, 'admin', r.plot_admin_ms.p50, r.plot_admin_ms.p95, r.plot_admin_ms.p99, r.plot_admin_ms.max, r.mean_hops_admin, 0],
          [
            r.sectors,
            `known (${r.plot_known_sectors.toLocaleString('en-US')} sectors)`,
            r.plot_known_ms.p50,
            r.plot_known_ms.p95,
            r.plot_known_ms.p99,
            r.plot_known_ms.max,
            r.mean_hops_known,
            r.no_route_known,
          ],
        ]),
        note: "In-memory plotCourse on the graph loaded from the database; the nav route adds one query for the pilot's known sectors.",
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
  if (databases) {
    const db = await databases.create(`gen${size}`);
    handle = await openDatabase({ databaseUrl: db.url, databasePoolSize: 2, dataDir: '' });
  } else {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'sectorwars-bench-gen-'));
    handle = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: tempDir });
  }
  try {
    await migrateToLatest(handle.db);
    const t1 = performance.now();
    await writeGalaxy(handle.db, galaxy, (p) => progress.update(`writing ${p.table}: ${p.written.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`));
    const writeMs = performance.now() - t1;
    progress.done(`written in ${(writeMs / 1000).toFixed(2)} s`);

    const t2 = performance.now();
    const rows = await handle.db.selectFrom('warps').select(['from_sector_id as from', 'to_sector_id as to']).execute();
    const graph = buildWarpGraph(rows);
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
      plot_known_sectors: known.size,
      mean_hops_admin: round(admin.hops / Math.max(1, admin.routes), 1)!,
      mean_hops_known: round(knownPlots.hops / Math.max(1, knownPlots.routes), 1)!,
      no_route_known: knownPlots.noRoute,
    };
  } finally {
    await handle.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

function plotPairs(graph: WarpGraph, pairs: number, pick: () => [number, number], isKnown: ((id: number) => boolean) | undefined) {
  const samples = new Samples();
  let hops = 0;
  let routes = 0;
  let noRoute = 0;
  for (let i = 0; i < pairs; i++) {
    const [from, to] = pick();
    const t = performance.now();
    const course = plotCourse(graph, from, to, isKnown ? { isKnown, turnsPerWarp: 2 } : { turnsPerWarp: 2 });
    samples.add(performance.now() - t);
    if (course) {
      hops += course.hops;
      routes++;
    } else noRoute++;
  }
  return { samples, hops, routes, noRoute };
}

/** The `count` sectors nearest Terra by hops: the known map of a pilot who explored outward from home. */
function knownSpace(graph: WarpGraph, count: number): Set<number> {
  const distance = hopDistances(graph, 1);
  const ids: number[] = [];
  for (let id = 1; id < distance.length; id++) if ((distance[id] as number) >= 0) ids.push(id);
  ids.sort((a, b) => (distance[a] as number) - (distance[b] as number) || a - b);
  return new Set(ids.slice(0, count));
}
