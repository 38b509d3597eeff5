import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { ThrowawayRedis } from '../tests/throwaway-redis.js';
import { DatabaseSet } from './databases.js';
import { freePort, runRole, sleep, spawnRole, waitForHttp, type Child } from './processes.js';

/**
 * What a Redis outage costs under steady traffic: `npx tsx bench/bus-outage.ts [--outage 5]
 * [--rate 100] [--logins 3] [--players 24]`, with DATABASE_URL naming a PostgreSQL server.
 *
 * It starts one `sectorwars api`, one `sectorwars realtime` and `sectorwars jobs` on a fresh
 * database and a redis-server of its own, drives game requests (moves, state, sector views) at --rate per second
 * and logins at --logins per second, kills Redis (SIGKILL) after the warm-up, starts it again
 * (empty) --outage seconds later, and reports the failed requests (5xx or no answer) before,
 * during and after the outage, and how long after Redis is back a socket hears events again:
 * the first frame at all, the first event committed after the restart, and whether every event
 * of the observer's own moves (the outage's included) arrived.
 */
const { values } = parseArgs({
  options: {
    outage: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '5' },
    after: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    logins: { type: 'string', default: '3' },
    players: { type: 'string', default: '24' },
  },
});
const OUTAGE_MS = Number(values.outage) * 1000;
const WARMUP_MS = Number(values.warmup) * 1000;
const AFTER_MS = Number(values.after) * 1000;
const RATE = Number(values.rate);
const LOGIN_RATE = Number(values.logins);
const PLAYERS = Number(values.players);
const PASSWORD = 'correct horse battery';
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Phase = 'before' | 'during' | 'after';
interface Outcome {
  kind: string;
  phase: Phase;
  status: number | 'no answer';
  code?: string;
}

const randomIp = () => `10.${randomBytes(3).join('.')}`;

async function main(): Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const logDir = mkdtempSync(path.join(tmpdir(), 'sw-outage-'));
  const databases = new DatabaseSet(SERVER, `sectorwars_bench_${run}`);
  const children: Child[] = [];
  let redis: ThrowawayRedis | undefined;
  try {
    const { url: databaseUrl } = await databases.create('outage');
    redis = await ThrowawayRedis.start();
    const [apiPort, realtimePort, jobsPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `outage:${run}:`,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      REALTIME_HOST: '127.0.0.1',
      REALTIME_PORT: String(realtimePort),
      REALTIME_PUBLIC_URL: `ws://127.0.0.1:${realtimePort}/ws`,
      JOBS_PORT: String(jobsPort),
      // Logins come from many addresses, as through nginx: per-address limits do not bite, the
      // per-username ones do (each player logs in a few times a minute).
      TRUSTED_PROXIES: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '10',
    };
    await runRole('migrate', 'migrate', [], { env, logDir });
    await runRole('generate', 'generate', ['--sectors', '200', '--seed', 'outage'], { env, logDir });
    // jobs too: its outbox-relay publishes what an api committed while it could not reach Redis.
    children.push(
      await spawnRole('api', 'api', [], { env, logDir }),
      await spawnRole('realtime', 'realtime', [], { env, logDir }),
      await spawnRole('jobs', 'jobs', [], { env, logDir }),
    );
    const base = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${base}/readyz`, children[0]);
    await waitForHttp(`http://127.0.0.1:${realtimePort}/readyz`, children[1]);

    const call = async (method: string, route: string, options: { token?: string; body?: unknown; ip?: string } = {}) => {
      const headers: Record<string, string> = { 'x-real-ip': options.ip ?? randomIp() };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${route}`, {
        method,
        headers,
        signal: AbortSignal.timeout(10_000),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
    };

    const players = await Promise.all(
      Array.from({ length: PLAYERS }, async (_, i) => {
        const username = `outage_${run}_${i}`.slice(0, 24);
        const reg = await call('POST', '/api/v1/auth/register', { body: { username, email: `${username}@example.test`, password: PASSWORD } });
        if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
        const token = reg.body.access_token as string;
        await call('GET', '/api/v1/player/state', { token });
        return { username, token, at: 1 };
      }),
    );
    const view = await call('GET', '/api/v1/sectors/1', { token: players[0]!.token });
    const neighbour = (view.body.warps as Array<{ to: number; one_way: boolean }>).find((w) => !w.one_way)!.to;

    // The observer: one player's socket, hearing its own moves.
    const observer = players[0]!;
    const ticket = await call('POST', '/api/v1/realtime/ticket', { token: observer.token });
    const frames: Array<{ at: number; id: number; type: string; eventAt: number; turnsLeft?: number }> = [];
    const socket = new WebSocket(ticket.body.url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { id: unknown; type: string; at: string; data: { turns_left?: number } };
      if (typeof frame.id === 'number')
        frames.push({ at: Date.now(), id: frame.id, type: frame.type, eventAt: Date.parse(frame.at), turnsLeft: frame.data?.turns_left });
    });
    socket.send(JSON.stringify({ type: 'resume' }));
    let socketClosed: number | undefined;
    socket.on('close', (code) => (socketClosed = code));

    const outcomes: Outcome[] = [];
    let phase: Phase = 'before';
    const phaseStarted: Record<Phase, number> = { before: Date.now(), during: 0, after: 0 };
    const record = async (kind: string, work: () => Promise<{ status: number; body?: unknown }>) => {
      const at = phase;
      try {
        const res = (await work()) as { status: number; body?: { code?: string } };
        outcomes.push({ kind, phase: at, status: res.status, ...(res.status >= 400 ? { code: res.body?.code } : {}) });
      } catch {
        outcomes.push({ kind, phase: at, status: 'no answer' });
      }
    };
    const move = (p: (typeof players)[number]) => {
      const to = p.at === 1 ? neighbour : 1;
      return call('POST', '/api/v1/player/move', { token: p.token, body: { to } }).then((res) => {
        if (res.status === 200) p.at = to;
        return res;
      });
    };
    // Each move leaves a different number of turns: that matches a move to its event.
    const observerMoves: Array<{ at: number; turnsLeft: number }> = [];

    // Each player's requests one after another (as one client would send them), at a steady pace.
    let stopping = false;
    const paced = async (perSecond: number, step: (i: number) => Promise<void>) => {
      const started = Date.now();
      for (let i = 0; !stopping; i++) {
        const due = started + (i * 1000) / perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        await step(i);
      }
    };
    const others = players.slice(1);
    const game = others.map((p) =>
      paced(RATE / others.length, async (i) => {
        const kind = (['move', 'state', 'sector'] as const)[i % 3]!;
        if (kind === 'move') await record('game: move', () => move(p));
        else if (kind === 'state') await record('game: state', () => call('GET', '/api/v1/player/state', { token: p.token }));
        else await record('game: sector', () => call('GET', `/api/v1/sectors/${p.at}`, { token: p.token }));
      }),
    );
    // Logins in parallel lanes, each at one a second: one Argon2 verification is slow enough that a
    // single lane would fall behind.
    const logins = Array.from({ length: LOGIN_RATE }, (_, lane) =>
      paced(1, async (i) => {
        const p = players[(i * LOGIN_RATE + lane) % players.length]!;
        await record('login', () => call('POST', '/api/v1/auth/login', { body: { username: p.username, password: PASSWORD } }));
      }),
    );
    // The observer moves five times a second: each move's event is what its socket should hear.
    const probe = paced(5, async () => {
      await record('game: move', async () => {
        const res = await move(observer);
        if (res.status === 200) observerMoves.push({ at: Date.now(), turnsLeft: (res.body.hop?.turns_left ?? res.body.turns_left) as number });
        return res;
      });
    });

    await sleep(WARMUP_MS);
    const readyBefore = await call('GET', '/readyz');
    const killedAt = Date.now();
    await redis.kill();
    phase = 'during';
    phaseStarted.during = killedAt;
    await sleep(OUTAGE_MS / 2);
    const readyDuring = await call('GET', '/readyz');
    await sleep(Math.max(0, killedAt + OUTAGE_MS - Date.now()));
    await redis.start();
    const restartedAt = Date.now();
    phase = 'after';
    phaseStarted.after = restartedAt;
    await sleep(AFTER_MS);
    stopping = true;
    const stoppedAt = Date.now();
    await Promise.all([...game, ...logins, probe]);
    // Events still on their way when the traffic stopped get time to arrive (the relay runs every 5 s).
    for (
      const until = Date.now() + 12_000;
      Date.now() < until && new Set(frames.filter((f) => f.type === 'player.moved').map((f) => f.id)).size < observerMoves.length;
    )
      await sleep(50);
    socket.close();

    const table = (which: Phase) => {
      const rows = outcomes.filter((o) => o.phase === which);
      const byKind: Record<string, { total: number; failed: number; statuses: Record<string, number> }> = {};
      for (const o of rows) {
        const k = (byKind[o.kind] ??= { total: 0, failed: 0, statuses: {} });
        k.total++;
        if (o.status === 'no answer' || o.status >= 500) k.failed++;
        const key = o.code ? `${o.status} ${o.code}` : String(o.status);
        k.statuses[key] = (k.statuses[key] ?? 0) + 1;
      }
      const ends = { before: phaseStarted.during, during: phaseStarted.after, after: stoppedAt };
      const seconds = (ends[which] - phaseStarted[which]) / 1000;
      return {
        seconds: Math.round(seconds * 10) / 10,
        per_s: Math.round((rows.length / seconds) * 10) / 10,
        total: rows.length,
        failed: rows.filter((o) => o.status === 'no answer' || (o.status as number) >= 500).length,
        by_kind: byKind,
      };
    };
    const moved = frames.filter((f) => f.type === 'player.moved');
    const afterRestart = frames.filter((f) => f.at >= restartedAt);
    const liveAfter = afterRestart.find((f) => f.eventAt >= restartedAt);
    const report = {
      outage_s: (restartedAt - killedAt) / 1000,
      rate_per_s: RATE,
      logins_per_s: LOGIN_RATE,
      readyz: { before: readyBefore, during: readyDuring },
      requests: { before: table('before'), during: table('during'), after: table('after') },
      realtime: {
        first_frame_after_restart_ms: afterRestart[0] ? afterRestart[0].at - restartedAt : null,
        first_live_event_after_restart_ms: liveAfter ? liveAfter.at - restartedAt : null,
        observer_moves_ok: observerMoves.length,
        observer_moved_frames: moved.length,
        observer_moved_frames_unique: new Set(moved.map((f) => f.id)).size,
        socket_closed_with: socketClosed ?? null,
        // Moves whose event never reached the socket, by when they were answered (ms from the kill).
        unheard_moves_ms_from_kill: observerMoves.filter((m) => !moved.some((f) => f.turnsLeft === m.turnsLeft)).map((m) => m.at - killedAt),
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await redis?.kill();
    await databases.dropAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bus-outage: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
