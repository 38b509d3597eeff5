import path from 'node:path';
import { newActionKey } from '../../client/index.js';
import type { LinePanel } from '../chart.js';
import { GameApi, type Session } from '../game-api.js';
import { interrupt } from '../interrupt.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import { registerPlayers } from '../players.js';
import { CpuMeter, sleep } from '../processes.js';
import type { Progress } from '../progress.js';
import { RegionRouter } from '../region-router.js';
import { openRegionalTarget, type RegionalTarget } from '../regional-target.js';
import type { BenchReport, Table, TargetCheck } from '../report.js';
import { type Conservation, checkConservation, holdings, placeAtGate, settleCrossings } from '../shards.js';
import { type LatencySummary, round, Samples, Tally, Timeline, type WindowStat } from '../stats.js';
import { roundSummary } from './actions.js';

/**
 * `gates`: the gate hand-off under load (issue 20). N pilots wait at the Terran end of the gate
 * and fly back and forth through it for the run, each sending its move to the api of the region
 * it is in. A crossing is the whole hand-off in one request (depart, apply in the other shard,
 * the nexus's home, finalize): its latency is the move's, from the request to its 200 answer.
 * At the end every pilot must be in exactly one region, out of transit, with the credits, cargo
 * and fighters of the start, and each shard's ledger equal to its balances.
 */
const DIRECTIONS = ['terran→nexus', 'nexus→terran'] as const;
type Direction = (typeof DIRECTIONS)[number];
/** How long a pilot whose move answered "still crossing" waits for the sweeper to land it. */
const LANDING_TIMEOUT_MS = 30_000;

interface GateRecord {
  handoff: Samples;
  byDirection: Map<Direction, Samples>;
  timeline: Timeline;
  /** moves answered 202: the pilot is crossing, the sweeper finishes it; time from the move to its first 200 there */
  landed: Samples;
  crossings: number;
  failures: Tally;
  seen: number;
  /** pilots that stopped before the end: no turns left */
  outOfTurns: number;
}

type GateMove = { transfer?: { state?: string } };

export async function runGates(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const target = await openRegionalTarget({
    logDir: path.join(options.out, 'logs'),
    profileDir: options.profile ? path.join(options.out, 'profiles') : undefined,
    seed: options.seed,
    onStep: (m) => progress.step(m),
  });
  try {
    const router = RegionRouter.direct(
      target.regions.map((r) => ({ slug: r.slug, apiUrl: r.apiUrl })),
      options.connections,
    );
    const api = new GameApi(router);
    progress.step(`registering ${options.players} players`);
    const registered = await registerPlayers(api, options.players, { runId: target.runId, concurrency: 4, progress });
    const ids = registered.sessions.map((s) => s.userId);
    await placeAtGate(target.shards, ids, { ore: 7, equipment: 3 });
    progress.done(`${ids.length} pilots at the Terran end of the gate (sector ${target.shards.gate.terran} ⇄ ${target.shards.gate.nexus})`);
    const start = await holdings(target.shards, ids);

    progress.step(`gates: ${options.players} pilots for ${options.warmup} s warm-up + ${options.duration} s`);
    const servers = target.children.map((c) => ({ name: c.name, pid: c.pid }));
    const { record, cpu } = await shuttle(target, api, registered.sessions, options, progress, servers);
    const answers = router.answers.toJSON();
    api.dispose(registered.sessions);
    await router.close();

    progress.step('waiting for every crossing to settle');
    const settled = await settleCrossings(target.shards, ids, 60_000);
    const conservation = await checkConservation(target.shards, ids, start);
    progress.done(
      `conservation: ${conservation.ok ? 'zero lost' : 'BROKEN'} (${conservation.by_region.terran} in terran, ${conservation.by_region.nexus} in nexus, ${conservation.in_transit} in transit${settled ? '' : ', not settled after 60 s'})`,
    );
    return gatesReport(options, target, startedAt, record, cpu, answers, conservation, registered);
  } finally {
    progress.step('stopping the target');
    await target.close();
  }
}

async function shuttle(
  target: RegionalTarget,
  api: GameApi,
  sessions: Session[],
  options: BenchOptions,
  progress: Progress,
  servers: Array<{ name: string; pid: number }>,
): Promise<{ record: GateRecord; cpu: ReturnType<CpuMeter['read']> }> {
  const begin = performance.now();
  const measureFrom = begin + options.warmup * 1000;
  const deadline = measureFrom + options.duration * 1000;
  const record: GateRecord = {
    handoff: new Samples(),
    byDirection: new Map(DIRECTIONS.map((d) => [d, new Samples()])),
    timeline: new Timeline(measureFrom, 1000, deadline),
    landed: new Samples(),
    crossings: 0,
    failures: new Tally(),
    seen: 0,
    outOfTurns: 0,
  };
  let meter: CpuMeter | undefined;
  const startMeter = setTimeout(() => (meter = new CpuMeter(servers)), options.warmup * 1000);
  const ticker = setInterval(() => {
    const t = (performance.now() - begin) / 1000;
    const measuring = performance.now() >= measureFrom;
    const rate = measuring ? record.crossings / ((performance.now() - measureFrom) / 1000) : 0;
    progress.update(
      `gates: ${t.toFixed(0)}/${options.warmup + options.duration} s${measuring ? '' : ' (warm-up)'}, ${record.seen} crossings, ${rate.toFixed(1)}/s, failures ${record.failures.total}`,
    );
  }, 500);
  const { gate } = target.shards;
  const counted = (started: number, ended: number) => started >= measureFrom && ended <= deadline;
  try {
    await Promise.all(
      sessions.map(async (session) => {
        while (performance.now() < deadline && !interrupt.requested) {
          const from = session.region?.() === 'nexus' ? 'nexus' : 'terran';
          const direction: Direction = from === 'terran' ? 'terran→nexus' : 'nexus→terran';
          const started = performance.now();
          const reply = await api.move(session, from === 'terran' ? gate.nexus : gate.terran, newActionKey());
          const ended = performance.now();
          const body = reply.body as GateMove | undefined;
          const state = reply.status === 200 ? body?.transfer?.state : undefined;
          if (state === 'arrived') {
            record.seen++;
            if (!counted(started, ended)) continue;
            record.crossings++;
            record.handoff.add(ended - started);
            record.byDirection.get(direction)!.add(ended - started);
            record.timeline.record(ended, ended - started);
          } else if (state === 'in_transit') {
            // Still crossing (the other shard did not answer in time): the sweeper lands it.
            const landed = await landing(api, session, started);
            record.seen++;
            if (landed === undefined) record.failures.add('never landed');
            else if (counted(started, performance.now())) {
              record.crossings++;
              record.landed.add(landed);
            }
          } else if (reply.code === 'insufficient_turns') {
            // A warp costs the hull's turns, a crossing too: this pilot is done for the run (~330 crossings in a new ship).
            record.outOfTurns++;
            return;
          } else {
            if (counted(started, ended)) record.failures.add(reply.code ?? `${reply.status}`);
            // A refusal is not a crossing: look again before the next try.
            await sleep(reply.code === 'in_transit' ? 1_000 : 250);
            await api.state(session);
          }
        }
      }),
    );
  } finally {
    clearTimeout(startMeter);
    clearInterval(ticker);
  }
  meter ??= new CpuMeter(servers);
  const cpu = meter.read();
  const h = roundSummary(record.handoff.summary());
  progress.done(
    `gates: ${round(record.crossings / options.duration, 1)} crossings/s, hand-off p50 ${h.p50} ms, p95 ${h.p95} ms, p99 ${h.p99} ms, ${record.failures.total} failures`,
  );
  return { record, cpu };
}

/** A pilot still crossing asks where it is going until it is there: ms from its move to the first 200, or undefined. */
async function landing(api: GameApi, session: Session, movedAt: number): Promise<number | undefined> {
  const deadline = movedAt + LANDING_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const state = await api.state(session);
    if (state.status === 200) return performance.now() - movedAt;
    await sleep(250);
  }
  return undefined;
}

function gatesReport(
  options: BenchOptions,
  target: RegionalTarget,
  startedAt: string,
  record: GateRecord,
  cpu: ReturnType<CpuMeter['read']>,
  answers: Record<string, number>,
  conservation: Conservation,
  registered: Awaited<ReturnType<typeof registerPlayers>>,
): BenchReport {
  const handoff = roundSummary(record.handoff.summary());
  const landed = roundSummary(record.landed.summary());
  const perSecond = round(record.crossings / options.duration, 1) ?? 0;
  const failures = record.failures.total;
  const timeline: WindowStat[] = record.timeline.stats().map((w) => ({ ...w, p50: round(w.p50)!, p95: round(w.p95)!, p99: round(w.p99)! }));
  const inTransit = { moves_answered_202: answers.gate_in_transit ?? 0, refused_409_in_transit: answers.in_transit ?? 0 };
  const targets: TargetCheck[] = [
    {
      name: 'zero lost',
      goal: 'every pilot in exactly one region, not in transit; credits, cargo, fighters as at the start; ledger = balances in both shards',
      value: conservation.ok ? `yes (${conservation.pilots} pilots)` : conservationProblems(conservation),
      met: conservation.ok,
    },
    { name: 'failed crossings', goal: '0', value: String(failures), met: failures === 0 },
  ];
  const dirRow = (name: string, s: LatencySummary) => [name, s.count, round(s.count / options.duration, 1), s.p50, s.p95, s.p99, s.max];
  const tables: Table[] = [
    {
      title: 'Crossings (the hand-off: move request to its 200 answer)',
      columns: ['direction', 'crossings', 'per second', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      rows: [
        ...DIRECTIONS.map((d) => dirRow(d, roundSummary(record.byDirection.get(d)!.summary()))),
        dirRow('both', handoff),
        ...(landed.count > 0 ? [dirRow('landed after 202', landed)] : []),
      ],
      note: `Each pilot sends its next move as soon as the last one answered, to the api of the region it is in. "landed after 202": moves answered while still crossing, timed to the pilot's first 200 in the region it went to. CPU over the measured phase, % of one core (${cpu.cores} cores = ${cpu.cores * 100}%): generator ${cpu.generator_cpu_pct}%, ${Object.entries(
        cpu.processes,
      )
        .map(([n, v]) => `${n} ${v ?? '–'}%`)
        .join(', ')}; PostgreSQL not counted.`,
    },
    {
      title: 'Answers other than a crossing',
      columns: ['answer', 'count'],
      rows: [
        ['202 still crossing (move)', inTransit.moves_answered_202],
        ['409 in_transit', inTransit.refused_409_in_transit],
        ['409 wrong_region', answers.wrong_region ?? 0],
        ['pilots out of turns (stopped early)', record.outOfTurns],
        ...Object.entries(record.failures.toJSON()).map(([code, n]) => [`failed: ${code}`, n] as [string, number]),
      ],
      note: 'Counted on the wire over the whole run (warm-up included) for 202 and 409; failures over the measured phase.',
    },
    {
      title: 'Conservation at the end',
      columns: ['check', 'start', 'end', 'ok'],
      rows: [
        [
          'pilots in exactly one region',
          conservation.pilots,
          conservation.pilots - conservation.lost - conservation.doubled,
          conservation.lost + conservation.doubled === 0 ? 'yes' : 'NO',
        ],
        ['pilots in transit', 0, conservation.in_transit, conservation.in_transit === 0 ? 'yes' : 'NO'],
        [
          'home on the nexus = shard holding the pilot',
          conservation.pilots,
          conservation.pilots - conservation.homes_wrong,
          conservation.homes_wrong === 0 ? 'yes' : 'NO',
        ],
        ...(['credits', 'cargo', 'fighters'] as const).map((k) => [
          `${k} (sum over both shards)`,
          conservation.totals[k].start,
          conservation.totals[k].end,
          conservation.totals[k].start === conservation.totals[k].end ? 'yes' : 'NO',
        ]),
        ['ledger ≠ balance, terran (users)', 0, conservation.ledger_mismatches.terran, conservation.ledger_mismatches.terran === 0 ? 'yes' : 'NO'],
        ['ledger ≠ balance, nexus (users)', 0, conservation.ledger_mismatches.nexus, conservation.ledger_mismatches.nexus === 0 ? 'yes' : 'NO'],
      ],
      note: `At the end ${conservation.by_region.terran} pilots are in Terran Space, ${conservation.by_region.nexus} in the Central Nexus.`,
    },
  ];
  const latency: LinePanel = {
    kind: 'line',
    title: 'hand-off latency percentiles per second',
    xLabel: 'seconds',
    yLabel: 'ms',
    series: (['p50', 'p95', 'p99'] as const).map((p) => ({ name: p, points: timeline.map((w) => [w.t, w.count ? w[p] : null]) })),
  };
  return {
    scenario: 'gates',
    title: `gates: ${options.players} pilots through the gate, ${options.duration} s`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    options: { players: options.players, duration_s: options.duration, warmup_s: options.warmup, connections: options.connections, seed: options.seed },
    target: target.describe(),
    results: {
      crossings_per_second: perSecond,
      crossings: record.crossings,
      handoff_latency_ms: handoff,
      landed_after_202_ms: landed,
      in_transit: inTransit,
      wrong_region: answers.wrong_region ?? 0,
      pilots_out_of_turns: record.outOfTurns,
      failures: record.failures.toJSON(),
      conservation,
      zero_lost: conservation.ok,
      cpu,
      registration: { players: options.players, per_second: round(registered.registerPerSecond, 1), latency_ms: roundSummary(registered.register) },
      timeline,
    },
    targets,
    tables,
    notes: [],
    chart: {
      title: `SectorWars gates: ${options.players} pilots`,
      subtitle: `two region shards, ${new Date(startedAt).toISOString().slice(0, 10)}`,
      panels: [
        latency,
        {
          kind: 'line',
          title: 'crossings per second',
          xLabel: 'seconds',
          yLabel: 'crossings/s',
          series: [{ name: 'crossings', points: timeline.map((w) => [w.t, w.perSecond]) }],
        },
      ],
    },
  };
}

function conservationProblems(c: Conservation): string {
  const problems = [
    c.lost ? `${c.lost} lost` : '',
    c.doubled ? `${c.doubled} in both shards` : '',
    c.in_transit ? `${c.in_transit} in transit` : '',
    c.homes_wrong ? `${c.homes_wrong} homes wrong` : '',
    ...(['credits', 'cargo', 'fighters'] as const).map((k) => (c.totals[k].start === c.totals[k].end ? '' : `${k} ${c.totals[k].start} → ${c.totals[k].end}`)),
    c.ledger_mismatches.terran || c.ledger_mismatches.nexus
      ? `ledger ≠ balances (terran ${c.ledger_mismatches.terran}, nexus ${c.ledger_mismatches.nexus})`
      : '',
  ];
  return problems.filter(Boolean).join('; ');
}
