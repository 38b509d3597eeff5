import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './processes.js';

export const SCENARIOS = ['actions', 'fanout', 'generate', 'economy', 'combat', 'gates'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenario: ScenarioName;
  /** a deployment to drive; without it the bench starts its own */
  target: string | undefined;
  /** the realtime WebSocket URL of a --target deployment (default: the target's /ws) */
  realtimeUrl: string | undefined;
  players: number;
  duration: number;
  warmup: number;
  connections: number;
  out: string;
  seed: string;
  baselines: boolean;
  /** start an embedded target even when DATABASE_URL is set */
  embedded: boolean;
  profile: boolean;
  quiet: boolean;
  /** generate: galaxy sizes in sectors */
  sizes: number[];
  /** generate: random pairs plotted per mode */
  pairs: number;
  /** fanout: how many sectors the sockets are spread over */
  sectors: number;
  /** fanout: trades per second per sector in the trades phase */
  rate: number;
  /** fanout: threads that hold the sockets and receive (0: the main thread) */
  receivers: number;
  /** economy: GAME_TIME_SCALE of the target the bench starts */
  timeScale: number;
  /** economy: simulated days (the run stops at --duration or here, whichever is first) */
  days: number;
  /** economy: extra traders that work the best near pair round and round */
  workers: number;
  /** economy: game days they work it before stopping (default: half the run) */
  workDays: number | undefined;
  /** economy: traders working a frontier pair (half armed), pirate hunters, rogues, pirates per region */
  frontier: number;
  hunters: number;
  rogues: number;
  pirates: number;
  /** actions: player counts for a load curve, each its own phase after the main one (empty: none) */
  curve: number[];
  /** economy: colonizing pilots (a genesis torpedo, colonists, a planet's goods sold) */
  colonizers: number;
  /** actions: mean pause between one player's actions in ms (0 = back to back, the saturation test) */
  think: number;
  /** actions: 2 starts a two-region target (or drives a --target stack's two regions), half the players in each */
  regions: number;
  /** actions on a target the bench starts on PostgreSQL: api processes, the pool split between them, players spread over them */
  apiProcesses: number;
}

/** Per scenario: what a run does without flags (small enough to finish in about a minute). */
const DEFAULTS: Record<ScenarioName, { players: number; duration: number; connections?: number }> = {
  actions: { players: 50, duration: 30 },
  fanout: { players: 0, duration: 15, connections: 1_000 },
  generate: { players: 0, duration: 0 },
  // A month at a game day per 6 s: slow enough that pair workers can move a market.
  economy: { players: 20, duration: 200 },
  combat: { players: 0, duration: 0 },
  gates: { players: 50, duration: 30 },
};

export const USAGE = `usage: npm run bench -- <scenario> [options]

scenarios:
  actions    N virtual players doing a realistic mix of reads, quotes, trades and moves
             (+ raw-SQL and bare-Hono baselines)
  fanout     N WebSocket clients in a few sectors, trade events published there
             (+ plain ws and idle uWS baselines)
  generate   galaxy generation and persistence for 10k and 100k sectors (or --sectors N);
             plot-course latency
  economy    bots trading for a simulated month at accelerated game time; balance checks
  combat     the combat rule over a table of matchups, seeded: win rates, rounds, losses
  gates      N pilots shuttling through the gate between two region shards: crossings/s,
             hand-off latency, and a conservation check at the end (needs DATABASE_URL)

options:
  --target URL        actions: drive this deployment (it needs RATE_LIMITS=false to register many players)
  --realtime-url URL  its WebSocket endpoint (default: the target's /ws)
  --players N         virtual players (actions, economy)
  --duration S        seconds of measured load (after --warmup)
  --warmup S          seconds of load before measuring (default 3)
  --connections N     HTTP keep-alive connections (actions; default = players) or WebSocket clients (fanout)
  --out DIR           where result.json, summary.md and chart.svg go (default bench/results/<scenario>-<time>/)
  --seed S            galaxy seed of a target the bench starts (default "bench")
  --no-baselines      skip the baselines
  --embedded          actions: start an embedded target (sectorwars all on PGlite) even with DATABASE_URL set
  --profile           run the server processes with --cpu-prof (profiles under --out/profiles)
  --sizes A,B         generate: galaxy sizes (default 10000,100000)
  --pairs N           generate: plotted pairs per mode; combat: engagements per matchup (default 2000)
  --sectors N         fanout: sectors the sockets are spread over (default 5);
                      generate: one galaxy of N sectors (as --sizes N)
  --rate N            fanout: trades per second per sector in the trades phase (default 5)
  --receivers N       fanout: threads that hold the sockets and receive (default: the cores, at most 4; 0: the main thread)
  --time-scale N      economy: GAME_TIME_SCALE (default 14400, a game day per 6 seconds)
  --days N            economy: simulated days (default 30)
  --workers N         economy: extra traders working the best near pair (default 6)
  --work-days N       economy: game days they work it, then stop (default: half of --days)
  --frontier N        economy: traders working a frontier pair, half of them armed (default 8)
  --hunters N         economy: pirate hunters, given capital for a Defender (default 2)
  --rogues N          economy: pilots who attack traders and meet the police (default 1)
  --pirates N         economy: pirates per region (NPC_PIRATES_PER_REGION, default 10)
  --curve N,N,...     actions: a load curve, one more phase per player count (e.g. 50,100,200,400)
  --colonizers N      economy: pilots who found a planet and sell what it makes (default 4)
  --think MS          actions: mean pause between a player's actions (exponential; default 0 =
                      back to back, which measures saturation; ~1000 is a player at the helm)
  --regions N         actions: 2 = players in two regions (with DATABASE_URL: a two-shard target of
                      the bench's own, half the players sent through the gate first; with --target:
                      a stack serving /r/<slug>/, players follow their pilot's base_path)
  --api-processes N   actions: N api processes on PostgreSQL (default 1), DATABASE_POOL_SIZE split
                      between them and the players spread over them, as a gateway would
  --quiet             no progress output
`;

export class UsageError extends Error {}

export function parseOptions(argv: string[], now = new Date()): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      'realtime-url': { type: 'string' },
      players: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      'no-baselines': { type: 'boolean', default: false },
      embedded: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      pairs: { type: 'string' },
      sectors: { type: 'string' },
      rate: { type: 'string' },
      receivers: { type: 'string' },
      'time-scale': { type: 'string' },
      days: { type: 'string' },
      workers: { type: 'string' },
      'work-days': { type: 'string' },
      frontier: { type: 'string' },
      hunters: { type: 'string' },
      rogues: { type: 'string' },
      pirates: { type: 'string' },
      colonizers: { type: 'string' },
      think: { type: 'string' },
      curve: { type: 'string' },
      regions: { type: 'string' },
      'api-processes': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const scenario = positionals[0];
  if (!scenario || !(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new UsageError(scenario ? `unknown scenario "${scenario}"` : 'name a scenario');
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const name = scenario as ScenarioName;
  const defaults = DEFAULTS[name];
  const players = count('players', values.players, defaults.players, 1);
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d\dZ$/, 'Z');
  const target = values.target?.replace(/\/+$/, '');
  if (target !== undefined && !/^https?:\/\/[^\s]+$/.test(target)) throw new UsageError('--target must be an http:// or https:// URL');
  return {
    scenario: name,
    target,
    realtimeUrl: values['realtime-url'],
    players,
    duration: number('duration', values.duration, defaults.duration, 0),
    warmup: number('warmup', values.warmup, 3, 0),
    connections: count('connections', values.connections, defaults.connections ?? players, 1),
    out: path.resolve(values.out ?? path.join(REPO_ROOT, 'bench', 'results', `${name}-${stamp}`)),
    seed: values.seed ?? 'bench',
    baselines: !values['no-baselines'],
    embedded: values.embedded,
    profile: values.profile,
    quiet: values.quiet,
    sizes: (values.sizes ?? (name === 'generate' ? values.sectors : undefined) ?? '10000,100000').split(',').map((s) => count('sizes', s.trim(), 0, 11)),
    pairs: count('pairs', values.pairs, 2_000, 1),
    sectors: count('sectors', values.sectors, 5, 1),
    rate: number('rate', values.rate, 5, 0.1),
    receivers: count('receivers', values.receivers, Math.min(4, os.availableParallelism()), 0),
    timeScale: number('time-scale', values['time-scale'], 14_400, 1),
    days: number('days', values.days, 30, 0.01),
    workers: count('workers', values.workers, 6, 0),
    workDays: values['work-days'] === undefined ? undefined : number('work-days', values['work-days'], 0, 0),
    colonizers: count('colonizers', values.colonizers, 4, 0),
    think: number('think', values.think, 0, 0),
    curve: values.curve ? values.curve.split(',').map((n) => count('curve', n.trim(), 0, 1)) : [],
    frontier: count('frontier', values.frontier, 8, 0),
    hunters: count('hunters', values.hunters, 2, 0),
    rogues: count('rogues', values.rogues, 1, 0),
    pirates: count('pirates', values.pirates, 10, 0),
    regions: regionCount(values.regions),
    apiProcesses: count('api-processes', values['api-processes'], 1, 1),
  };
}

function regionCount(value: string | undefined): number {
  const n = count('regions', value, 1, 1);
  if (n > 2) throw new UsageError('--regions must be 1 or 2 (the default galaxy has two regions)');
  return n;
}

function number(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}`);
  return n;
}

function count(name: string, value: string | undefined, fallback: number, min: number): number {
  const n = number(name, value, fallback, min);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number`);
  return n;
}
