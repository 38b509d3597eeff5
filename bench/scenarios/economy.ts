import path from 'node:path';
import pg from 'pg';
import { BASE_PRICE, GOODS } from '../../game/catalog/goods.js';
import { HULLS } from '../../game/catalog/hulls.js';
import { DEFAULT_GALAXY } from '../../game/catalog/galaxy.js';
import { GAME_DAY_MS } from '../../game/catalog/time.js';
import { generateGalaxy } from '../../game/galaxy.js';
import { hopDistances } from '../../game/connectivity.js';
import { buildWarpGraph, plotCourse } from '../../game/pathfinding.js';
import { currentUnitPrice, priceBand, quoteBuy, quoteSell } from '../../game/pricing.js';
import { driftedGood, type DriftedGood, type PortGoodRow } from '../../handlers/sectors/market.js';
import { GameApi, HttpDriver, type Good } from '../game-api.js';
import { interrupt } from '../interrupt.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import { registerPlayers } from '../players.js';
import { CpuMeter, sleep } from '../processes.js';
import type { Progress } from '../progress.js';
import type { BenchReport, TargetCheck } from '../report.js';
import { round } from '../stats.js';
import { openTarget } from '../target.js';
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
  /** mean unit price / base over every port good, per good */
  price_index: Record<Good, number>;
}

/**
 * `economy`: a target on PostgreSQL at GAME_TIME_SCALE --time-scale (default: a game day per
 * real second) with its jobs (market drift, NPC traders), and --players trader bots playing for
 * --days game days (bounded by --duration). Every game day the database is sampled: money supply
 * (credits of players and NPCs, checked against the ledger), every port price against its band,
 * and the best round trip between ports near sector 1 at that day's stocks (GAME.md: 10–30%).
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
    onStep: (m) => progress.step(m),
  });
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 2 });
  try {
    const http = new HttpDriver(target.baseUrl, options.players);
    const api = new GameApi(http);
    progress.step(`registering ${options.players} trader bots`);
    const registered = await registerPlayers(api, options.players, { runId: target.runId, concurrency: 4, progress });
    const tally = newTally();
    const bots = registered.sessions.map((s, i) => new TraderBot(api, s, registered.states[i]!, tally));

    const market = await loadMarket(pool);
    const seconds = Math.min(options.duration, (options.days * GAME_DAY_MS) / options.timeScale / 1000);
    const dayMs = GAME_DAY_MS / options.timeScale;
    progress.step(`economy: ${options.players} bots for ${round((seconds * 1000) / dayMs, 1)} game days (${seconds} s at ×${options.timeScale})`);
    const samples: Sample[] = [];
    const begin = Date.now();
    const deadline = performance.now() + seconds * 1000;
    const meter = new CpuMeter(target.children.map((c) => ({ name: c.name, pid: c.pid })));
    samples.push(await sample(pool, market, options.timeScale, 0));
    const sampler = (async () => {
      // One sample per game day (at most 4 a second: a slow clock still gets a curve).
      const every = Math.max(250, dayMs);
      while (performance.now() < deadline && !interrupt.requested) {
        await sleep(Math.min(every, Math.max(0, deadline - performance.now())));
        samples.push(await sample(pool, market, options.timeScale, (Date.now() - begin) / dayMs));
        const last = samples.at(-1)!;
        progress.update(
          `day ${last.day.toFixed(1)}: money ${last.players_credits.toLocaleString('en-US')}, trades ${last.trades}, best round trip ${pct(last.best_round_trip)}, band violations ${last.band_violations}`,
        );
      }
    })();
    await Promise.all(
      bots.map(async (bot) => {
        while (performance.now() < deadline && !interrupt.requested) await bot.step();
      }),
    );
    await sampler;
    const cpu = meter.read();
    progress.done(`economy: ${tally.trades} bot trades, ${tally.roundTrips.length} round trips`);
    api.dispose(registered.sessions);
    await http.close();
    return economyReport(options, target.describe(), startedAt, samples, asGenerated(market, options.seed), tally, cpu, seconds);
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

function bestFirst(market: Market, goodsOf: (portId: number) => Map<Good, DriftedGood> | undefined): number[] {
  return market.pairs
    .map(([a, b]) => roundTrip(goodsOf(a), goodsOf(b)))
    .filter((m): m is number => m !== null)
    .sort((x, y) => y - x);
}

/**
 * The best round trip at the stocks the galaxy was generated with: the target's galaxy is
 * generated again here from its seed (generation is deterministic; port ids are their index + 1),
 * since by the first sample drift and the jobs have already moved the stored stocks.
 */
function asGenerated(market: Market, seed: string): number | null {
  const galaxy = generateGalaxy({ seed, terranSectors: DEFAULT_GALAXY.terranSectors, nexusSectors: DEFAULT_GALAXY.nexusSectors });
  const margins = bestFirst(market, (id) => {
    const port = galaxy.ports[id - 1];
    if (!port) return undefined;
    const goods = new Map<Good, DriftedGood>();
    for (const good of GOODS) {
      const def = port.goods[good];
      if (def)
        goods.set(good, { good, mode: def.mode, capacity: def.capacity, stock: def.stock, anchorMs: 0, fixedPrice: def.fixedPrice, base: BASE_PRICE[good] });
    }
    return goods;
  });
  return margins.length ? round(margins[0]!, 4) : null;
}

async function sample(pool: pg.Pool, market: Market, timeScale: number, day: number): Promise<Sample> {
  const now = Date.now();
  const [credits, ledger, goods] = await Promise.all([
    pool.query(
      `select coalesce(sum(credits) filter (where not npc), 0)::bigint as players, coalesce(sum(credits) filter (where npc), 0)::bigint as npcs from players`,
    ),
    pool.query(
      `select coalesce(sum(delta), 0)::bigint as total, count(*) filter (where reason like 'trade%' or reason like 'npc%')::bigint as trades from credit_ledger`,
    ),
    pool.query('select * from port_goods'),
  ]);
  let bandViolations = 0;
  let stockViolations = 0;
  const priceSum: Record<Good, number> = { ore: 0, organics: 0, equipment: 0 };
  const priceCount: Record<Good, number> = { ore: 0, organics: 0, equipment: 0 };
  const byPort = new Map<number, Map<Good, DriftedGood>>();
  for (const row of goods.rows as PortGoodRow[]) {
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
    price_index: Object.fromEntries(GOODS.map((g) => [g, round(priceCount[g] ? priceSum[g] / priceCount[g] : Number.NaN, 3)])) as Record<Good, number>,
  };
}

/**
 * A round trip's margin between two ports at their current stocks, as game/balance.test.ts
 * defines it: the best full load each way, profit over what the goods cost.
 */
export function roundTrip(a: Map<Good, DriftedGood> | undefined, b: Map<Good, DriftedGood> | undefined): number | null {
  if (!a || !b) return null;
  const out = bestLeg(a, b);
  const home = bestLeg(b, a);
  const cost = out.cost + home.cost;
  return cost > 0 ? (out.profit + home.profit) / cost : null;
}

function bestLeg(from: Map<Good, DriftedGood>, to: Map<Good, DriftedGood>): { cost: number; profit: number } {
  let best = { cost: 0, profit: 0 };
  for (const good of GOODS) {
    const source = from.get(good);
    const sink = to.get(good);
    if (source?.mode !== 'sell' || sink?.mode !== 'buy') continue;
    const bought = quoteBuy(source, HOLDS);
    const sold = quoteSell(sink, HOLDS);
    if ('error' in bought || 'error' in sold) continue;
    if (sold.total - bought.total > best.profit) best = { cost: bought.total, profit: sold.total - bought.total };
  }
  return best;
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
      bots: {
        actions: tally.actions,
        trades: tally.trades,
        round_trips: tally.roundTrips.length,
        round_trip_margin: botMargins.length ? { p50: round(botMargins[Math.floor(botMargins.length / 2)]!, 4), max: round(botMargins.at(-1)!, 4) } : null,
        refused: tally.refused,
        errors: tally.errors,
      },
      cpu,
      samples,
    },
    targets,
    tables: [
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
      `At ×${options.timeScale} a game hour passes in ${round(3_600_000 / options.timeScale, 1)} ms: market drift (5% of capacity per game hour) refills sellers and drains buyers between any two visits, so stocks sit near their extremes and margins near their maximum. That is the month the scenario simulates; slower scales (--time-scale) show markets between visits.`,
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
          title: 'mean price / base price',
          xLabel: 'game day',
          yLabel: 'ratio',
          series: GOODS.map((g) => ({ name: g, points: samples.map((s) => [s.day, s.price_index[g]] as [number, number | null]) })),
        },
      ],
    },
  };
}
