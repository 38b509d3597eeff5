import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, newActionKey } from '../client/index.js';
import { buildGatewayImage } from '../scripts/build-gateway-image.js';
import { buyNearby, chartShard, fly, gatewayPilot, query } from './gateway-pilot.js';
import { quietPorts } from './ports.js';
import { DOCKERD_HOOK_TIMEOUT_MS, dockerdAvailable, startDockerd, type TestDockerd } from './dockerd.js';
import { testBackends, uniqueName } from './harness.js';

/**
 * compose.yaml boots for real: its `default` and `multi-regional` profiles with compose.local.yaml
 * (host network, the images built FROM scratch, the host's PostgreSQL and Redis) on a dockerd of
 * the test's own, and the multi-regional stack file deployed on a single-node Swarm. A pilot signs
 * up and trades, or crosses the gate, through the gateway container, as a browser would.
 * Scratch databases on the test server (made and dropped here), a Redis prefix of this run's own,
 * free ports.
 */
const { databaseUrl, redisUrl, redisPrefix } = testBackends();
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const insecure = new Agent({ connect: { rejectUnauthorized: false } });
const DB_PREFIX = `sw_cb${process.pid}_`;
const GALAXY = { TERRAN_SECTORS: '200', NEXUS_SECTORS: '60' };
let engine: TestDockerd;

const onServer = (database: string) => {
  const url = new URL(databaseUrl!);
  url.pathname = `/${database}`;
  return url.toString();
};

/** Fresh databases on the test server; answers their URLs by name. */
async function scratchDatabases(names: string[]): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const name of names) {
    await query(onServer('postgres'), `drop database if exists ${DB_PREFIX}${name} with (force)`);
    await query(onServer('postgres'), `create database ${DB_PREFIX}${name}`);
    urls[name] = onServer(`${DB_PREFIX}${name}`);
  }
  return urls;
}

async function dropDatabases(names: string[]): Promise<void> {
  for (const name of names) await query(onServer('postgres'), `drop database if exists ${DB_PREFIX}${name} with (force)`);
}

/** Ports nothing listens on now, each found by binding port 0 (all held until every one is picked, so they differ). */
/** What every compose and stack call gets: the engine, a secret, the files the override reads. */
function baseEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DOCKER_HOST: `unix://${engine.socket}`,
    JWT_SECRET: 'compose-boot-test-secret-0123456789abcdef',
    PRODUCTION_ENV_FILE: './deploy/production.env.example',
    SW_REDIS_URL: redisUrl!,
    SW_LOG_LEVEL: 'warn',
    ...GALAXY,
    ...vars,
  };
}

async function docker(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(command, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`.slice(-6000));
  }
}

/** `docker-compose -f compose.yaml -f compose.local.yaml --profile P` under a project name of this run's own. */
function composer(project: string, profile: string, env: NodeJS.ProcessEnv) {
  const compose = (...args: string[]) =>
    docker('docker-compose', ['-p', project, '-f', 'compose.yaml', '-f', 'compose.local.yaml', '--profile', profile, ...args], env);
  return {
    up: () => compose('up', '-d', '--no-build', '--quiet-pull'),
    logs: () => compose('logs', '--no-color', '--tail', '40').catch((err: Error) => err.message),
    down: () => compose('down', '-v', '--remove-orphans', '-t', '5'),
  };
}

/** The gateway answers and an api behind it does: an unauthenticated /auth/me is the api's 401, not nginx's 502. */
async function gatewayReady(origin: string, prefix = ''): Promise<void> {
  await expect
    .poll(
      () =>
        undiciFetch(`${origin}${prefix}/api/v1/auth/me`, { dispatcher: insecure }).then(
          (r) => r.status,
          () => 0,
        ),
      {
        timeout: 90_000,
        interval: 500,
      },
    )
    .toBe(401);
}

async function signUp(origin: string): Promise<{ api: ApiClient; sent: string[]; name: string }> {
  const { api, sent } = gatewayPilot(origin, insecure);
  const name = uniqueName('cb');
  await api.auth.register({ username: name, email: `${name}@example.test`, password: 'correct horse battery' });
  return { api, sent, name };
}

/** Sign up at the start region, fly to the gate, cross into the Central Nexus, and play there through /r/nexus. */
async function crossTheGate(origin: string, shards: { terran: string; nexus: string }): Promise<void> {
  await gatewayReady(origin);
  await gatewayReady(origin, '/r/nexus');
  // the region manager's admin API, through the gateway: its 401 (a game api has no such route: 404)
  await expect
    .poll(
      async () => {
        const res = await undiciFetch(`${origin}/api/v1/admin/regions`, { dispatcher: insecure }).catch(() => undefined);
        return res ? `${res.status} ${((await res.json().catch(() => ({}))) as { code?: string }).code}` : 'no answer';
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe('401 unauthenticated');
  const { api, sent, name } = await signUp(origin);
  expect((await api.player.state()).player.sector_id).toBe(1);
  const [gate] = await query<{ from: number; to: number }>(
    shards.terran,
    'select from_sector_id as from, to_sector_id as to from warps where gate and from_sector_id <= $1',
    [Number(GALAXY.TERRAN_SECTORS)],
  );
  await fly(api, await chartShard(shards.terran, 1, (sector) => sector === gate!.from));
  const crossed = await api.player.move(gate!.to, newActionKey());
  expect(crossed.player.sector_id).toBe(gate!.to);
  expect(api.region.current()).toMatchObject({ slug: 'nexus', base_path: '/r/nexus' });
  expect((await api.player.state()).player.sector_id).toBe(gate!.to);
  expect(sent.at(-1)).toBe('GET /r/nexus/api/v1/player/state');
  const [row] = await query<{ n: number }>(shards.nexus, 'select count(*)::int as n from players where name = $1', [name]);
  expect(row?.n).toBe(1);
  api.dispose();
}

/** The multi-regional settings of compose.local.yaml (and the stack file): databases, prefix, ports. */
async function multiRegionalVars(tag: string, dbs: Record<string, string>): Promise<{ vars: Record<string, string>; origin: string }> {
  const [http, https, tApi, tRt, tJobs, nApi, nRt, nJobs, manager, regionsBase] = await quietPorts(10);
  return {
    origin: `https://127.0.0.1:${https}`,
    vars: {
      SW_ACCOUNTS_URL: dbs.accounts!,
      SW_TERRAN_DATABASE_URL: dbs.terran!,
      SW_NEXUS_DATABASE_URL: dbs.nexus!,
      SW_POSTGRES_SERVER_URL: onServer('postgres'),
      SW_REDIS_PREFIX: `${redisPrefix}${tag}${process.pid}:`,
      SW_HTTP_PORT: String(http),
      SW_HTTPS_PORT: String(https),
      SW_TERRAN_API_PORT: String(tApi),
      SW_TERRAN_REALTIME_PORT: String(tRt),
      SW_TERRAN_JOBS_PORT: String(tJobs),
      SW_NEXUS_API_PORT: String(nApi),
      SW_NEXUS_REALTIME_PORT: String(nRt),
      SW_NEXUS_JOBS_PORT: String(nJobs),
      SW_MANAGER_PORT: String(manager),
      SW_REGIONS_PORT_BASE: String(regionsBase),
      SW_DOCKER_SOCKET: engine.socket,
    },
  };
}

describe.skipIf(!dockerdAvailable || !hasCompose || !databaseUrl || !redisUrl)('compose.yaml on a scratch dockerd', () => {
  beforeAll(async () => {
    engine = await startDockerd();
    await buildGatewayImage({ docker: engine.docker });
  }, DOCKERD_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await engine?.stop();
    await insecure.close();
  });

  it('default profile: a pilot registers and trades through the gateway', async () => {
    const [http, https, api, realtime, jobs] = await quietPorts(5);
    const dbs = await scratchDatabases(['default']);
    const env = baseEnv({
      SW_DATABASE_URL: dbs.default!,
      SW_REDIS_PREFIX: `${redisPrefix}cbd${process.pid}:`,
      SW_HTTP_PORT: String(http),
      SW_HTTPS_PORT: String(https),
      SW_API_PORT: String(api),
      SW_REALTIME_PORT: String(realtime),
      SW_JOBS_PORT: String(jobs),
    });
    const compose = composer(`swcbd${process.pid}`, 'default', env);
    try {
      await compose.up();
      const origin = `https://127.0.0.1:${https}`;
      await gatewayReady(origin);
      const pilot = await signUp(origin);
      expect((await pilot.api.player.state()).player.credits).toBeGreaterThan(0);
      await buyNearby(pilot.api, dbs.default!);
      expect(pilot.sent.at(-1)).toBe('POST /api/v1/trade/buy');
      pilot.api.dispose();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await compose.logs()}`);
    } finally {
      await compose.down();
      await dropDatabases(['default']);
    }
  }, 240_000);

  it('multi-regional profile: a pilot crosses the gate through the gateway', async () => {
    const names = ['accounts', 'terran', 'nexus'];
    const dbs = await scratchDatabases(names);
    const { vars, origin } = await multiRegionalVars('cbm', dbs);
    const compose = composer(`swcbm${process.pid}`, 'multi-regional', baseEnv(vars));
    try {
      await compose.up();
      await crossTheGate(origin, { terran: dbs.terran!, nexus: dbs.nexus! });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await compose.logs()}`);
    } finally {
      await compose.down();
      await dropDatabases(names);
    }
  }, 240_000);

  it('docker stack deploy of the multi-regional stack on a single-node swarm: a pilot crosses the gate', async () => {
    const names = ['accounts', 'terran', 'nexus'];
    const dbs = await scratchDatabases(names);
    const { vars, origin } = await multiRegionalVars('cbs', dbs);
    const env = baseEnv(vars);
    const stack = `swcbs${process.pid}`;
    await engine.docker.swarmInit({ ListenAddr: '127.0.0.1', AdvertiseAddr: '127.0.0.1' });
    try {
      await docker('docker', ['stack', 'deploy', '-c', 'deploy/stack.multi-regional.yaml', stack], env);
      await crossTheGate(origin, { terran: dbs.terran!, nexus: dbs.nexus! });
    } catch (err) {
      // what failed is in the services' own logs: the region manager's and the gateway's first
      const logs = await Promise.all(
        ['regions', 'gateway'].map((name) => docker('docker', ['service', 'logs', '--tail', '40', `${stack}_${name}`], env).catch((e: Error) => e.message)),
      );
      throw new Error(`${(err as Error).message}\n${await docker('docker', ['service', 'ls'], env).catch((e: Error) => e.message)}\n${logs.join('\n')}`);
    } finally {
      await removeStack(stack, env);
      await engine.docker.swarmLeave({ force: true });
      await dropDatabases(names);
    }
  }, 240_000);
});

/** `docker stack rm` returns before the tasks are gone: wait for the stack's last container, then drop its volumes. */
async function removeStack(stack: string, env: NodeJS.ProcessEnv): Promise<void> {
  await docker('docker', ['stack', 'rm', stack], env);
  const filters = { label: [`com.docker.stack.namespace=${stack}`] };
  await expect.poll(async () => (await engine.docker.listContainers({ all: true, filters })).length, { timeout: 60_000, interval: 500 }).toBe(0);
  for (const volume of (await engine.docker.listVolumes({ filters })).Volumes ?? []) await engine.docker.getVolume(volume.Name).remove();
}
