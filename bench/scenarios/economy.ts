import path from 'node:path';
import pg from 'pg';
import { BASE_PRICE, GOODS } from '../../game/catalog/goods.js';
import { HULLS, type HullId } from '../../game/catalog/hulls.js';
import { STARDOCK } from '../../game/catalog/stardock.js';
import { STARDOCK_CLASS } from '../../game/catalog/ports.js';
import { NEW_PILOT } from '../../game/catalog/new-pilot.js';
import { DEFAULT_GALAXY } from '../../game/catalog/galaxy.js';
import { GAME_DAY_MS } from '../../game/catalog/time.js';
import { generateGalaxy } from '../../game/galaxy.js';
import { hopDistances } from '../../game/connectivity.js';
import { buildWarpGraph, hopsFrom, plotCourse, type WarpGraph } from '../../game/pathfinding.js';
import { routesNearStart } from '../../game/trade-routes.js';
import { STOCK_DRIFT } from '../../game/catalog/market.js';
import { currentUnitPrice, priceBand, quoteBuy, quoteSell } from '../../game/pricing.js';
import type { PortGood } from '../../game/trade.js';
import { driftedGood, type StoredGood } from '../../world/sector-view.js';
import { GameApi, HttpDriver, type Good, type PlayerState, type Session } from '../game-api.js';
import {
  FrontierTrader,
  type FrontierMap,
  type FrontierOutcome,
  type FrontierRole,
  type FrontierTally,
  frontierOutcome,
  grantCapital,
  newFrontierTally,
  PirateHunter,
  Rogue,
} from '../frontier.js';
import { interrupt } from '../interrupt.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import { registerPlayers } from '../players.js';
import { CpuMeter, sleep } from '../processes.js';
import type { Progress } from '../progress.js';
import type { BenchReport, TargetCheck } from '../report.js';
import { round } from '../stats.js';
import { openTarget } from '../target.js';
import { Colonist, type ColonyPlan, type ColonyTally, newColonyTally } from '../colonist.js';
import { PairWorker, type WorkedPair } from '../pair-worker.js';
import { TraderBot, newTally, type BotTally } from '../trader-bot.js';

/** The balance target of GAME.md "Trading": the best pair near a new player's start. */
const ROUND_TRIP_TARGET = { min: 0.1, max: 0.3 };
/** "Near sector 1" as game/balance.test.ts measures it: ports within this many hops … */
const NEAR_HOPS = 10;
/** … paired with ports at most this many hops away, both ways. */
const PAIR_HOPS = 2;
const HOLDS = HULLS.light_freighter.holds;

interface Sample {
  /** game days since the start */
  day: number;
  players_credits: number;
  npc_credits: number;
  ledger_total: number;
  trades: number;
  band_violations: number;
  stock_violations: number;
  best_round_trip: number | null;
  median_round_trip: number | null;
  /** the pair the workers trade, and an idle pair sharing no port with it, at this sample's stocks */
  worked_pair: number | null;
  idle_pair: number | null;
  /** mean unit price / base over every port good, per good */
  price_index: Record<Good, number>;
}

/**
 * `economy`: a target on PostgreSQL at GAME_TIME_SCALE --time-scale (default: a game day per 6
 * real seconds) with its jobs (market drift, NPC traders), --players trader bots and --workers
 * pair workers (trading the best near pair until --work-days) playing for --days game days
 * (bounded by --duration). Four times a game day the database is sampled: money supply (credits
 * of players and NPCs, checked against the ledger), every port price against its band, the best
 * round trip between ports near sector 1 at that sample's stocks (GAME.md: 10–30%), and the
 * worked pair's margin beside an idle pair's. Before the run, the route finder's best pair near
 * sector 1 is measured on NEWCOMER_SEEDS galaxies (generation only).
 */
export async function runEconomy(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  if (options.target || !process.env.DATABASE_URL) {
    throw new Error(
      'economy starts its own target on PostgreSQL (it samples money supply and every port from the database): run it without --target, with DATABASE_URL set',
    );
  }
  const startedAt = new Date().toISOString();
  const target = await openTarget({
    logDir: path.join(options.out, 'logs'),
    profileDir: options.profile ? path.join(options.out, 'profiles') : undefined,
    timeScale: options.timeScale,
    jobs: true,
    seed: options.seed,
    env: { NPC_PIRATES_PER_REGION: String(options.pirates) },
    onStep: (m) => progress.step(m),
  });
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 2 });
  try {
    const http = new HttpDriver(target.baseUrl, options.players);
    const api = new GameApi(http);
    const frontierCount = options.frontier + options.hunters + options.rogues;
    progress.step(
      `registering ${options.players} trader bots, ${options.workers} pair workers, ${options.frontier} frontier traders, ${options.hunters} hunters, ${options.rogues} rogues and ${options.colonizers} colonizers`,
    );
    const registered = await registerPlayers(api, options.players + options.workers + frontierCount + options.colonizers, {
      runId: target.runId,
      concurrency: 4,
      progress,
    });
    const tally = newTally();
    const market = await loadMarket(pool);
    const galaxy = generateGalaxy({ seed: options.seed, terranSectors: DEFAULT_GALAXY.terranSectors, nexusSectors: DEFAULT_GALAXY.nexusSectors });
    // The bots spend their profits at the Stardock (hulls, holds, fighters): the money supply's sink.
    const stardock = galaxy.ports.find((p) => p.portClass === STARDOCK_CLASS)?.sectorId ?? null;
    // Half the bots arm first (fighters up to their hull's most), half never buy any: who pirates raid.
    const bots = registered.sessions.slice(0, options.players).map((s, i) => new TraderBot(api, s, registered.states[i]!, tally, stardock, i % 2 === 0));
    const pairs = choosePairs(market, galaxy);
    market.worked = pairs?.worked.ports ?? null;
    market.idle = pairs?.idle?.ports ?? null;
    const workDays = options.workDays ?? options.days / 2;
    const workers = pairs
      ? registered.sessions
          .slice(options.players, options.players + options.workers)
          .map((s, i) => new PairWorker(api, s, registered.states[options.players + i]!, pairs.worked.plan, tally))
      : [];
    const frontierTally = newFrontierTally();
    const cast = await castFrontier(
      api,
      registered.sessions.slice(options.players + options.workers, options.players + options.workers + frontierCount),
      registered.states.slice(options.players + options.workers, options.players + options.workers + frontierCount),
      galaxy,
      stardock,
      frontierTally,
      options,
      target.databaseUrl,
    );
    const roles = new Map<string, FrontierRole>([
      ...bots.map((b, i) => [registered.sessions[i]!.userId, b.armed ? 'trader_armed' : 'trader_unarmed'] as [string, FrontierRole]),
      ...cast.pilots.map((p) => [p.userId, p.role] as [string, FrontierRole]),
    ]);
    const seconds = Math.min(options.duration, (options.days * GAME_DAY_MS) / options.timeScale / 1000);
    const dayMs = GAME_DAY_MS / options.timeScale;
    const colonyTally = newColonyTally();
    const firstColonizer = options.players + options.workers + frontierCount;
    const colonyPlans = await planColonies(pool, options.colonizers, dayMs);
    const colonizers = registered.sessions
      .slice(firstColonizer)
      .map((s, i) => new Colonist(s, registered.states[firstColonizer + i]!, colonyPlans[i]!, colonyTally));
    // A torpedo costs more than a new pilot has: the colonizers' capital is granted through the applier (a source in the flows table).
    await grantCapital(
      target.databaseUrl,
      registered.sessions.slice(firstColonizer).map((s) => ({ userId: s.userId, credits: COLONIZER_CAPITAL })),
    );
    progress.step(`economy: ${options.players} bots for ${round((seconds * 1000) / dayMs, 1)} game days (${seconds} s at ×${options.timeScale})`);
    const samples: Sample[] = [];
    const begin = Date.now();
    const deadline = performance.now() + seconds * 1000;
    const meter = new CpuMeter(target.children.map((c) => ({ name: c.name, pid: c.pid })));
    samples.push(await sample(pool, market, options.timeScale, 0));
    const sampler = (async () => {
      // Four samples per game day (at most 4 a second: a slow clock still gets a curve), so a
      // worked pair's recovery over a day or two shows as a curve, not a step.
      const every = Math.max(250, dayMs / 4);
      while (performance.now() < deadline && !interrupt.requested) {
        await sleep(Math.min(every, Math.max(0, deadline - performance.now())));
        samples.push(await sample(pool, market, options.timeScale, (Date.now() - begin) / dayMs));
        const last = samples.at(-1)!;
        progress.update(
          `day ${last.day.toFixed(1)}: money ${last.players_credits.toLocaleString('en-US')}, trades ${last.trades}, best round trip ${pct(last.best_round_trip)}, band violations ${last.band_violations}`,
        );
      }
    })();
    const workUntil = begin + workDays * dayMs;
    await Promise.all([
      ...bots.map(async (bot) => {
        while (performance.now() < deadline && !interrupt.requested) await bot.step();
      }),
      ...workers.map((worker) => worker.run(() => Date.now() >= workUntil || performance.now() >= deadline || interrupt.requested)),
      ...cast.pilots.map((p) => p.run(() => performance.now() >= deadline || interrupt.requested)),
      ...colonizers.map((c) => c.run(() => performance.now() >= deadline || interrupt.requested)),
    ]);
    const planetStock = await planetGoods(pool);
    await sampler;
    const cpu = meter.read();
    const flows = await moneyFlows(pool);
    const frontier = await frontierOutcome(pool, roles);
    progress.done(`economy: ${tally.trades} bot trades, ${tally.roundTrips.length} round trips`);
    api.dispose(registered.sessions);
    await http.close();
    return economyReport(options, target.describe(), startedAt, samples, asGenerated(market, options.seed), tally, cpu, seconds, {
      worked: pairs?.worked ?? null,
      idle: pairs?.idle ?? null,
      workers: workers.length,
      workDays,
      newcomers: newcomerRoutes(options.seed),
      flows,
      frontier: { outcome: frontier, tally: frontierTally, bots: tally, pair: cast.pair },
      colonies: { tally: colonyTally, stock: planetStock },
    });
  } finally {
    await pool.end();
    progress.step('stopping the target');
    await target.close();
  }
}

interface Market {
  /** port id → sector, for the ports within NEAR_HOPS of sector 1 */
  nearPorts: Map<number, number>;
  /** pairs of near ports at most PAIR_HOPS apart both ways */
  pairs: Array<[number, number]>;
  /** the pair the workers trade and an idle one (port ids), once chosen */
  worked?: [number, number] | null;
  idle?: [number, number] | null;
}

async function loadMarket(pool: pg.Pool): Promise<Market> {
  const warps = (await pool.query('select from_sector_id as "from", to_sector_id as "to" from warps')).rows as Array<{ from: number; to: number }>;
  const graph = buildWarpGraph(warps);
  const distance = hopDistances(graph, 1);
  const ports = (await pool.query(`select p.id, p.sector_id from ports p where p.port_class between 1 and 8`)).rows as Array<{ id: number; sector_id: number }>;
  const near = ports.filter((p) => (distance[p.sector_id] ?? -1) >= 0 && (distance[p.sector_id] as number) <= NEAR_HOPS);
  const pairs: Array<[number, number]> = [];
  near.forEach((a, i) => {
    for (const b of near.slice(i + 1)) {
      const there = plotCourse(graph, a.sector_id, b.sector_id, { turnsPerWarp: 1 });
      const back = plotCourse(graph, b.sector_id, a.sector_id, { turnsPerWarp: 1 });
      if (there && back && there.hops <= PAIR_HOPS && back.hops <= PAIR_HOPS) pairs.push([a.id, b.id]);
    }
  });
  return { nearPorts: new Map(near.map((p) => [p.id, p.sector_id])), pairs };
}

function bestFirst(market: Market, goodsOf: (portId: number) => Map<Good, PortGood> | undefined): number[] {
  return market.pairs
    .map(([a, b]) => roundTrip(goodsOf(a), goodsOf(b)))
    .filter((m): m is number => m !== null)
    .sort((x, y) => y - x);
}

/** A port's goods as the galaxy generated them (port ids are the generator's index + 1). */
function generatedGoods(galaxy: ReturnType<typeof generateGalaxy>, id: number): Map<Good, PortGood> | undefined {
  const port = galaxy.ports[id - 1];
  if (!port) return undefined;
  const goods = new Map<Good, PortGood>();
  for (const good of GOODS) {
    const def = port.goods[good];
    if (def)
      goods.set(good, { good, mode: def.mode, capacity: def.capacity, stock: def.stock, anchorMs: 0, fixedPrice: def.fixedPrice, base: BASE_PRICE[good] });
  }
  return goods;
}

export interface ChosenPair {
  ports: [number, number];
  sectors: [number, number];
  /** its round trip at the generated stocks */
  margin: number;
  plan: WorkedPair;
}

/**
 * The pair the workers trade: the best near pair as generated (the one a sharp newcomer would
 * find first). The idle pair: a near pair sharing no port with it, which nobody is sent to.
 */
function choosePairs(market: Market, galaxy: ReturnType<typeof generateGalaxy>): { worked: ChosenPair; idle: ChosenPair | null } | null {
  const graph = buildWarpGraph(galaxy.warps);
  const ranked = market.pairs
    .map(([a, b]) => ({ a, b, margin: roundTrip(generatedGoods(galaxy, a), generatedGoods(galaxy, b)) }))
    .filter((p): p is { a: number; b: number; margin: number } => p.margin !== null)
    .sort((x, y) => y.margin - x.margin);
  const top = ranked[0];
  if (!top) return null;
  const chosen = (p: { a: number; b: number; margin: number }) => planPair(galaxy, graph, p);
  // The bots explore outward from Terra and trade what they find, so the idle pair is the one
  // farthest out that still pays 10%: the least likely to be found and worked by chance.
  const fromTerra = hopsFrom(graph, 1);
  const farEnd = (p: { a: number; b: number }) => Math.max(fromTerra[market.nearPorts.get(p.a)!]!, fromTerra[market.nearPorts.get(p.b)!]!);
  const idle = ranked
    .filter((p) => p.margin >= 0.1 && p.a !== top.a && p.a !== top.b && p.b !== top.a && p.b !== top.b)
    .sort((x, y) => farEnd(y) - farEnd(x) || y.margin - x.margin)[0];
  return { worked: chosen(top), idle: idle ? chosen(idle) : null };
}

/** A pair of ports (ids) as a plan to work: the goods each way and the courses between them. */
function planPair(galaxy: ReturnType<typeof generateGalaxy>, graph: WarpGraph, p: { a: number; b: number; margin: number }): ChosenPair {
  const [ga, gb] = [generatedGoods(galaxy, p.a)!, generatedGoods(galaxy, p.b)!];
  const sectors: [number, number] = [galaxy.ports[p.a - 1]!.sectorId, galaxy.ports[p.b - 1]!.sectorId];
  return {
    ports: [p.a, p.b],
    sectors,
    margin: round(p.margin, 4)!,
    plan: { a: sectors[0], b: sectors[1], out: bestLeg(ga, gb).good, back: bestLeg(gb, ga).good, course: (from, to) => courseBetween(graph, from, to) },
  };
}

/** The best pair of trading ports in the frontier, at most PAIR_HOPS apart both ways, as generated: where the pirates roam. */
function frontierPair(galaxy: ReturnType<typeof generateGalaxy>, graph: WarpGraph): ChosenPair | null {
  const zone = new Map(galaxy.sectors.map((s) => [s.id, s.zone]));
  const ports = galaxy.ports
    .map((p, i) => ({ id: i + 1, sectorId: p.sectorId, portClass: p.portClass }))
    .filter((p) => p.portClass >= 1 && p.portClass <= 8 && zone.get(p.sectorId) === 'frontier');
  const hops = new Map(ports.map((p) => [p.id, hopsFrom(graph, p.sectorId)]));
  let best: { a: number; b: number; margin: number } | null = null;
  for (const a of ports) {
    for (const b of ports) {
      if (b.id <= a.id || (hops.get(a.id)![b.sectorId] ?? -1) < 0 || hops.get(a.id)![b.sectorId]! > PAIR_HOPS) continue;
      const back = hops.get(b.id)![a.sectorId] ?? -1;
      if (back < 0 || back > PAIR_HOPS) continue;
      const margin = roundTrip(generatedGoods(galaxy, a.id), generatedGoods(galaxy, b.id));
      if (margin !== null && (!best || margin > best.margin)) best = { a: a.id, b: b.id, margin };
    }
  }
  return best ? planPair(galaxy, graph, best) : null;
}

/** Credits each hunter is given to fit a Defender (250,000) and fill it with fighters. */
const HUNTER_CAPITAL = 320_000;

interface FrontierCast {
  pilots: Array<{ userId: string; role: FrontierRole; run(stop: () => boolean): Promise<void> }>;
  /** the frontier pair the frontier traders work */
  pair: ChosenPair | null;
}

/** Frontier traders (half armed), hunters with their capital, and rogues, from the last registered sessions. */
async function castFrontier(
  api: GameApi,
  sessions: Session[],
  states: PlayerState[],
  galaxy: ReturnType<typeof generateGalaxy>,
  stardock: number | null,
  tally: FrontierTally,
  options: BenchOptions,
  databaseUrl: string | undefined,
): Promise<FrontierCast> {
  const graph = buildWarpGraph(galaxy.warps);
  const sectors = new Map(galaxy.sectors.map((s) => [s.id, s]));
  const map: FrontierMap = {
    stardock: stardock ?? 1,
    course: (from, to) => courseBetween(graph, from, to),
    neighbours: (id) => Array.from(graph.targets.subarray(graph.offsets[id]!, graph.offsets[id + 1]!)),
    zone: (id) => sectors.get(id)?.zone ?? 'frontier',
    fedspace: (id) => sectors.get(id)?.fedspace ?? false,
  };
  const pair = options.frontier > 0 ? frontierPair(galaxy, graph) : null;
  const pilots: FrontierCast['pilots'] = [];
  const cast = sessions.map((session, i) => ({ session, state: states[i]! }));
  const traders = cast.slice(0, options.frontier);
  const hunters = cast.slice(options.frontier, options.frontier + options.hunters);
  const rogues = cast.slice(options.frontier + options.hunters);
  const prey = pair ? traders.filter((_t, i) => i % 2 === 1).map((t) => t.session.username) : [];
  if (pair) {
    traders.forEach(({ session, state }, i) => {
      const trader = new FrontierTrader(api, session, state, map, tally, pair.plan, i % 2 === 0);
      pilots.push({ userId: session.userId, role: trader.role, run: (stop) => trader.run(stop) });
    });
  }
  await grantCapital(
    databaseUrl,
    hunters.map(({ session }) => ({ userId: session.userId, credits: HUNTER_CAPITAL })),
  );
  for (const { session, state } of hunters) {
    const hunter = new PirateHunter(api, session, { ...state, player: { ...state.player, credits: state.player.credits + HUNTER_CAPITAL } }, map, tally);
    pilots.push({ userId: session.userId, role: 'hunter', run: (stop) => hunter.run(stop) });
  }
  // Rogues prey on the frontier pair's unarmed traders: without a pair they stay home.
  if (pair) {
    for (const { session, state } of rogues) {
      const rogue = new Rogue(api, session, state, map, tally, pair.sectors, prey);
      pilots.push({ userId: session.userId, role: 'rogue', run: (stop) => rogue.run(stop) });
    }
  }
  return { pilots, pair };
}

function courseBetween(graph: WarpGraph, from: number, to: number): number[] {
  const course = plotCourse(graph, from, to, { turnsPerWarp: 1 });
  if (!course) throw new Error(`no course from ${from} to ${to}`);
  return course.path;
}

/** Seeds the newcomer figure is measured over: the galaxy's tuning, not one lucky seed. */
export const NEWCOMER_SEEDS = 20;

export interface NewcomerRoute {
  seed: string;
  /** the best pair within NEAR_HOPS of sector 1 by the route finder's own ranking; null when none pays */
  profit_per_turn: number | null;
  margin: number | null;
  hops_from_start: number | null;
  sectors: [number, number] | null;
  /** hops out to the nearest pair paying 40+ credits a turn */
  nearest_40_hops: number | null;
}

/**
 * What a new pilot can find near Terra on each of NEWCOMER_SEEDS seeds: the route finder's
 * ranking (game/trade-routes.ts) over every port within NEAR_HOPS of sector 1 as generated,
 * for a Light Freighter with the starting credits.
 */
export function newcomerRoutes(seed: string): NewcomerRoute[] {
  return Array.from({ length: NEWCOMER_SEEDS }, (_v, i) => {
    const s = `${seed}-${i + 1}`;
    const galaxy = generateGalaxy({ seed: s, terranSectors: DEFAULT_GALAXY.terranSectors, nexusSectors: DEFAULT_GALAXY.nexusSectors });
    const routes = routesNearStart(galaxy, { maxHops: NEAR_HOPS, holds: HOLDS, credits: NEW_PILOT.credits, turnsPerWarp: HULLS.light_freighter.turnsPerWarp });
    const best = routes[0];
    const nearest = routes.filter((r) => r.profitPerTurn >= 40).sort((x, y) => x.hopsFromStart - y.hopsFromStart)[0];
    const cost = best ? (best.out?.cost ?? 0) + (best.back?.cost ?? 0) : 0;
    return {
      seed: s,
      profit_per_turn: best ? round(best.profitPerTurn, 1) : null,
      margin: best && cost > 0 ? round(best.profit / cost, 4) : null,
      hops_from_start: best?.hopsFromStart ?? null,
      sectors: best ? [best.from, best.to] : null,
      nearest_40_hops: nearest?.hopsFromStart ?? null,
    };
  });
}

/**
 * The best round trip at the stocks the galaxy was generated with: the target's galaxy is
 * generated again here from its seed (generation is deterministic; port ids are their index + 1),
 * since by the first sample drift and the jobs have already moved the stored stocks.
 */
function asGenerated(market: Market, seed: string): number | null {
  const galaxy = generateGalaxy({ seed, terranSectors: DEFAULT_GALAXY.terranSectors, nexusSectors: DEFAULT_GALAXY.nexusSectors });
  const margins = bestFirst(market, (id) => generatedGoods(galaxy, id));
  return margins.length ? round(margins[0]!, 4) : null;
}

export interface MoneyFlow {
  reason: string;
  kind: 'source' | 'sink' | 'transfer';
  entries: number;
  total: number;
}

/** The ledger by reason: what created credits, what destroyed them (the Stardock's rows among them). */
async function moneyFlows(pool: pg.Pool): Promise<MoneyFlow[]> {
  const { rows } = await pool.query<{ reason: string; entries: string; total: string }>(
    'select reason, count(*)::bigint as entries, coalesce(sum(delta), 0)::bigint as total from credit_ledger group by reason order by sum(delta) desc',
  );
  return rows.map((r) => {
    const total = Number(r.total);
    return { reason: r.reason, kind: total > 0 ? 'source' : total < 0 ? 'sink' : 'transfer', entries: Number(r.entries), total };
  });
}

async function sample(pool: pg.Pool, market: Market, timeScale: number, day: number): Promise<Sample> {
  const now = Date.now();
  // Balances and the ledger in one statement, so one snapshot: read apart, a trade committing
  // between the two reads showed up as a gap.
  const [money, goods] = await Promise.all([
    pool.query(
      `select b.players, b.npcs, l.total, l.trades from
        (select coalesce(sum(credits) filter (where not npc), 0)::bigint as players, coalesce(sum(credits) filter (where npc), 0)::bigint as npcs from players) b,
        (select coalesce(sum(delta), 0)::bigint as total, count(*) filter (where reason like 'trade%' or reason like 'npc%')::bigint as trades from credit_ledger) l`,
    ),
    pool.query('select * from port_goods'),
  ]);
  const credits = money;
  const ledger = money;
  let bandViolations = 0;
  let stockViolations = 0;
  const priceSum: Record<Good, number> = { ore: 0, organics: 0, equipment: 0 };
  const priceCount: Record<Good, number> = { ore: 0, organics: 0, equipment: 0 };
  const byPort = new Map<number, Map<Good, PortGood>>();
  for (const row of goods.rows as Array<StoredGood & { port_id: number }>) {
    if (row.stock < 0 || row.stock > row.capacity) stockViolations++;
    if (row.good === 'colonists') continue;
    const good = row.good as Good;
    const drifted = driftedGood(row, now, timeScale);
    const price = currentUnitPrice(drifted);
    const [floor, ceiling] = priceBand(BASE_PRICE[good]);
    if (price < floor || price > ceiling) bandViolations++;
    if (!row.fixed_price) {
      priceSum[good] += price / BASE_PRICE[good];
      priceCount[good]++;
    }
    if (market.nearPorts.has(row.port_id)) {
      let port = byPort.get(row.port_id);
      if (!port) byPort.set(row.port_id, (port = new Map()));
      port.set(good, drifted);
    }
  }
  const margins = bestFirst(market, (id) => byPort.get(id));
  const pairMargin = (pair: [number, number] | null | undefined) => {
    const m = pair ? roundTrip(byPort.get(pair[0]), byPort.get(pair[1])) : null;
    return m === null ? null : round(m, 4);
  };
  const { players, npcs } = credits.rows[0] as { players: number; npcs: number };
  return {
    day: round(day, 2)!,
    players_credits: Number(players),
    npc_credits: Number(npcs),
    ledger_total: Number((ledger.rows[0] as { total: number }).total),
    trades: Number((ledger.rows[0] as { trades: number }).trades),
    band_violations: bandViolations,
    stock_violations: stockViolations,
    best_round_trip: margins.length ? round(margins[0]!, 4) : null,
    median_round_trip: margins.length ? round(margins[Math.floor(margins.length / 2)]!, 4) : null,
    worked_pair: pairMargin(market.worked),
    idle_pair: pairMargin(market.idle),
    price_index: Object.fromEntries(GOODS.map((g) => [g, round(priceCount[g] ? priceSum[g] / priceCount[g] : Number.NaN, 3)])) as Record<Good, number>,
  };
}

/**
 * A round trip's margin between two ports at their current stocks, as game/balance.test.ts
 * defines it: the best full load each way, profit over what the goods cost.
 */
export function roundTrip(a: Map<Good, PortGood> | undefined, b: Map<Good, PortGood> | undefined): number | null {
  if (!a || !b) return null;
  const out = bestLeg(a, b);
  const home = bestLeg(b, a);
  const cost = out.cost + home.cost;
  return cost > 0 ? (out.profit + home.profit) / cost : null;
}

function bestLeg(from: Map<Good, PortGood>, to: Map<Good, PortGood>): { cost: number; profit: number; good: Good | null } {
  let best: { cost: number; profit: number; good: Good | null } = { cost: 0, profit: 0, good: null };
  for (const good of GOODS) {
    const source = from.get(good);
    const sink = to.get(good);
    if (source?.mode !== 'sell' || sink?.mode !== 'buy') continue;
    const bought = quoteBuy(source, HOLDS);
    const sold = quoteSell(sink, HOLDS);
    if ('error' in bought || 'error' in sold) continue;
    if (sold.total - bought.total > best.profit) best = { cost: bought.total, profit: sold.total - bought.total, good };
  }
  return best;
}

interface FrontierFigures {
  outcome: FrontierOutcome;
  tally: FrontierTally;
  bots: BotTally;
  pair: ChosenPair | null;
}

/** A trader who keeps enough fighters should rarely lose a ship: at most this many per ten armed traders a month. */
const ARMED_LOSSES_PER_TEN = 1;

/** Pirates, police and what they did to the money supply: the figures, the targets and the tables. */
function frontierReport(
  options: BenchOptions,
  f: FrontierFigures,
  days: number,
): { results: Record<string, unknown>; targets: TargetCheck[]; tables: BenchReport['tables'] } {
  const { outcome } = f;
  const lost = { ...f.bots.lost };
  for (const [key, n] of Object.entries(f.tally.lost)) lost[key] = (lost[key] ?? 0) + n;
  const role = (r: FrontierRole) => outcome.roles.find((x) => x.role === r);
  const armed = [role('trader_armed'), role('frontier_armed')].filter((x): x is NonNullable<typeof x> => x !== undefined);
  const unarmed = [role('trader_unarmed'), role('frontier_unarmed')].filter((x): x is NonNullable<typeof x> => x !== undefined);
  const sum = (rows: typeof armed, k: 'pilots' | 'raided' | 'lost_to_pirates') => rows.reduce((n, r) => n + r[k], 0);
  const months = Math.max(days / 30, 1e-9);
  const armedRate = sum(armed, 'pilots') ? (sum(armed, 'lost_to_pirates') * 10) / sum(armed, 'pilots') / months : null;
  const unarmedRate = sum(unarmed, 'pilots') ? (sum(unarmed, 'lost_to_pirates') * 10) / sum(unarmed, 'pilots') / months : null;
  // What a lost hull was worth new, by the Stardock's catalog; cargo at base prices.
  const hullsLost = Object.entries(lost).reduce((n, [key, count]) => n + (HULLS[key.split(':')[1] as HullId]?.cost ?? 0) * count, 0);
  const huntingCost = f.tally.hunter.fighters_lost * STARDOCK.unitPrice.fighters + f.tally.hunter.shields_lost * STARDOCK.unitPrice.shields;
  const effect = outcome.bounties.credits - outcome.fines.credits;
  const targets: TargetCheck[] = [
    {
      name: 'a trader who keeps enough fighters rarely loses a ship to pirates',
      goal: `≤ ${ARMED_LOSSES_PER_TEN} loss per 10 armed traders a month`,
      value:
        armedRate === null
          ? 'no armed traders'
          : `${round(armedRate, 2)} per 10 a month (${sum(armed, 'lost_to_pirates')} of ${sum(armed, 'pilots')} armed, raided ${sum(armed, 'raided')} times); unarmed: ${round(unarmedRate ?? 0, 2)} per 10 (${sum(unarmed, 'lost_to_pirates')} of ${sum(unarmed, 'pilots')}, raided ${sum(unarmed, 'raided')} times)`,
      met: armedRate === null ? null : armedRate <= ARMED_LOSSES_PER_TEN,
    },
    {
      name: 'the frontier stays dangerous',
      goal: 'pirates raid, and destroyed pirates come back',
      value: `${outcome.raids} raids, ${outcome.traders_destroyed} ships destroyed; ${outcome.pirates_destroyed} pirates destroyed, ${outcome.pirates_active_at_end}/${outcome.pirates} in a ship at the end`,
      met: outcome.pirates === 0 ? null : outcome.raids > 0 && outcome.pirates_active_at_end > 0,
    },
  ];
  const tables: BenchReport['tables'] = [
    {
      title: 'Pirates and police: who met them',
      columns: ['pilots', 'how many', 'raided by pirates', 'lost to pirates', 'attacked by players', 'lost to players', 'in a pod at the end'],
      rows: outcome.roles.map((r) => [
        r.role.replace('_', ' '),
        r.pilots,
        r.raided,
        r.lost_to_pirates,
        r.attacked_by_players,
        r.lost_to_players,
        r.pods_at_end,
      ]),
      note:
        `${outcome.pirates} pirates (${options.pirates} a region, NPC_PIRATES_PER_REGION) roam outside FedSpace and raid a trader with cargo aboard and fewer than half their fighters (GAME.md "NPCs"). ` +
        `Armed bots buy fighters before holds (a light freighter's most is 100), unarmed ones never do; frontier traders work ${f.pair ? `sectors ${f.pair.sectors.join(' ↔ ')}` : 'no pair (none found)'} beyond the border. ` +
        `Hunters are given ${HUNTER_CAPITAL.toLocaleString('en-US')} cr (a "bench_capital" ledger row) for a Defender and fighters; rogues lie in wait on the frontier pair for its unarmed traders until wanted, then wait in FedSpace for the police.`,
    },
    {
      title: 'Pirates and police: the money-supply effect',
      columns: ['what', 'count', 'credits'],
      rows: [
        ['bounties paid for pirates (source)', outcome.bounties.paid, outcome.bounties.credits],
        ['Federation fines (sink)', outcome.fines.paid, -outcome.fines.credits],
        ['net effect on the money supply', null, effect],
        ['hulls lost, at their catalog price', Object.values(lost).reduce((a, b) => a + b, 0), hullsLost],
        ['cargo left in the wrecks of raids (base prices)', outcome.raided_cargo.units, outcome.raided_cargo.credits],
        ["hunters' fighters and shields lost (at the Stardock's prices)", `${f.tally.hunter.fighters_lost} + ${f.tally.hunter.shields_lost}`, huntingCost],
        ['hunters: attacks, kills', `${f.tally.hunter.attacks}, ${f.tally.hunter.kills}`, null],
        [
          'rogues: attacks, kills, times wanted, fines seen',
          `${f.tally.rogue.attacks}, ${f.tally.rogue.kills}, ${f.tally.rogue.wanted}, ${f.tally.rogue.fines_seen}`,
          null,
        ],
        ['hunters given capital (setup, not play)', options.hunters, outcome.capital],
      ],
      note: 'Bounties create credits and fines destroy them; lost hulls and raided cargo are wealth destroyed, not credits (the hulls were bought from the Stardock, already a sink). Hunting pays when a kill costs fewer fighters than its bounty buys.',
    },
  ];
  return {
    results: {
      ...outcome,
      lost_hulls: lost,
      refits: f.tally.refits + f.bots.refits,
      stranded: f.tally.stranded,
      hunters: f.tally.hunter,
      rogues: f.tally.rogue,
      armed_losses_per_10_a_month: armedRate === null ? null : round(armedRate, 3),
      unarmed_losses_per_10_a_month: unarmedRate === null ? null : round(unarmedRate, 3),
      money_supply_effect: effect,
    },
    targets,
    tables,
  };
}

/** Margin figures of the worked and idle pairs, in round-trip fractions. */
const WORKED_DROP = 0.03;
const RECOVERED_WITHIN = 0.01;
const RECOVERY_DAYS: [number, number] = [0.5, 2.5];
const IDLE_GAP = 0.02;

function pts(x: number): string {
  return `${round(x * 100, 1)} pts`;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)}%`;
}

function economyReport(
  options: BenchOptions,
  target: Record<string, unknown>,
  startedAt: string,
  samples: Sample[],
  generated: number | null,
  tally: BotTally,
  cpu: ReturnType<CpuMeter['read']>,
  seconds: number,
  memory: {
    worked: ChosenPair | null;
    idle: ChosenPair | null;
    workers: number;
    workDays: number;
    newcomers: NewcomerRoute[];
    flows: MoneyFlow[];
    frontier: FrontierFigures;
    colonies: { tally: ColonyTally; stock: Record<Good, number> & { planets: number; colonists: number } };
  },
): BenchReport {
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const bests = samples.map((s) => s.best_round_trip).filter((x): x is number => x !== null);
  const sortedBests = [...bests].sort((x, y) => x - y);
  const medianBest = sortedBests.length ? sortedBests[Math.floor(sortedBests.length / 2)]! : null;
  const bandViolations = samples.reduce((n, s) => n + s.band_violations, 0) + tally.bandViolations.length;
  const inTarget = (x: number | null) => x !== null && x >= ROUND_TRIP_TARGET.min && x <= ROUND_TRIP_TARGET.max;
  const botMargins = tally.roundTrips.map((r) => (r.revenue - r.cost) / r.cost).sort((x, y) => x - y);
  const days = last.day;
  const growth = last.players_credits + last.npc_credits - (first.players_credits + first.npc_credits);
  const ledgerGap = last.ledger_total - (last.players_credits + last.npc_credits);
  const targets: TargetCheck[] = [
    {
      name: 'prices inside base × [0.6, 1.4]',
      goal: '0 violations',
      value: `${bandViolations} (${samples.length} database samples of every port; ${tally.pricesChecked.toLocaleString('en-US')} prices seen by bots)`,
      met: bandViolations === 0,
    },
    {
      name: 'best round trip near sector 1, as generated',
      goal: '10–30%',
      value: pct(generated),
      met: generated === null ? null : inTarget(generated),
    },
    {
      name: 'best round trip near sector 1, median over the run',
      goal: '10–30%',
      value: `${pct(medianBest)} (range ${pct(sortedBests[0] ?? null)}–${pct(sortedBests.at(-1) ?? null)})`,
      met: medianBest === null ? null : inTarget(medianBest),
    },
    { name: 'ledger matches balances', goal: 'sum(ledger) = sum(credits)', value: ledgerGap === 0 ? 'equal' : `differs by ${ledgerGap}`, met: ledgerGap === 0 },
  ];

  // A new pilot's first trade, over NEWCOMER_SEEDS galaxies (generation only: no target needed).
  const found = memory.newcomers.filter((n) => n.profit_per_turn !== null);
  const perTurn = found.map((n) => n.profit_per_turn!).sort((x, y) => x - y);
  targets.push({
    name: `a profitable pair within ${NEAR_HOPS} hops of sector 1, over ${NEWCOMER_SEEDS} seeds`,
    goal: 'found on every seed',
    value: `${found.length}/${memory.newcomers.length}; best pair ${perTurn[0] ?? '–'}–${perTurn.at(-1) ?? '–'} cr/turn (median ${perTurn[Math.floor(perTurn.length / 2)] ?? '–'})`,
    met: found.length === memory.newcomers.length,
  });

  // Markets remember play: the worked pair against the idle one.
  const during = samples.filter((s) => s.day <= memory.workDays && s.worked_pair !== null);
  const after = samples.filter((s) => s.day > memory.workDays && s.worked_pair !== null);
  const workedStart = samples[0]?.worked_pair ?? null;
  const workedLow = during.length ? Math.min(...during.map((s) => s.worked_pair!)) : null;
  const workedAtStop = during.at(-1)?.worked_pair ?? null;
  const recovered = workedStart === null ? undefined : after.find((s) => s.worked_pair! >= workedStart - RECOVERED_WITHIN);
  const recoveryDays = recovered ? round(recovered.day - memory.workDays, 2)! : null;
  const idle = samples.map((s) => s.idle_pair).filter((x): x is number => x !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const workedMean = mean(during.map((s) => s.worked_pair!));
  const idleMean = mean(during.map((s) => s.idle_pair).filter((x): x is number => x !== null));
  if (memory.worked && memory.workers > 0) {
    targets.push(
      {
        name: 'a worked pair loses margin while worked',
        goal: `falls ${pts(WORKED_DROP)} or more`,
        value: `${pct(workedStart)} at day 0, ${pct(workedLow)} at its lowest, ${pct(workedAtStop)} when work stopped (day ${memory.workDays})`,
        met: workedStart !== null && workedLow !== null ? workedStart - workedLow >= WORKED_DROP : null,
      },
      {
        name: 'and recovers once left alone',
        goal: `within ${pts(RECOVERED_WITHIN)} of where it started in ${RECOVERY_DAYS[0]}–${RECOVERY_DAYS[1]} game days`,
        value: recoveryDays === null ? 'not within the run' : `${recoveryDays} game days after work stopped`,
        met: recoveryDays === null ? false : recoveryDays >= RECOVERY_DAYS[0] && recoveryDays <= RECOVERY_DAYS[1],
      },
      {
        name: 'while worked it pays less than an idle pair',
        goal: `mean ${pts(IDLE_GAP)} or more below the idle pair's`,
        value:
          workedMean === null || idleMean === null
            ? '–'
            : `worked ${pct(workedMean)} vs idle ${pct(idleMean)} on average while worked (idle pair over the month: ${pct(Math.min(...idle))}–${pct(Math.max(...idle))}; the bots find it now and then)`,
        met: workedMean === null || idleMean === null ? null : idleMean - workedMean >= IDLE_GAP,
      },
    );
  }
  const frontier = frontierReport(options, memory.frontier, days);
  targets.push(...frontier.targets);

  const step = Math.max(1, Math.floor(samples.length / 31));
  const shown = samples.filter((_s, i) => i % step === 0 || i === samples.length - 1);
  return {
    scenario: 'economy',
    title: `economy: ${options.players} bots, ${round(days, 1)} game days`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    options: { players: options.players, days: options.days, time_scale: options.timeScale, duration_s: seconds, seed: options.seed },
    target,
    results: {
      game_days: round(days, 2),
      money_supply: {
        start: first.players_credits + first.npc_credits,
        end: last.players_credits + last.npc_credits,
        growth,
        growth_per_game_day: round(growth / Math.max(days, 1e-9), 0),
        flows: memory.flows,
      },
      trades: last.trades,
      band_violations: { database: samples.reduce((n, s) => n + s.band_violations, 0), observed_by_bots: tally.bandViolations.slice(0, 20) },
      stock_violations: samples.reduce((n, s) => n + s.stock_violations, 0),
      best_round_trip: {
        as_generated: generated,
        day0: first.best_round_trip,
        median: medianBest,
        min: sortedBests[0] ?? null,
        max: sortedBests.at(-1) ?? null,
      },
      newcomer_routes: memory.newcomers,
      worked_pair: memory.worked
        ? {
            sectors: memory.worked.sectors,
            goods: { out: memory.worked.plan.out, back: memory.worked.plan.back },
            workers: memory.workers,
            work_days: memory.workDays,
            as_generated: memory.worked.margin,
            day0: workedStart,
            lowest: workedLow,
            at_stop: workedAtStop,
            recovery_days: recoveryDays,
            mean_while_worked: workedMean,
          }
        : null,
      idle_pair: memory.idle
        ? {
            sectors: memory.idle.sectors,
            as_generated: memory.idle.margin,
            min: idle.length ? Math.min(...idle) : null,
            max: idle.length ? Math.max(...idle) : null,
            mean_while_worked: idleMean,
          }
        : null,
      bots: {
        actions: tally.actions,
        trades: tally.trades,
        round_trips: tally.roundTrips.length,
        round_trip_margin: botMargins.length ? { p50: round(botMargins[Math.floor(botMargins.length / 2)]!, 4), max: round(botMargins.at(-1)!, 4) } : null,
        refused: tally.refused,
        errors: tally.errors,
        stardock: tally.stardock,
      },
      frontier: frontier.results,
      planets: {
        colonizers: memory.colonies.tally.colonizers,
        planets_founded: memory.colonies.tally.planets,
        colonists_settled: memory.colonies.tally.colonists_settled,
        owned_planets_at_end: memory.colonies.stock.planets,
        goods_loaded_off_planets: memory.colonies.tally.goods_loaded,
        goods_still_in_planet_stock: { ore: memory.colonies.stock.ore, organics: memory.colonies.stock.organics, equipment: memory.colonies.stock.equipment },
        credits_from_planet_goods: memory.colonies.tally.sales_credits,
        share_of_money_growth: growth > 0 ? round(memory.colonies.tally.sales_credits / growth, 4) : null,
        refused: memory.colonies.tally.refusals,
        errors: memory.colonies.tally.errors,
      },
      cpu,
      samples,
    },
    targets,
    tables: [
      ...frontier.tables,
      {
        title: 'Planets: what colonies add to the goods and money supply',
        columns: ['colonizers', 'planets', 'colonists', 'ore / organics / equipment loaded', 'left in planet stock', 'credits from their sale'],
        rows: [
          [
            memory.colonies.tally.colonizers,
            memory.colonies.tally.planets,
            memory.colonies.tally.colonists_settled,
            `${memory.colonies.tally.goods_loaded.ore} / ${memory.colonies.tally.goods_loaded.organics} / ${memory.colonies.tally.goods_loaded.equipment}`,
            `${memory.colonies.stock.ore} / ${memory.colonies.stock.organics} / ${memory.colonies.stock.equipment}`,
            memory.colonies.tally.sales_credits,
          ],
        ],
        note: 'Planet production is new goods: every unit loaded off a planet and sold is money the ports pay out that no trade bought first. Their capital (bench_capital in the flows) paid for torpedoes and colonists, both sinks.',
      },
      {
        title: 'Money supply: where credits came from and went',
        columns: ['ledger reason', 'kind', 'entries', 'credits'],
        rows: memory.flows.map((f) => [f.reason, f.kind, f.entries, f.total]),
        note:
          `Every credit change is a ledger row. Sources add to the money supply, sinks take from it; the Stardock (stardock_*) is the sink: ` +
          `${tally.stardock.visits} bot visits bought ${tally.stardock.hulls} hulls, ${tally.stardock.holds} holds and ${tally.stardock.fighters} fighters for ${tally.stardock.spent.toLocaleString('en-US')} cr (trade-ins included).`,
      },
      {
        title: 'Money supply and markets by game day',
        columns: [
          'day',
          'player credits',
          'NPC credits',
          'trades',
          'best round trip %',
          'median pair %',
          'ore price/base',
          'organics price/base',
          'equipment price/base',
        ],
        rows: shown.map((s) => [
          s.day,
          s.players_credits,
          s.npc_credits,
          s.trades,
          s.best_round_trip === null ? null : round(s.best_round_trip * 100, 1),
          s.median_round_trip === null ? null : round(s.median_round_trip * 100, 1),
          s.price_index.ore,
          s.price_index.organics,
          s.price_index.equipment,
        ]),
        note:
          `Round trips: the best full ${HOLDS}-hold load each way between ports within ${NEAR_HOPS} hops of sector 1 and at most ${PAIR_HOPS} hops apart, at each sample's stocks (as game/balance.test.ts does at day 0). ` +
          "Price/base: the mean next-unit price over every port good (Earth Station's fixed prices excluded).",
      },
      {
        title: 'A worked pair and an idle one, by game day',
        columns: ['day', 'worked pair %', 'idle pair %', 'working'],
        rows: shown.map((s) => [
          s.day,
          s.worked_pair === null ? null : round(s.worked_pair * 100, 1),
          s.idle_pair === null ? null : round(s.idle_pair * 100, 1),
          s.day <= memory.workDays ? 'yes' : 'no',
        ]),
        note: memory.worked
          ? `Worked: sectors ${memory.worked.sectors.join(' ↔ ')} (the best near pair as generated, ${pct(memory.worked.margin)}), traded round and round by ${memory.workers} workers until day ${memory.workDays}` +
            ` (${memory.worked.plan.out ?? 'nothing'} out, ${memory.worked.plan.back ?? 'nothing'} back). Idle: sectors ${memory.idle?.sectors.join(' ↔ ') ?? '–'}, the near pair farthest from Terra that pays 10% and shares no port with it; the bots may still find either.`
          : 'No near pair pays in this galaxy.',
      },
      {
        title: `A new pilot's best pair within ${NEAR_HOPS} hops of sector 1, ${NEWCOMER_SEEDS} seeds`,
        columns: ['seed', 'cr / turn', 'round trip %', 'hops out', 'sectors', 'nearest 40+ cr/turn pair, hops out'],
        rows: memory.newcomers.map((n) => [
          n.seed,
          n.profit_per_turn,
          n.margin === null ? null : round(n.margin * 100, 1),
          n.hops_from_start,
          n.sectors?.join(' ↔ ') ?? null,
          n.nearest_40_hops,
        ]),
        note:
          `The route finder's ranking (game/trade-routes.ts): every port within ${NEAR_HOPS} hops known at its generated stocks, a ${HOLDS}-hold Light Freighter with ${NEW_PILOT.credits.toLocaleString('en-US')} credits, ` +
          'turns = both courses (2 per warp) + a turn per trade. Hops out: the farther port of the pair from sector 1.',
      },
      {
        title: 'Trader bots',
        columns: ['bots', 'actions', 'trades', 'round trips', 'median margin %', 'best margin %', 'refused', 'errors'],
        rows: [
          [
            options.players,
            tally.actions,
            tally.trades,
            tally.roundTrips.length,
            botMargins.length ? round(botMargins[Math.floor(botMargins.length / 2)]! * 100, 1) : null,
            botMargins.length ? round(botMargins.at(-1)! * 100, 1) : null,
            Object.entries(tally.refused)
              .map(([c, n]) => `${c}: ${n}`)
              .join(', ') || '0',
            tally.errors,
          ],
        ],
        note: 'A bot explores outward from Terra, sells cargo where it last saw the best price and buys what it knows a buyer for at 5% or more.',
      },
    ],
    notes: [
      `At ×${options.timeScale} a game hour passes in ${round(3_600_000 / options.timeScale, 1)} ms: market drift (${round(STOCK_DRIFT.ratePerGameHour * 100, 1)}% of capacity per game hour) brings stocks back toward their resting levels, which is where idle pairs sit at every sample. ` +
        `The pair workers trade faster per game day than the bots can anywhere else, so the worked pair shows what a player working one pair hard does to it (faster clocks, e.g. --time-scale 86400, give them too few actions per game day to move a market).`,
    ],
    chart: {
      title: `SectorWars economy: ${options.players} bots, ${round(days, 1)} game days`,
      subtitle: `×${options.timeScale} game time, ${startedAt.slice(0, 10)}`,
      panels: [
        {
          kind: 'line',
          title: 'money supply (credits)',
          xLabel: 'game day',
          yLabel: 'credits',
          series: [
            { name: 'players', points: samples.map((s) => [s.day, s.players_credits]) },
            { name: 'NPC traders', points: samples.map((s) => [s.day, s.npc_credits]) },
          ],
        },
        {
          kind: 'line',
          title: 'best round trip near sector 1 (%), with the 10–30% target',
          xLabel: 'game day',
          yLabel: '%',
          series: [
            { name: 'best pair', points: samples.map((s) => [s.day, s.best_round_trip === null ? null : s.best_round_trip * 100]) },
            { name: 'median pair', points: samples.map((s) => [s.day, s.median_round_trip === null ? null : s.median_round_trip * 100]) },
            { name: 'as generated', points: generated === null ? [] : [[0, generated * 100]] },
            { name: 'target 10%', points: samples.map((s) => [s.day, 10]) },
            { name: 'target 30%', points: samples.map((s) => [s.day, 30]) },
          ],
        },
        {
          kind: 'line',
          title: `worked pair vs idle pair (%): workers stop at day ${memory.workDays}`,
          xLabel: 'game day',
          yLabel: '%',
          series: [
            { name: 'worked pair', points: samples.map((s) => [s.day, s.worked_pair === null ? null : s.worked_pair * 100]) },
            { name: 'idle pair', points: samples.map((s) => [s.day, s.idle_pair === null ? null : s.idle_pair * 100]) },
          ],
        },
        {
          kind: 'line',
          title: 'mean price / base price',
          xLabel: 'game day',
          yLabel: 'ratio',
          series: GOODS.map((g) => ({ name: g, points: samples.map((s) => [s.day, s.price_index[g]] as [number, number | null]) })),
        },
      ],
    },
  };
}

/** What a colonizer is given to start (a torpedo, a hold of colonists, the trips between). */
const COLONIZER_CAPITAL = 10_000;

/** Credits into an account, with its ledger row, so balances still equal the ledger. */

/** The planets' stock at the end of the run, summed, and how many are owned. */
async function planetGoods(pool: pg.Pool): Promise<Record<Good, number> & { planets: number; colonists: number }> {
  const { rows } = await pool.query<{ ore: string; organics: string; equipment: string; planets: string; colonists: string }>(
    `select coalesce(sum(stock_ore), 0) as ore, coalesce(sum(stock_organics), 0) as organics, coalesce(sum(stock_equipment), 0) as equipment,
       count(*) as planets, coalesce(sum(colonists), 0) as colonists from planets where owner_user_id is not null`,
  );
  const r = rows[0]!;
  return { ore: Number(r.ore), organics: Number(r.organics), equipment: Number(r.equipment), planets: Number(r.planets), colonists: Number(r.colonists) };
}

/**
 * Where each colonizer settles, read from the target's own database (its warps, FedSpace, planets
 * and ports): sectors outside FedSpace with no planet, nearest Terra first, one each; its
 * colonists make fuel ore, sold at the nearest port that buys it.
 */
async function planColonies(pool: pg.Pool, count: number, dayMs: number): Promise<ColonyPlan[]> {
  if (count === 0) return [];
  const [warps, sectors, planets, buyers, dock] = await Promise.all([
    pool.query('select from_sector_id as "from", to_sector_id as "to" from warps'),
    pool.query('select id, fedspace from sectors'),
    pool.query('select distinct sector_id from planets'),
    pool.query(
      `select distinct p.sector_id from ports p join port_goods g on g.port_id = p.id where g.good = 'ore' and g.mode = 'buy' and p.port_class between 1 and 8`,
    ),
    pool.query('select sector_id from ports where port_class = $1 limit 1', [STARDOCK_CLASS]),
  ]);
  const graph = buildWarpGraph(warps.rows as Array<{ from: number; to: number }>);
  const stardock = (dock.rows[0] as { sector_id: number } | undefined)?.sector_id ?? 1;
  const fromTerra = hopsFrom(graph, 1);
  const planetAt = new Set((planets.rows as Array<{ sector_id: number }>).map((p) => p.sector_id));
  const homes = (sectors.rows as Array<{ id: number; fedspace: boolean }>)
    .filter((s) => !s.fedspace && !planetAt.has(s.id) && (fromTerra[s.id] ?? -1) > 0)
    .sort((a, b) => fromTerra[a.id]! - fromTerra[b.id]! || a.id - b.id)
    .slice(0, count);
  const markets = (buyers.rows as Array<{ sector_id: number }>).map((b) => b.sector_id);
  return homes.map((home) => {
    const hops = hopsFrom(graph, home.id);
    const market = [...markets].sort((a, b) => (hops[a] ?? 1e9) - (hops[b] ?? 1e9))[0] ?? 1;
    return { stardock, home: home.id, good: 'ore' as const, market, course: (from: number, to: number) => courseBetween(graph, from, to), dayMs };
  });
}
