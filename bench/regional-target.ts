import { randomBytes } from 'node:crypto';
import { DEFAULT_GALAXY } from '../game/catalog/galaxy.js';
import { DEFAULT_DATABASE_POOL_SIZE } from '../platform/config.js';
import { type Child, freePort, spawnRole, waitForHttp } from './processes.js';
import { basePathOf } from './region-router.js';
import { createShards, type Shards } from './shards.js';
import { deleteRedisPrefix, newRunId, type Target } from './target.js';

/**
 * A two-region target the bench starts itself (issue 20), as tests/gate-handoff.test.ts does:
 * the accounts database and Terran Space on DATABASE_URL's server, the Central Nexus on a second
 * PostgreSQL server of its own (bench/shards.ts), then for each region one `sectorwars api
 * --region <slug>` and one `sectorwars jobs --region <slug>` (whose gate-sweeper finishes any
 * hand-off left half-way). The galaxy is the default one (500 + 1,000 sectors) from `seed`.
 */
export interface RegionalTarget extends Target {
  kind: 'regions';
  shards: Shards;
  /** the start region first */
  regions: Array<{ slug: 'terran' | 'nexus'; basePath: string; apiUrl: string; api: Child; jobs: Child }>;
}

export interface RegionalTargetOptions {
  logDir: string;
  profileDir?: string;
  seed: string;
  onStep?: (message: string) => void;
}

export async function openRegionalTarget(options: RegionalTargetOptions): Promise<RegionalTarget> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('a two-region target needs PostgreSQL: set DATABASE_URL (and the server binaries for the second server)');
  const step = options.onStep ?? (() => {});
  const runId = newRunId();
  const jwtSecret = randomBytes(36).toString('base64url');
  const nodeArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const redisUrl = process.env.REDIS_URL;
  const redis = redisUrl ? { url: redisUrl, prefix: `swbench:${runId}:` } : undefined;
  step('two region shards: accounts + Terran Space on DATABASE_URL, Central Nexus on a second PostgreSQL server');
  const shards = await createShards(serverUrl, { seed: options.seed, terranSectors: DEFAULT_GALAXY.terranSectors, nexusSectors: DEFAULT_GALAXY.nexusSectors });
  const children: Child[] = [];
  const close = async () => {
    for (const child of children.splice(0).reverse()) await child.stop();
    await shards.close();
    if (redis) await deleteRedisPrefix(redis.url, redis.prefix);
  };
  try {
    const regions: RegionalTarget['regions'] = [];
    for (const slug of ['terran', 'nexus'] as const) {
      const port = await freePort();
      const jobsPort = await freePort();
      const env = {
        DATABASE_URL: shards.accountsUrl,
        REGION_DATABASE_URL: undefined,
        REDIS_URL: redis?.url,
        REDIS_PREFIX: redis?.prefix,
        JWT_SECRET: jwtSecret,
        HOST: '127.0.0.1',
        PORT: String(port),
        JOBS_PORT: String(jobsPort),
        RATE_LIMITS: 'false',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      };
      step(`starting sectorwars api --region ${slug} and jobs --region ${slug}`);
      const api = await spawnRole(`api-${slug}`, 'api', ['--region', slug], { env, logDir: options.logDir, nodeArgs });
      children.push(api);
      const jobs = await spawnRole(`jobs-${slug}`, 'jobs', ['--region', slug], { env, logDir: options.logDir, nodeArgs });
      children.push(jobs);
      const apiUrl = `http://127.0.0.1:${port}`;
      await waitForHttp(`${apiUrl}/readyz`, api);
      await waitForHttp(`http://127.0.0.1:${jobsPort}/healthz`, jobs);
      regions.push({ slug, basePath: basePathOf(slug), apiUrl, api, jobs });
    }
    return {
      kind: 'regions',
      runId,
      baseUrl: regions[0]!.apiUrl,
      realtimeUrl: undefined,
      databaseUrl: undefined,
      galaxyTemplate: undefined,
      databases: undefined,
      redis,
      jwtSecret,
      api: regions[0]!.api,
      apis: regions.map((r) => ({ child: r.api, url: r.apiUrl })),
      realtime: undefined,
      children,
      shards,
      regions,
      describe: () => ({
        kind: 'regions',
        roles: regions.map((r) => `api --region ${r.slug} + jobs --region ${r.slug}`).join(', '),
        backend: 'postgresql: accounts + terran on DATABASE_URL, nexus on a second server',
        bus: redis ? 'redis' : 'in-process',
        urls: regions.map((r) => `${r.slug} ${r.apiUrl}`).join(', '),
        gate: `${shards.gate.terran} ⇄ ${shards.gate.nexus}`,
        database_pool_size: Number(process.env.DATABASE_POOL_SIZE ?? DEFAULT_DATABASE_POOL_SIZE),
        seed: options.seed,
      }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
