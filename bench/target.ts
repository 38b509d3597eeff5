import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { DEFAULT_DATABASE_POOL_SIZE } from '../platform/config.js';
import path from 'node:path';
import { Redis } from 'ioredis';
import { DatabaseSet } from './databases.js';
import { freePort, runRole, spawnRole, waitForHttp, type Child } from './processes.js';

/**
 * What the bench drives: a deployment somewhere (`--target URL`) or one it starts itself —
 * on PostgreSQL when DATABASE_URL is set (fresh database, `migrate` + `generate`, then ONE
 * `api` process, and `realtime` when asked), embedded otherwise (one `all` process on a temp
 * DATA_DIR). Everything it started, it stops and removes in `close()`.
 */
export interface Target {
  kind: 'url' | 'postgres' | 'embedded' | 'regions';
  baseUrl: string;
  /** ws://host:port/ws of the realtime listener, when there is one */
  realtimeUrl: string | undefined;
  /** The target's own database, when the bench made it (PostgreSQL) */
  databaseUrl: string | undefined;
  /** The galaxy the target was generated from, copyable for baselines (PostgreSQL only) */
  galaxyTemplate: string | undefined;
  databases: DatabaseSet | undefined;
  redis: { url: string; prefix: string } | undefined;
  /** The signing secret the bench made up for a target it started (lets it seed accounts) */
  jwtSecret: string | undefined;
  api: Child | undefined;
  /** every api process the bench started (more than one with `apiProcesses`), and where each listens */
  apis: Array<{ child: Child; url: string }>;
  realtime: Child | undefined;
  /**
   * Stop the realtime process (SIGTERM: it closes its sockets with 1001 and exits) and start a new
   * one on the same port; `whileDown` runs in between. Resolves once the new one is ready.
   */
  restartRealtime?: (whileDown?: () => Promise<void>) => Promise<{ stoppedAt: number; startedAt: number; readyAt: number }>;
  children: Child[];
  runId: string;
  describe(): Record<string, unknown>;
  close(): Promise<void>;
}

export interface TargetOptions {
  url?: string;
  realtimeUrl?: string;
  logDir: string;
  profileDir?: string;
  /** GAME_TIME_SCALE for a target the bench starts */
  timeScale?: number;
  /** start the realtime role too (PostgreSQL + Redis) */
  realtime?: boolean;
  /** start the jobs role too (market drift, NPC traders), on PostgreSQL */
  jobs?: boolean;
  seed: string;
  /** more environment for the roles the bench starts (NPC_PIRATES_PER_REGION for economy, EVENT_STAMPS for fanout) */
  env?: Record<string, string>;
  /** an embedded target even when DATABASE_URL is set */
  embedded?: boolean;
  /** api processes on PostgreSQL (default 1), each with its share of DATABASE_POOL_SIZE */
  apiProcesses?: number;
  onStep?: (message: string) => void;
}

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

export async function openTarget(options: TargetOptions): Promise<Target> {
  const runId = newRunId();
  const step = options.onStep ?? (() => {});
  const base = {
    runId,
    databases: undefined,
    databaseUrl: undefined,
    galaxyTemplate: undefined,
    jwtSecret: undefined,
    redis: undefined,
    api: undefined,
    apis: [],
    realtime: undefined,
    children: [] as Child[],
  };
  if (options.url) {
    const baseUrl = options.url.replace(/\/+$/, '');
    const realtimeUrl = options.realtimeUrl ?? `${baseUrl.replace(/^http/, 'ws')}/ws`;
    return {
      ...base,
      kind: 'url',
      baseUrl,
      realtimeUrl,
      describe: () => ({ kind: 'url', url: baseUrl, realtime: realtimeUrl }),
      close: async () => {},
    };
  }

  const jwtSecret = randomBytes(36).toString('base64url');
  const nodeArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const logLevel = process.env.LOG_LEVEL ?? 'info';
  const serverUrl = options.embedded ? undefined : process.env.DATABASE_URL;
  const children: Child[] = [];
  const stopChildren = async () => {
    for (const child of children.splice(0).reverse()) await child.stop();
  };

  if (!serverUrl) {
    if (options.realtime) throw new Error('the realtime scenario starts `sectorwars realtime` on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sectorwars-bench-'));
    const port = await freePort();
    step(`starting an embedded target (sectorwars all, DATA_DIR ${dataDir})`);
    const env = {
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      HOST: '127.0.0.1',
      PORT: String(port),
      REALTIME_PORT: String(await freePort()),
      RATE_LIMITS: 'false',
      GAME_TIME_SCALE: String(options.timeScale ?? 1),
      LOG_LEVEL: logLevel,
    };
    const all = await spawnRole('all', 'all', [], { env, logDir: options.logDir, nodeArgs });
    children.push(all);
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${baseUrl}/readyz`, all);
    } catch (err) {
      await stopChildren();
      await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
    return {
      ...base,
      kind: 'embedded',
      baseUrl,
      realtimeUrl: `ws://127.0.0.1:${port}/ws`,
      jwtSecret,
      api: all,
      apis: [{ child: all, url: baseUrl }],
      children,
      describe: () => ({ kind: 'embedded', role: 'all', backend: 'pglite', url: baseUrl, game_time_scale: options.timeScale ?? 1 }),
      close: async () => {
        await stopChildren();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }

  const databases = new DatabaseSet(serverUrl, `sectorwars_bench_${runId}`);
  const redisUrl = process.env.REDIS_URL;
  const redis = redisUrl ? { url: redisUrl, prefix: `swbench:${runId}:` } : undefined;
  if (options.realtime && !redis) throw new Error('the realtime role needs Redis: set REDIS_URL');
  const close = async () => {
    await stopChildren();
    await databases.dropAll();
    if (redis) await deleteRedisPrefix(redis.url, redis.prefix);
  };
  try {
    // Migrate and generate into a template, then copy it: the target and any baseline get the
    // very same galaxy, byte for byte, without generating twice.
    const template = await databases.create('galaxy');
    const oneShot = {
      env: { DATABASE_URL: template.url, JWT_SECRET: jwtSecret, LOG_LEVEL: 'warn', REDIS_URL: undefined },
      logDir: options.logDir,
    };
    step('sectorwars migrate');
    await runRole('migrate', 'migrate', [], oneShot);
    step(`sectorwars generate --seed ${options.seed}`);
    await runRole('generate', 'generate', ['--seed', options.seed], oneShot);
    const target = await databases.create('target', template.name);

    const port = await freePort();
    const realtimePort = await freePort();
    const jobsPort = await freePort();
    const env = {
      JOBS_PORT: String(jobsPort),
      DATABASE_URL: target.url,
      REDIS_URL: redis?.url,
      REDIS_PREFIX: redis?.prefix,
      JWT_SECRET: jwtSecret,
      HOST: '127.0.0.1',
      PORT: String(port),
      REALTIME_HOST: '127.0.0.1',
      REALTIME_PORT: String(realtimePort),
      RATE_LIMITS: 'false',
      GAME_TIME_SCALE: String(options.timeScale ?? 1),
      LOG_LEVEL: logLevel,
      ...options.env,
    };
    // more than one api process: each its share of the pool, so the database sees the baselines' connection count
    const apiProcesses = options.apiProcesses ?? 1;
    const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? DEFAULT_DATABASE_POOL_SIZE);
    const apis: Target['apis'] = [];
    for (let i = 0; i < apiProcesses; i++) {
      const name = i === 0 ? 'api' : `api-${i + 1}`;
      step(`starting sectorwars ${name}`);
      const apiPort = i === 0 ? port : await freePort();
      const apiEnv = apiProcesses === 1 ? env : { ...env, PORT: String(apiPort), DATABASE_POOL_SIZE: String(Math.max(1, Math.round(poolSize / apiProcesses))) };
      const child = await spawnRole(name, 'api', [], { env: apiEnv, logDir: options.logDir, nodeArgs });
      children.push(child);
      apis.push({ child, url: `http://127.0.0.1:${apiPort}` });
    }
    const api = apis[0]!.child;
    const baseUrl = apis[0]!.url;
    let realtime: Child | undefined;
    if (options.realtime) {
      step('starting sectorwars realtime');
      realtime = await spawnRole('realtime', 'realtime', [], { env, logDir: options.logDir, nodeArgs });
      children.push(realtime);
    }
    let jobs: Child | undefined;
    if (options.jobs) {
      step('starting sectorwars jobs');
      jobs = await spawnRole('jobs', 'jobs', [], { env, logDir: options.logDir, nodeArgs });
      children.push(jobs);
    }
    for (const { child, url } of apis) await waitForHttp(`${url}/readyz`, child);
    if (realtime) await waitForHttp(`http://127.0.0.1:${realtimePort}/readyz`, realtime);
    if (jobs) await waitForHttp(`http://127.0.0.1:${jobsPort}/healthz`, jobs);
    let restarts = 0;
    const restartRealtime = async (whileDown?: () => Promise<void>) => {
      if (!result.realtime) throw new Error('this target has no realtime process');
      const stopping = performance.now();
      await result.realtime.stop();
      const stoppedAt = performance.now();
      await whileDown?.();
      const startedAt = performance.now();
      const next = await spawnRole(`realtime-restart-${++restarts}`, 'realtime', [], { env, logDir: options.logDir, nodeArgs });
      children.push(next);
      result.realtime = next;
      await waitForHttp(`http://127.0.0.1:${realtimePort}/readyz`, next, 60_000);
      return { stoppedAt: stoppedAt - stopping, startedAt: startedAt - stopping, readyAt: performance.now() - stopping };
    };
    const result: Target = {
      ...base,
      kind: 'postgres',
      baseUrl,
      realtimeUrl: realtime ? `ws://127.0.0.1:${realtimePort}/ws` : undefined,
      databaseUrl: target.url,
      galaxyTemplate: template.name,
      databases,
      redis,
      jwtSecret,
      api,
      apis,
      realtime,
      restartRealtime: realtime ? restartRealtime : undefined,
      children,
      describe: () => ({
        kind: 'postgres',
        roles: ['api', realtime ? 'realtime' : '', jobs ? 'jobs' : ''].filter(Boolean).join(' + '),
        backend: 'postgresql',
        bus: redis ? 'redis' : 'in-process',
        url: baseUrl,
        api_processes: apiProcesses,
        database_pool_size: poolSize,
        game_time_scale: options.timeScale ?? 1,
        seed: options.seed,
      }),
      close,
    };
    return result;
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A database holding the same kind of galaxy as the target, for a baseline: a copy of the
 * target's own template when the bench made the target, otherwise a fresh one (migrate +
 * generate with the same seed) on DATABASE_URL's server; undefined without PostgreSQL.
 */
export async function baselineDatabase(
  target: Target,
  what: string,
  seed: string,
  logDir: string,
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  if (target.databases && target.galaxyTemplate) {
    const db = await target.databases.create(what, target.galaxyTemplate);
    return { url: db.url, drop: async () => {} };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return undefined;
  const databases = new DatabaseSet(serverUrl, `sectorwars_bench_${target.runId}`);
  try {
    const db = await databases.create(what);
    const env = { DATABASE_URL: db.url, JWT_SECRET: randomBytes(36).toString('base64url'), LOG_LEVEL: 'warn', REDIS_URL: undefined };
    await runRole('migrate', 'migrate', [], { env, logDir });
    await runRole('generate', 'generate', ['--seed', seed], { env, logDir });
    return { url: db.url, drop: () => databases.dropAll() };
  } catch (err) {
    await databases.dropAll();
    throw err;
  }
}

/** Remove every key a run left under its Redis prefix (tickets, caches, presence). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch (err) {
    process.stderr.write(`bench: could not clean Redis prefix ${prefix}: ${(err as Error).message}\n`);
  } finally {
    redis.disconnect();
  }
}
