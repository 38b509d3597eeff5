import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { hopDistances } from '../../game/connectivity.js';
import { buildWarpGraph } from '../../game/pathfinding.js';
import { EVENTS_CHANNEL, wallAt } from '../../platform/outbox.js';
import { seedPilots } from '../accounts.js';
import type { LineSeries } from '../chart.js';
import { GameApi, HttpDriver, type Good, type Session } from '../game-api.js';
import { interrupt } from '../interrupt.js';
import { describeMachine } from '../machine.js';
import type { BenchOptions } from '../options.js';
import { CpuMeter, REPO_ROOT, freePort, processRssBytes, sleep, spawnScript, waitForHttp, type Child } from '../processes.js';
import type { Progress } from '../progress.js';
import type { BenchReport, Table, TargetCheck } from '../report.js';
import { HistogramTimeline, LogHistogram, ratio, round, type LatencySummary, type WindowStat } from '../stats.js';
import { SocketFleet } from '../socket-fleet.js';
import { openTarget, type Target } from '../target.js';
import { roundSummary } from './actions.js';

/** Ids of events the bench publishes itself: far above any real outbox id, so never confused. */
const BUS_BASE = 1_000_000_000;
const RING = 1 << 20;
/** An event not delivered to all its sockets within this long counts its missing copies as drops. */
const EVENT_TIMEOUT_MS = 5_000;
/** Let the sockets and the server settle before reading memory. */
const SETTLE_MS = 3_000;

interface WatchedSector {
  id: number;
  /** a good the port here sells, for the traders of the trades phase */
  good: Good;
}

export interface ConnectResult {
  server: string;
  sockets: number;
  live: number;
  failed: number;
  failures: Record<string, number>;
  per_second: number;
  connect_ms: LatencySummary;
  rss_before_mb: number | null;
  rss_half_mb: number | null;
  rss_after_mb: number | null;
  /** (RSS after all − RSS after the first half) ÷ the second half's sockets */
  bytes_per_socket: number | null;
  /** (RSS after all − RSS before any) ÷ all sockets: with the process's one-off growth */
  bytes_per_socket_whole: number | null;
  /** realtime only (its /metrics): the V8 heap in use, before and after, per socket: the JavaScript part of the RSS */
  heap_bytes_per_socket: number | null;
}

/** One leg of an event's way from the trade's transaction to a socket, from the EVENT_STAMPS stamps. */
export interface HopResult {
  hop: string;
  /** per event (stamped once) or per delivery (once per socket) */
  counted: 'event' | 'delivery';
  count: number;
  latency_ms: LatencySummary;
}

export interface ReconnectResult {
  sockets: number;
  back: number;
  not_back: number;
  /** from SIGTERM to the old process gone (it closes every socket with 1001 first) */
  stop_s: number;
  /** from SIGTERM to the new process answering /readyz */
  ready_s: number;
  /** from SIGTERM to every socket live again, resumed */
  all_back_s: number | null;
  /** from the new process answering /readyz to every socket live again */
  after_ready_s: number | null;
  /** per socket: SIGTERM to live again */
  back_ms: LatencySummary;
  attempts: number;
  ticket_requests: number;
  token_upgrades: number;
  tokens_refused: number;
  /** trades made while realtime was down, and their deliveries (expected: one per socket of the sector) */
  missed_trades: number;
  missed_expected: number;
  missed_delivered: number;
  spread_ms: number;
}

export interface DeliveryResult {
  phase: string;
  seconds: number;
  events: number;
  events_per_second: number;
  delivered: number;
  delivered_per_second: number;
  expected: number;
  drops: number;
  latency_ms: LatencySummary;
  closed_by_server: Record<string, number>;
  cpu: ReturnType<CpuMeter['read']>;
  timeline: WindowStat[];
  hops?: HopResult[];
}

/**
 * `fanout`: N WebSocket clients on one realtime process, in a handful of sectors near Terra.
 * Phase 1 (trades): traders buy at those sectors' ports through the API at --rate per sector;
 * every trade's `port.traded` event travels outbox → Redis → realtime → every socket there.
 * Phase 2 (saturate): the bench publishes port.traded-shaped events on the same Redis channel,
 * a few in flight per sector, as fast as the sockets absorb them. The baselines get phase 2
 * with the same sockets and the same channel: a plain `ws` server and a bare uWS publisher.
 */
export async function runFanout(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  if (options.target) {
    throw new Error(
      'fanout starts its own target (api + realtime on PostgreSQL and Redis): it seeds the accounts in the database, ' +
        "publishes on the bus and reads the realtime process's memory. Run it without --target, with DATABASE_URL and REDIS_URL set.",
    );
  }
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
    throw new Error('fanout needs DATABASE_URL and REDIS_URL (the realtime role runs on PostgreSQL and Redis)');
  checkFileLimit(options.connections);
  const startedAt = new Date().toISOString();
  const logDir = path.join(options.out, 'logs');
  const target = await openTarget({
    logDir,
    profileDir: options.profile ? path.join(options.out, 'profiles') : undefined,
    realtime: true,
    // Per-hop stamps on every event (published, received, sent): the trades phase's breakdown.
    env: { EVENT_STAMPS: 'true' },
    seed: options.seed,
    onStep: (m) => progress.step(m),
  });
  const publisher = new Redis(target.redis!.url, { maxRetriesPerRequest: 1 });
  try {
    const sectors = await chooseSectors(target.databaseUrl!, options.sectors);
    progress.step(
      `sectors ${sectors.map((s) => s.id).join(', ')}: seeding ${options.connections.toLocaleString('en-US')} listeners and ${sectors.length} traders`,
    );
    const http = new HttpDriver(target.baseUrl, 64);
    const api = new GameApi(http);
    const listenerAccounts = await seedPilots(target.databaseUrl!, target.jwtSecret!, {
      runId: target.runId,
      group: 'l',
      sectors: Array.from({ length: options.connections }, (_v, i) => sectors[i % sectors.length]!.id),
    });
    const traderAccounts = await seedPilots(target.databaseUrl!, target.jwtSecret!, {
      runId: target.runId,
      group: 't',
      sectors: sectors.map((s) => s.id),
      credits: 1_000_000_000_000,
      holds: 100_000_000,
      turns: 100_000_000,
    });
    const listeners = listenerAccounts.map((a) => api.seeded(a));
    const traders = traderAccounts.map((a) => api.seeded(a));
    const realtimePid = target.realtime!.pid;
    const realtimeHttp = target.realtimeUrl!.replace(/^ws/, 'http').replace(/\/ws$/, '');
    const fleet = new SocketFleet(sectors.length, BUS_BASE, options.receivers);
    const ticketUrl = async (index: number) => {
      const res = await api.realtimeTicket(listeners[index]!);
      if (res.status !== 201) throw new Error(`ticket: ${res.status} ${res.code}`);
      return `${target.realtimeUrl}?ticket=${res.body.ticket}`;
    };
    const connect = await connectFleet('realtime', fleet, options, progress, realtimePid, ticketUrl, () => heapUsedBytes(realtimeHttp));
    const servers = [
      { name: 'realtime', pid: realtimePid },
      { name: 'api', pid: target.api!.pid },
    ];
    const trades = await tradesPhase(fleet, api, traders, sectors, options, progress, servers);
    const ids = { next: BUS_BASE };
    const saturate = await saturatePhase('saturate realtime', fleet, target.redis!.prefix + EVENTS_CHANNEL, publisher, ids, sectors, options, progress, [
      servers[0]!,
    ]);
    const closedByServer = await realtimeClosures(realtimeHttp);
    const stillLive = fleet.liveCount;
    const reconnect = await reconnectPhase(fleet, target, api, traders, sectors, progress, ticketUrl);
    await fleet.closeAll();
    api.dispose([...listeners, ...traders]);
    await http.close();

    const baselines: Array<{ connect: ConnectResult; delivery: DeliveryResult }> = [];
    if (options.baselines) {
      for (const kind of ['ws', 'uws'] as const) {
        baselines.push(await baselinePhase(kind, target, publisher, ids, sectors, options, progress, logDir));
      }
    }
    return fanoutReport(options, target, startedAt, sectors, connect, trades, saturate, reconnect, stillLive, closedByServer, baselines);
  } finally {
    publisher.disconnect();
    progress.step('stopping the target');
    await target.close();
  }
}

/** 10,000 sockets need 10,000 descriptors in this process (and as many in the server's). */
function checkFileLimit(sockets: number): void {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
  const limit = out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  const needed = sockets + 512;
  if (Number.isFinite(limit) && limit < needed) {
    throw new Error(
      `the open-file limit is ${limit}, and ${sockets.toLocaleString('en-US')} sockets need about ${needed.toLocaleString('en-US')} descriptors in this process and in the server's. ` +
        `Raise it first: \`ulimit -n ${Math.max(needed, 65_536)}\` in this shell (or LimitNOFILE in a systemd unit), then run again.`,
    );
  }
}

/** Sector 1 (Earth Station sells every good at a fixed price) and the nearest other sectors whose port sells something. */
async function chooseSectors(databaseUrl: string, count: number): Promise<WatchedSector[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const warps = (await client.query('select from_sector_id as "from", to_sector_id as "to" from warps')).rows as Array<{ from: number; to: number }>;
    const distance = hopDistances(buildWarpGraph(warps), 1);
    const sellers = (
      await client.query(
        `select p.sector_id, g.good, g.stock from ports p join port_goods g on g.port_id = p.id where g.mode = 'sell' and g.good <> 'colonists' order by g.stock desc`,
      )
    ).rows as Array<{ sector_id: number; good: Good; stock: number }>;
    const bySector = new Map<number, Good>();
    for (const s of sellers) if (!bySector.has(s.sector_id)) bySector.set(s.sector_id, s.good);
    return [...bySector.entries()]
      .filter(([id]) => (distance[id] ?? -1) >= 0)
      .sort((a, b) => (distance[a[0]] as number) - (distance[b[0]] as number) || a[0] - b[0])
      .slice(0, count)
      .map(([id, good]) => ({ id, good }));
  } finally {
    await client.end();
  }
}

async function connectFleet(
  server: string,
  fleet: SocketFleet,
  options: BenchOptions,
  progress: Progress,
  pid: number,
  urlFor: (index: number, sector: number) => Promise<string>,
  heap?: () => Promise<number | null>,
): Promise<ConnectResult> {
  progress.step(`${server}: connecting ${options.connections.toLocaleString('en-US')} sockets`);
  await sleep(500);
  const before = processRssBytes(pid);
  // In two halves, memory read after each: the second half's growth is what a socket costs, without
  // what any process grows by once under load (V8's young generation, allocator arenas, buffers).
  const half = Math.floor(options.connections / 2);
  const connectOptions = { concurrency: 64, resume: server === 'realtime', progress, label: server, urlFor };
  const first = await fleet.connect(half, connectOptions);
  await sleep(SETTLE_MS);
  const mid = processRssBytes(pid);
  const heapMid = heap ? await heap() : null;
  const liveMid = fleet.liveCount;
  const second = await fleet.connect(options.connections - half, { ...connectOptions, from: half });
  await sleep(SETTLE_MS);
  const after = processRssBytes(pid);
  const heapAfter = heap ? await heap() : null;
  const live = fleet.liveCount;
  const perSecond = live / (first.seconds + second.seconds);
  const added = live - liveMid;
  const mb = (b: number | null) => (b === null ? null : round(b / 2 ** 20, 1));
  return {
    server,
    sockets: options.connections,
    live,
    failed: fleet.failures.total,
    failures: fleet.failures.toJSON(),
    per_second: round(perSecond, 1)!,
    connect_ms: roundSummary(fleet.connectMs.summary()),
    rss_before_mb: mb(before),
    rss_half_mb: mb(mid),
    rss_after_mb: mb(after),
    bytes_per_socket: mid !== null && after !== null && added > 0 ? Math.round((after - mid) / added) : null,
    heap_bytes_per_socket: heapMid !== null && heapAfter !== null && added > 0 ? Math.round((heapAfter - heapMid) / added) : null,
    bytes_per_socket_whole: before !== null && after !== null && live > 0 ? Math.round((after - before) / live) : null,
  };
}

/**
 * Real trades at a fixed rate: per sector, a trader buys one unit every 1/rate s (open loop: a
 * slow answer does not slow the schedule). Latency runs from the event's outbox time (the
 * trade's transaction) to its arrival on each socket; both clocks are this machine's.
 */
async function tradesPhase(
  fleet: SocketFleet,
  api: GameApi,
  traders: Session[],
  sectors: WatchedSector[],
  options: BenchOptions,
  progress: Progress,
  servers: Array<{ name: string; pid: number }>,
): Promise<DeliveryResult> {
  progress.step(`trades: ${options.rate}/s in each of ${sectors.length} sectors for ${options.duration} s, through the API`);
  const begin = performance.now();
  const deadline = begin + options.duration * 1000;
  const histogram = new LogHistogram();
  const timeline = new HistogramTimeline(begin, 1000, deadline + 2_000);
  const atOf = new Map<number, number>();
  /** when realtime sent each event (its `hops.sent` stamp), for the last hop of every delivery */
  const sentOf = new Map<number, number>();
  const perEvent = { publish: new LogHistogram(), receive: new LogHistogram(), send: new LogHistogram() };
  const toClient = new LogHistogram();
  let stamped = 0;
  let delivered = 0;
  let expected = 0;
  let events = 0;
  const answers = new Map<string, number>();
  fleet.onEvent = (id, payload, now) => {
    if (id >= BUS_BASE) return;
    let at = atOf.get(id);
    if (at === undefined) {
      const frame = JSON.parse(payload.toString('utf8')) as { type: string; at: string; hops?: { published: number; received: number; sent: number } };
      at = frame.type === 'port.traded' ? Date.parse(frame.at) : Number.NaN;
      atOf.set(id, at);
      const hops = frame.hops;
      if (!Number.isNaN(at) && hops && typeof hops.sent === 'number') {
        stamped++;
        perEvent.publish.add(hops.published - at);
        perEvent.receive.add(hops.received - hops.published);
        perEvent.send.add(hops.sent - hops.received);
        sentOf.set(id, hops.sent);
      }
    }
    if (Number.isNaN(at)) return;
    // On the servers' clock (their `sent` stamp), not this process's drifting timeOrigin + now.
    const arrived = wallAt(now);
    const sent = sentOf.get(id);
    if (sent !== undefined) toClient.add(arrived - sent);
    const latency = arrived - at;
    delivered++;
    histogram.add(latency);
    timeline.record(now, latency);
  };
  const meter = new CpuMeter(servers);
  const inFlight = new Set<Promise<void>>();
  let sequence = 0;
  const timers = sectors.map((sector, i) =>
    setInterval(() => {
      if (performance.now() >= deadline || interrupt.requested) return;
      const trade = api.trade(traders[i]!, 'buy', sector.good, 1, `fanout-${traders[i]!.username}-${++sequence}`).then((res) => {
        const key = res.status === 200 ? '200' : `${res.status} ${res.code}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        if (res.status === 200) {
          events++;
          expected += fleet.liveBySector[i]!;
        }
      });
      inFlight.add(trade);
      void trade.finally(() => inFlight.delete(trade));
    }, 1000 / options.rate),
  );
  const ticker = setInterval(
    () =>
      progress.update(
        `trades: ${((performance.now() - begin) / 1000).toFixed(0)}/${options.duration} s, ${events} trades, ${delivered.toLocaleString('en-US')} delivered`,
      ),
    500,
  );
  await sleep(options.duration * 1000);
  for (const t of timers) clearInterval(t);
  await Promise.all(inFlight);
  // Frames still on their way get a moment to land before anything missing counts as dropped.
  await sleep(2_000);
  clearInterval(ticker);
  const cpu = meter.read();
  fleet.onEvent = () => {};
  const result: DeliveryResult = {
    phase: 'trades via API',
    seconds: options.duration,
    events,
    events_per_second: round(events / options.duration, 1)!,
    delivered,
    delivered_per_second: round(delivered / options.duration, 1)!,
    expected,
    drops: Math.max(0, expected - delivered),
    latency_ms: roundSummary(histogram.summary()),
    closed_by_server: fleet.closes.toJSON(),
    cpu,
    timeline: timeline.stats(),
    hops: [
      { hop: 'commit → publish (API)', counted: 'event', count: stamped, latency_ms: roundSummary(perEvent.publish.summary()) },
      { hop: 'publish → Redis receipt (realtime)', counted: 'event', count: stamped, latency_ms: roundSummary(perEvent.receive.summary()) },
      { hop: 'receipt → send (realtime)', counted: 'event', count: stamped, latency_ms: roundSummary(perEvent.send.summary()) },
      { hop: 'send → client (uWS, kernel, load generator)', counted: 'delivery', count: toClient.count, latency_ms: roundSummary(toClient.summary()) },
      { hop: 'total: commit → client', counted: 'delivery', count: histogram.count, latency_ms: roundSummary(histogram.summary()) },
    ],
  };
  const refused = [...answers].filter(([k]) => k !== '200');
  progress.done(
    `trades: ${events} trades, ${delivered.toLocaleString('en-US')} deliveries (${result.delivered_per_second}/s), p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, drops ${result.drops}` +
      (refused.length ? `; refused: ${refused.map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''),
  );
  return result;
}

/**
 * As fast as the sockets absorb it: the bench publishes events on the server's Redis channel,
 * keeping a few in flight per sector; an event is done when every live socket of its sector has
 * it, and the next one goes out at once. Latency runs from PUBLISH to arrival, on one clock.
 */
async function saturatePhase(
  phase: string,
  fleet: SocketFleet,
  channel: string,
  publisher: Redis,
  ids: { next: number },
  sectors: WatchedSector[],
  options: BenchOptions,
  progress: Progress,
  servers: Array<{ name: string; pid: number }>,
): Promise<DeliveryResult> {
  // Enough in flight to keep the pipeline full (~8,000 frames per sector), but at most 64 frames
  // per socket: about 15 KB queued, far below the server's 256 KB cut-off for slow consumers.
  const perSocket = Math.max(1, Math.round(options.connections / sectors.length));
  const perSector = Math.min(64, Math.max(4, Math.ceil(8_000 / perSocket)));
  const window = perSector * sectors.length;
  progress.step(`${phase}: ${window} events in flight over ${sectors.length} sectors, ${options.warmup} s warm-up + ${options.duration} s`);
  const sentAt = new Float64Array(RING);
  const expected = new Int32Array(RING);
  const got = new Int32Array(RING);
  const active = new Uint8Array(RING);
  const sectorOf = new Int32Array(RING);
  const outstanding = new Set<number>();
  const begin = performance.now();
  const measureFrom = begin + options.warmup * 1000;
  const deadline = measureFrom + options.duration * 1000;
  const histogram = new LogHistogram();
  const timeline = new HistogramTimeline(measureFrom, 1000, deadline);
  let delivered = 0;
  let events = 0;
  let expectedTotal = 0;
  let drops = 0;
  let meter: CpuMeter | undefined;
  let turn = 0;
  const closesBefore = fleet.closes.total;

  const publish = () => {
    if (performance.now() >= deadline || interrupt.requested) return;
    const i = turn++ % sectors.length;
    const sector = sectors[i]!;
    const id = ids.next++;
    const slot = id & (RING - 1);
    const at = new Date().toISOString();
    const message = `{"id":${id},"topic":"sector:${sector.id}","type":"port.traded","at":"${at}","data":{"port_id":${sector.id},"sector_id":${sector.id},"trader":"bench","side":"buy","good":"${sector.good}","quantity":1,"unit_price":42,"stock":1000}}`;
    sentAt[slot] = performance.now();
    expected[slot] = fleet.liveBySector[i]!;
    got[slot] = 0;
    sectorOf[slot] = i;
    active[slot] = 1;
    outstanding.add(id);
    if (sentAt[slot]! >= measureFrom) {
      events++;
      expectedTotal += expected[slot]!;
    }
    if (expected[slot] === 0) {
      // No live socket left in that sector: nothing to wait for, and this slot of the window closes.
      active[slot] = 0;
      outstanding.delete(id);
      return;
    }
    void publisher.publish(channel, message).catch(() => {});
  };
  const complete = (id: number, slot: number) => {
    active[slot] = 0;
    outstanding.delete(id);
    publish();
  };
  fleet.onEvent = (id, _payload, now) => {
    if (id < BUS_BASE) return;
    const slot = id & (RING - 1);
    if (active[slot] !== 1) return;
    const sent = sentAt[slot]!;
    if (sent >= measureFrom && now <= deadline) {
      delivered++;
      histogram.add(now - sent);
      timeline.record(now, now - sent);
    }
    if (++got[slot]! >= expected[slot]!) complete(id, slot);
  };
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const id of outstanding) {
      const slot = id & (RING - 1);
      if (now - sentAt[slot]! < EVENT_TIMEOUT_MS) continue;
      if (sentAt[slot]! >= measureFrom) drops += expected[slot]! - got[slot]!;
      complete(id, slot);
    }
  }, 250);
  const startMeter = setTimeout(() => (meter = new CpuMeter(servers)), options.warmup * 1000);
  const ticker = setInterval(() => {
    const t = (performance.now() - begin) / 1000;
    const rate = performance.now() > measureFrom ? delivered / ((performance.now() - measureFrom) / 1000) : 0;
    progress.update(
      `${phase}: ${t.toFixed(0)}/${options.warmup + options.duration} s, ${rate.toFixed(0)} delivered/s, drops ${drops}, ${fleet.liveCount} live`,
    );
  }, 500);
  for (let i = 0; i < window; i++) publish();
  await sleep(options.warmup * 1000 + options.duration * 1000);
  // What is still in flight at the deadline gets the usual timeout to finish.
  const drainUntil = performance.now() + EVENT_TIMEOUT_MS + 500;
  while (outstanding.size > 0 && performance.now() < drainUntil) await sleep(100);
  for (const id of outstanding) {
    const slot = id & (RING - 1);
    if (sentAt[slot]! >= measureFrom) drops += expected[slot]! - got[slot]!;
  }
  clearTimeout(startMeter);
  clearInterval(sweeper);
  clearInterval(ticker);
  fleet.onEvent = () => {};
  meter ??= new CpuMeter(servers);
  const result: DeliveryResult = {
    phase,
    seconds: options.duration,
    events,
    events_per_second: round(events / options.duration, 1)!,
    delivered,
    delivered_per_second: round(delivered / options.duration, 1)!,
    expected: expectedTotal,
    drops,
    latency_ms: roundSummary(histogram.summary()),
    closed_by_server: fleet.closes.total > closesBefore ? fleet.closes.toJSON() : {},
    cpu: meter.read(),
    timeline: timeline.stats(),
  };
  progress.done(
    `${phase}: ${result.delivered_per_second.toLocaleString('en-US')} delivered/s, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, drops ${drops}`,
  );
  return result;
}

/** How widely the fleet spreads its first reconnect attempts: the game client's default. */
const RECONNECT_SPREAD_MS = 3_000;
const RECONNECT_TIMEOUT_MS = 60_000;

/**
 * The reconnect storm: with every socket connected, restart the realtime process (SIGTERM, which
 * closes them all with 1001; a new process on the same port). Each socket comes back as the
 * game's client does: the first attempt at a random time within 3 s, then jittered backoff, with
 * its resume token (no ticket), and resumes after its last event. While realtime is down, one
 * trade per sector goes through the API: every socket must get its sector's trade by the replay.
 */
async function reconnectPhase(
  fleet: SocketFleet,
  target: Target,
  api: GameApi,
  traders: Session[],
  sectors: WatchedSector[],
  progress: Progress,
  ticketUrl: (index: number) => Promise<string>,
): Promise<ReconnectResult> {
  const sockets = fleet.liveCount;
  const bySector = [...fleet.liveBySector];
  progress.step(`reconnect: restarting realtime with ${sockets.toLocaleString('en-US')} sockets connected`);
  fleet.reconnect = { wsUrl: target.realtimeUrl!, ticketUrl, spreadMs: RECONNECT_SPREAD_MS, initialMs: 1_000, maxMs: 30_000 };
  let missedDelivered = 0;
  let missedTrades = 0;
  let missedExpected = 0;
  fleet.onEvent = (id) => {
    if (id < BUS_BASE) missedDelivered++;
  };
  const begin = performance.now();
  fleet.reconnects.since = begin;
  const ticker = setInterval(
    () =>
      progress.update(
        `reconnect: ${((performance.now() - begin) / 1000).toFixed(1)} s, ${fleet.liveCount}/${sockets} back, ${fleet.reconnects.ticketRequests} tickets`,
      ),
    250,
  );
  const times = await target.restartRealtime!(async () => {
    await Promise.all(
      sectors.map(async (sector, i) => {
        const res = await api.trade(traders[i]!, 'buy', sector.good, 1, `fanout-missed-${traders[i]!.username}`);
        if (res.status === 200) {
          missedTrades++;
          missedExpected += bySector[i]!;
        }
      }),
    );
  });
  const deadline = performance.now() + RECONNECT_TIMEOUT_MS;
  while (fleet.liveCount < sockets && performance.now() < deadline && !interrupt.requested) await sleep(50);
  // Replays land before `resumed`; the stragglers' get a moment.
  await sleep(500);
  clearInterval(ticker);
  fleet.onEvent = () => {};
  fleet.reconnect = undefined;
  const r = fleet.reconnects;
  const backMs = roundSummary(r.backAfterMs.summary());
  // Every socket that dropped is back: the last one's time is the storm's.
  const allBack = r.back >= sockets && r.drops >= sockets ? round(r.backAfterMs.summary().max / 1000, 2)! : null;
  const result: ReconnectResult = {
    sockets,
    back: fleet.liveCount,
    not_back: Math.max(0, sockets - fleet.liveCount),
    stop_s: round(times.stoppedAt / 1000, 2)!,
    ready_s: round(times.readyAt / 1000, 2)!,
    all_back_s: allBack,
    after_ready_s: allBack === null ? null : round(allBack - times.readyAt / 1000, 2)!,
    back_ms: backMs,
    attempts: r.attempts,
    ticket_requests: r.ticketRequests,
    token_upgrades: r.tokenUpgrades,
    tokens_refused: r.tokenRefused,
    missed_trades: missedTrades,
    missed_expected: missedExpected,
    missed_delivered: missedDelivered,
    spread_ms: RECONNECT_SPREAD_MS,
  };
  progress.done(
    `reconnect: ${result.back}/${sockets} back in ${result.all_back_s ?? '> 60'} s (realtime ready at ${result.ready_s} s), ` +
      `${result.ticket_requests} ticket requests, ${result.token_upgrades} resume tokens (${result.tokens_refused} refused), ` +
      `missed trades delivered ${missedDelivered}/${missedExpected}`,
  );
  return result;
}

/** The same sockets and the same saturating publisher against a baseline server. */
async function baselinePhase(
  kind: 'ws' | 'uws',
  target: Target,
  publisher: Redis,
  ids: { next: number },
  sectors: WatchedSector[],
  options: BenchOptions,
  progress: Progress,
  logDir: string,
): Promise<{ connect: ConnectResult; delivery: DeliveryResult }> {
  const port = await freePort();
  // Its own channel, so the idle realtime process does not also parse these events.
  const channel = `${target.redis!.prefix}bench-${kind}`;
  const file = path.join(REPO_ROOT, 'bench', 'baselines', kind === 'ws' ? 'ws-fanout-server.ts' : 'uws-fanout-server.ts');
  let server: Child | undefined;
  try {
    server = await spawnScript(`${kind}-baseline`, file, [], { env: { PORT: String(port), REDIS_URL: target.redis!.url, CHANNEL: channel }, logDir });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, server);
    const fleet = new SocketFleet(sectors.length, Number.POSITIVE_INFINITY, options.receivers);
    const name = kind === 'ws' ? 'plain ws' : 'bare uWS';
    const connect = await connectFleet(
      name,
      fleet,
      options,
      progress,
      server.pid,
      async (_i, sector) => `ws://127.0.0.1:${port}/ws?sector=${sectors[sector]!.id}`,
    );
    const delivery = await saturatePhase(`saturate ${name}`, fleet, channel, publisher, ids, sectors, options, progress, [{ name, pid: server.pid }]);
    await fleet.closeAll();
    return { connect, delivery };
  } finally {
    await server?.stop();
  }
}

/** The V8 heap in use of a process of ours, from its /metrics (prom-client's default metrics). */
async function heapUsedBytes(baseUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const m = /^sectorwars_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The realtime server's own count of the connections it closed, by cause (its /metrics). */
async function realtimeClosures(baseUrl: string): Promise<Record<string, number>> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^sectorwars_realtime_connections_closed_total\{[^}]*reason="([^"]+)"[^}]*\} (\d+(?:\.\d+)?)$/gm)) out[m[1]!] = Number(m[2]);
    return out;
  } catch {
    return {};
  }
}

function fanoutReport(
  options: BenchOptions,
  target: Target,
  startedAt: string,
  sectors: WatchedSector[],
  connect: ConnectResult,
  trades: DeliveryResult,
  saturate: DeliveryResult,
  reconnect: ReconnectResult,
  stillLive: number,
  closedByServer: Record<string, number>,
  baselines: Array<{ connect: ConnectResult; delivery: DeliveryResult }>,
): BenchReport {
  const ws = baselines.find((b) => b.connect.server === 'plain ws');
  const uws = baselines.find((b) => b.connect.server === 'bare uWS');
  const vsWs = ws ? ratio(saturate.delivered_per_second, ws.delivery.delivered_per_second) : null;
  const targets: TargetCheck[] = [
    {
      name: 'sockets held by one realtime process',
      goal: '10,000',
      value: `${stillLive.toLocaleString('en-US')} live of ${options.connections.toLocaleString('en-US')} at the end`,
      met: options.connections >= 10_000 ? stillLive >= 10_000 : null,
    },
    {
      name: 'delivery p99 (trades phase)',
      goal: '< 100 ms',
      value: `${trades.latency_ms.p99} ms`,
      met: trades.delivered > 0 ? trades.latency_ms.p99 < 100 : null,
    },
    {
      name: 'delivered messages/s vs plain ws',
      goal: '≥ 3×',
      value: vsWs === null ? 'no ws baseline' : `${vsWs}× (${saturate.delivered_per_second} vs ${ws!.delivery.delivered_per_second})`,
      met: vsWs === null ? null : vsWs >= 3,
    },
    {
      name: 'reconnect storm: every socket back and resumed after a realtime restart',
      goal: '≤ 10 s',
      value:
        reconnect.all_back_s === null
          ? `${reconnect.not_back} of ${reconnect.sockets.toLocaleString('en-US')} not back within 60 s`
          : `${reconnect.all_back_s} s for ${reconnect.sockets.toLocaleString('en-US')} (new process ready at ${reconnect.ready_s} s, all back ${reconnect.after_ready_s} s later)`,
      met: reconnect.sockets >= 10_000 ? reconnect.all_back_s !== null && reconnect.all_back_s <= 10 : null,
    },
    {
      name: 'API ticket requests caused by the reconnect storm',
      goal: '≪ sockets',
      value: `${reconnect.ticket_requests} for ${reconnect.sockets.toLocaleString('en-US')} sockets (${reconnect.token_upgrades} came back with a resume token)`,
      met: reconnect.sockets > 0 ? reconnect.ticket_requests <= reconnect.sockets * 0.05 : null,
    },
    {
      name: 'RSS per idle realtime socket',
      goal: '≤ 5 KB',
      value: connect.bytes_per_socket === null ? 'not measured' : `${connect.bytes_per_socket} bytes`,
      met: connect.bytes_per_socket === null ? null : connect.bytes_per_socket <= 5_000,
    },
  ];
  const connects = [connect, ws?.connect, uws?.connect].filter((c): c is ConnectResult => c !== undefined);
  const deliveries = [trades, saturate, ws?.delivery, uws?.delivery].filter((d): d is DeliveryResult => d !== undefined);
  const tables: Table[] = [
    {
      title: 'Connections',
      columns: [
        'server',
        'sockets',
        'live',
        'failed',
        'connects/s',
        'connect p50 ms',
        'connect p99 ms',
        'RSS before MB',
        'RSS half MB',
        'RSS after MB',
        'bytes per idle socket',
        'bytes (whole run)',
        'JS heap bytes per socket',
      ],
      rows: connects.map((c) => [
        c.server,
        c.sockets,
        c.live,
        c.failed,
        c.per_second,
        c.connect_ms.p50,
        c.connect_ms.p99,
        c.rss_before_mb,
        c.rss_half_mb,
        c.rss_after_mb,
        c.bytes_per_socket,
        c.bytes_per_socket_whole,
        c.heap_bytes_per_socket,
      ]),
      note: "realtime: a ticket (POST /api/v1/realtime/ticket), the upgrade, `welcome`, `resume`, `resumed`. Baselines: the upgrade and a welcome. Memory: sockets connect in two halves, the server's RSS read 3 s after each; bytes per idle socket = the second half's growth ÷ its sockets (what one more socket costs, without the one-off growth of a process put under load, which the whole-run figure includes); for realtime also its V8 heap in use (its /metrics), the JavaScript share of it (garbage not yet collected included).",
    },
    {
      title: 'Delivery',
      columns: ['phase', 'events/s', 'delivered/s', 'p50 ms', 'p95 ms', 'p99 ms', 'drops', 'generator CPU %', 'server CPU %'],
      rows: deliveries.map((d) => [
        d.phase,
        d.events_per_second,
        d.delivered_per_second,
        d.latency_ms.p50,
        d.latency_ms.p95,
        d.latency_ms.p99,
        d.drops,
        d.cpu.generator_cpu_pct,
        Object.values(d.cpu.processes)[0] ?? null,
      ]),
      note:
        `Sockets spread evenly over sectors ${sectors.map((s) => s.id).join(', ')}. trades: real buys through the API, latency from the outbox row's time. ` +
        'saturate: events published on Redis by the bench, a window in flight per sector (8,000 frames, 4 to 64 events), latency from PUBLISH. CPU is % of one core; the generator receives every message, so it competes with the server for the same cores.' +
        (uws ? ` realtime ÷ bare uWS = ${ratio(saturate.delivered_per_second, uws.delivery.delivered_per_second)}.` : ''),
    },
  ];
  if (trades.hops) {
    tables.push({
      title: 'Fan-out hops (trades via API)',
      columns: ['hop', 'counted per', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      rows: trades.hops.map((h) => [h.hop, h.counted, h.count, h.latency_ms.p50, h.latency_ms.p95, h.latency_ms.p99, h.latency_ms.max]),
      note: 'From the EVENT_STAMPS stamps: commit is the outbox row time (the transaction), publish the API after commit, receipt when the realtime process read it from Redis, send right before its uWS publish, client when the bench read it off the socket. One clock (this machine). The realtime hops are counted once per event, the last one per delivery.',
    });
  }
  tables.push({
    title: 'Reconnect storm (realtime restart)',
    columns: [
      'sockets',
      'back',
      'realtime stopped s',
      'realtime ready s',
      'all back s',
      'after ready s',
      'back p50 ms',
      'back p99 ms',
      'attempts',
      'ticket requests',
      'resume tokens',
      'tokens refused',
      'missed events delivered',
    ],
    rows: [
      [
        reconnect.sockets,
        reconnect.back,
        reconnect.stop_s,
        reconnect.ready_s,
        reconnect.all_back_s,
        reconnect.after_ready_s,
        reconnect.back_ms.p50,
        reconnect.back_ms.p99,
        reconnect.attempts,
        reconnect.ticket_requests,
        reconnect.token_upgrades,
        reconnect.tokens_refused,
        `${reconnect.missed_delivered} of ${reconnect.missed_expected}`,
      ],
    ],
    note: `Times from the SIGTERM to the realtime process (it closes every socket with 1001 and exits; a new one starts on the same port). Sockets come back as the game client does: first attempt at a random time within ${reconnect.spread_ms / 1000} s, then about one attempt a second (jittered, 0.5–1.5 s) four times, then jittered exponential backoff; with the resume token of their last welcome (a ticket only when it is refused); then resume after their last event id. ${reconnect.missed_trades} trades (one per sector) went through the API while realtime was down: each socket of the sector gets it by the replay.`,
  });
  const notes = [
    "Accounts are written into the bench's own database and their access tokens signed with the JWT secret the bench gave the target: 10,000 registrations would cost 10,000 Argon2id hashes (minutes of both cores) before anything is measured.",
  ];
  if (Object.keys(closedByServer).length > 0) notes.push(`realtime closed connections (its /metrics, by cause): ${JSON.stringify(closedByServer)}`);
  const series = (d: DeliveryResult, pick: (w: WindowStat) => number): LineSeries => ({
    name: d.phase,
    points: d.timeline.map((w) => [w.t, w.count ? pick(w) : null]),
  });
  return {
    scenario: 'fanout',
    title: `fanout: ${options.connections.toLocaleString('en-US')} sockets in ${sectors.length} sectors`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    options: {
      connections: options.connections,
      sectors: sectors.map((s) => s.id),
      rate_per_sector: options.rate,
      duration_s: options.duration,
      warmup_s: options.warmup,
      baselines: options.baselines,
      receiving_threads: options.receivers,
    },
    target: target.describe(),
    results: {
      sockets_live_at_end: stillLive,
      connect,
      trades: { ...trades, timeline: undefined },
      reconnect,
      saturate: { ...saturate, timeline: undefined },
      baselines: Object.fromEntries(baselines.map((b) => [b.connect.server, { connect: b.connect, delivery: { ...b.delivery, timeline: undefined } }])),
      ratios: { realtime_vs_ws: vsWs, realtime_vs_uws: uws ? ratio(saturate.delivered_per_second, uws.delivery.delivered_per_second) : null },
      realtime_closed_by_cause: closedByServer,
      timelines: Object.fromEntries(deliveries.map((d) => [d.phase, d.timeline])),
    },
    targets,
    tables,
    notes,
    chart: {
      title: `SectorWars fan-out: ${options.connections.toLocaleString('en-US')} sockets`,
      subtitle: `${sectors.length} sectors, ${startedAt.slice(0, 10)}`,
      panels: [
        {
          kind: 'line',
          title: 'delivery latency per second (p50, p99)',
          xLabel: 'seconds',
          yLabel: 'ms',
          series: [series(trades, (w) => w.p50), series(trades, (w) => w.p99), series(saturate, (w) => w.p50), series(saturate, (w) => w.p99)].map((s, i) => ({
            ...s,
            name: `${s.name} ${i % 2 === 0 ? 'p50' : 'p99'}`,
          })),
        },
        {
          kind: 'line',
          title: 'delivered messages per second',
          xLabel: 'seconds',
          yLabel: 'messages/s',
          series: deliveries.map((d) => series(d, (w) => w.perSecond)),
        },
        {
          kind: 'bar',
          title: 'server memory per idle socket (bytes)',
          yLabel: 'bytes',
          bars: connects.map((c) => ({ label: c.server, value: c.bytes_per_socket ?? 0 })),
        },
      ],
    },
  };
}
