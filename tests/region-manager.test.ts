import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, newActionKey } from '../client/index.js';
import { authBundle } from '../handlers/auth/index.js';
import { adminRegionsBundle } from '../handlers/admin-regions/index.js';
import { ensureCertificate } from '../nginx/stack.js';
import { type Config, loadConfig } from '../platform/config.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { createLogger } from '../platform/logger.js';
import { ContainersDriver } from '../regions/drivers/containers.js';
import type { RegionDriver } from '../regions/drivers/driver.js';
import { SwarmDriver } from '../regions/drivers/swarm.js';
import { type RegionHealth, RegionManager } from '../regions/manager.js';
import { databaseUrlOn } from '../regions/region-databases.js';
import { signInAdmin, type TestAdmin } from './admin-helpers.js';
import { DOCKERD_HOOK_TIMEOUT_MS, dockerdAvailable, startDockerd, type TestDockerd } from './dockerd.js';
import { createTestApp, TEST_SECRET, type TestApp, testBackends, uniqueName } from './harness.js';
import { buyNearby, chartShard, fly, type Good, gatewayPilot, query } from './gateway-pilot.js';
import { quietPortBlock, quietPorts } from './ports.js';
import { createNexus, type Nexus, SERVER_URL, withServer } from './scratch-nexus.js';
import { type RunningRole, spawnRole } from './spawn-role.js';

/**
 * The region manager against a real Docker engine (issue 21), once per driver, behind real nginx
 * whose config the manager renders and reloads: create the Central Nexus through the admin API →
 * its api answers through the gateway → a pilot who signed up in Terran Space (its api and
 * realtime run on this host) flies to the gate, crosses into the nexus and trades there → scale
 * to 2 → kill -9 one replica's process while a steady loop plays through the gateway (fewer than
 * 1% fail) and the count comes back → a new manager adopts what runs and changes nothing, the
 * gateway's config included → scale down to 1, stop (the gateway answers region_unavailable),
 * start again → delete, keeping a dump. Needs dockerd (run as root), nginx and the run's
 * PostgreSQL and Redis: the region's processes run in containers on the host network.
 */
const { databaseUrl: mainUrl, redisUrl } = testBackends();
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

describe.skipIf(!dockerdAvailable || !mainUrl || !redisUrl || !hasNginx)('region manager on a real dockerd, behind nginx', () => {
  let engine: TestDockerd;

  beforeAll(async () => {
    engine = await startDockerd();
  }, DOCKERD_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await engine?.stop();
    await insecure.close();
  }, 60_000);

  for (const driverKind of ['containers', 'swarm'] as const) {
    describe(driverKind, () => {
      let nexus: Nexus;
      let t: TestApp;
      let admin: TestAdmin;
      let manager: RegionManager;
      let driver: RegionDriver;
      let config: Config;
      let gateway: Gateway;
      const terran: RunningRole[] = [];

      beforeAll(async () => {
        if (driverKind === 'swarm') await engine.docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
        nexus = await createNexus();
        const prefix = `sw-mgr-${nexus.suffix}:`;
        const [httpPort, httpsPort] = await quietPorts(2);
        const origin = `https://127.0.0.1:${httpsPort}`;
        // Terran Space runs on this host, outside the manager (registered, shown, never touched).
        const shared = { DATABASE_URL: nexus.accountsUrl, JWT_SECRET: TEST_SECRET, RATE_LIMITS: 'false', ALLOWED_ORIGINS: origin };
        const regional = {
          ...shared,
          REGION: 'terran',
          REDIS_URL: redisUrl,
          REDIS_PREFIX: `${prefix}terran:`,
          NEXUS_REDIS_URL: redisUrl,
          NEXUS_REDIS_PREFIX: prefix,
        };
        terran.push(await spawnRole('api', regional), await spawnRole('realtime', regional));
        await nexus.handle.accounts
          .updateTable('region_registry')
          .set({ api_urls: [`127.0.0.1:${terran[0]!.port}`], realtime_urls: [`127.0.0.1:${terran[1]!.port}`] })
          .where('slug', '=', 'terran')
          .execute();
        gateway = prepareGateway(httpPort!, httpsPort!);
        config = loadConfig({
          ...shared,
          REDIS_URL: redisUrl,
          REDIS_PREFIX: prefix,
          LOG_LEVEL: 'silent',
          DOCKER_SOCKET: engine.socket,
          REGIONS_DRIVER: driverKind,
          REGIONS_DATABASE_SERVER_URL: SERVER_URL,
          REGIONS_DATABASE_PREFIX: nexus.databasePrefix,
          REGIONS_PORT_BASE: String(await quietPortBlock(20)),
          REGIONS_DUMP_DIR: mkdtempSync(path.join(tmpdir(), 'sw-dumps-')),
          REGIONS_RECONCILE_EVERY: '1s',
          REGIONS_GATEWAY_CONF: gateway.conf,
          REGIONS_GATEWAY_PIDFILE: gateway.pidfile,
          REGIONS_GATEWAY_OPTIONS: JSON.stringify(gateway.options),
        });
        driver = driverKind === 'swarm' ? new SwarmDriver(engine.docker) : new ContainersDriver(engine.docker);
        manager = newManager(config, nexus.handle, engine, driver);
        // nothing of the nexus runs yet; the gateway's first config (Terran Space alone) is written
        expect(await manager.start()).toEqual([]);
        await gateway.start();
        t = await createTestApp({
          config: { DATABASE_URL: nexus.accountsUrl, REGION_DATABASE_URL: nexus.terranUrl, RATE_LIMITS: 'false' },
          // the API reaches whichever manager runs now (the test replaces it to prove adoption)
          bundles: [
            authBundle,
            adminRegionsBundle(new Proxy({} as RegionManager, { get: (_, key: keyof RegionManager) => manager[key].bind(manager) as never })),
          ],
        });
        admin = await signInAdmin(t, ['admin:read', 'admin:regions']);
      }, 180_000);

      afterAll(async () => {
        await manager?.stop();
        await gateway?.stop();
        await Promise.all(terran.splice(0).map((role) => role.stop()));
        await t?.close();
        await nexus?.close();
        if (driverKind === 'swarm') await engine.docker.swarmLeave({ force: true });
        if (config) rmSync(config.manager.dumpDir, { recursive: true, force: true });
      }, 90_000);

      it('creates a region the gateway routes to, where a pilot crosses and trades; scales, heals, is adopted, scales down, stops, starts and deletes it', async () => {
        // the gateway has no Central Nexus yet: its prefix answers region_unavailable
        expect(await gateway.status('/r/nexus/api/v1/auth/me')).toEqual({ status: 503, code: 'region_unavailable' });

        // create, with its steps reported
        const created = await t.call('POST', '/api/v1/admin/regions', { token: admin.token, body: { slug: 'nexus', reason: 'open the central nexus' } });
        expect(created.status).toBe(202);
        expect(created.body.audit.action).toBe('regions.create');
        const job = await waitFor(async () => {
          const res = await t.call('GET', `/api/v1/admin/regions/${created.body.job.slug}/jobs/${created.body.job.id}`, { token: admin.token });
          return res.body.state !== 'running' ? res.body : undefined;
        }, 180_000);
        expect(job.error).toBeNull();
        expect(job.state).toBe('done');
        expect(job.steps.map((s: { step: string }) => s.step)).toEqual(['database', 'shard', 'services', 'ready']);
        // the shard's cut of the galaxy plan (30 sectors of the Central Nexus), as it was written
        expect(job.progress.find((p: { table: string }) => p.table === 'sectors')).toEqual({ table: 'sectors', written: 30, total: 30 });

        // its api answers on the ports the registry names, from its own shard, and through the gateway
        const base = config.manager.portBase;
        const registry = await nexus.handle.accounts.selectFrom('region_registry').selectAll().where('slug', '=', 'nexus').executeTakeFirstOrThrow();
        expect(registry.api_urls).toEqual([`127.0.0.1:${base}`]);
        expect(registry.realtime_urls).toEqual([`127.0.0.1:${base + 16}`]);
        expect((await fetch(`http://127.0.0.1:${base}/readyz`)).status).toBe(200);
        const conf = readFileSync(gateway.conf, 'utf8');
        expect(conf).toContain(`upstream api_r_nexus {\n    server 127.0.0.1:${base} max_fails=1 fail_timeout=5s;`);
        await waitForGateway(gateway, '/r/nexus/api/v1/auth/me', { status: 401, code: 'unauthenticated' });
        const health = await regionHealth(t, admin);
        expect(health.managed).toBe(true);
        expect(health.services.map((s) => [s.service, s.wanted, s.running])).toEqual([
          ['api', 1, 1],
          ['realtime', 1, 1],
          ['jobs', 1, 1],
        ]);

        // a pilot of Terran Space crosses the gate into it and trades there, all through the gateway
        const pilot = await crossAndTrade(gateway, nexus);

        // scale to 2
        const scaled = await t.call('POST', '/api/v1/admin/regions/nexus/scale', { token: admin.token, body: { api_replicas: 2, reason: 'a busy evening' } });
        expect(scaled.status).toBe(200);
        expect(scaled.body.after).toEqual({ api_replicas: 2 });
        await waitForApi(t, admin, 2);
        const urls = [`127.0.0.1:${base}`, `127.0.0.1:${base + 1}`];
        expect(
          (await nexus.handle.accounts.selectFrom('region_registry').select('api_urls').where('slug', '=', 'nexus').executeTakeFirstOrThrow()).api_urls,
        ).toEqual(urls);
        await waitFor(async () => (readFileSync(gateway.conf, 'utf8').includes(`server 127.0.0.1:${base + 1} `) ? true : undefined), 10_000);

        // kill -9 one replica's process while the pilot keeps playing through the gateway
        const loop = steadyLoop(gateway, pilot);
        await sleep(1_500);
        const victim = (await regionHealth(t, admin)).services.find((s) => s.service === 'api')!.replicas[1]!;
        const restartsBefore = victim.restarts;
        const pid = await processOf(engine, driverKind, base + 1);
        process.kill(pid, 'SIGKILL');
        const restored = await waitFor(async () => {
          const api = (await regionHealth(t, admin)).services.find((s) => s.service === 'api')!;
          const second = api.replicas.find((r) => r.replica === 1);
          return api.running === 2 && api.replicas.every((r) => r.ready) && second && second.restarts > restartsBefore ? api : undefined;
        }, 90_000);
        expect(restored.running).toBe(2);
        await sleep(1_500);
        const { sent, failed } = await loop.stop();
        expect(sent).toBeGreaterThan(200);
        expect(failed / sent).toBeLessThan(0.01);

        // a new manager adopts what runs and changes nothing: no process, no gateway reload
        const running = await ids(driver);
        const rendered = readFileSync(gateway.conf, 'utf8');
        await manager.stop();
        manager = newManager(config, nexus.handle, engine, driver);
        expect(await manager.start()).toEqual([]);
        expect(await ids(driver)).toEqual(running);
        expect(readFileSync(gateway.conf, 'utf8')).toBe(rendered);

        // scale down to 1: the second replica goes, from the engine, the registry and the gateway
        const down = await t.call('POST', '/api/v1/admin/regions/nexus/scale', { token: admin.token, body: { api_replicas: 1, reason: 'quiet again' } });
        expect(down.status).toBe(200);
        expect(down.body.before).toEqual({ api_replicas: 2 });
        await waitForApi(t, admin, 1);
        expect(readFileSync(gateway.conf, 'utf8')).not.toContain(`server 127.0.0.1:${base + 1} `);
        expect((await pilot.api.player.state()).player.sector_id).toBeGreaterThan(0);

        // stop (TOTP): nothing of it runs, and the gateway says so with the API's code
        const stopped = await t.call('POST', '/api/v1/admin/regions/nexus/stop', {
          token: admin.token,
          headers: { 'x-totp-code': await admin.code() },
          body: { reason: 'maintenance' },
        });
        expect(stopped.status).toBe(200);
        expect(stopped.body.audit.action).toBe('regions.stop');
        await waitFor(async () => {
          const region = await regionHealth(t, admin);
          return region.state === 'stopped' && region.services.every((s) => s.wanted === 0 && s.running === 0) ? true : undefined;
        }, 60_000);
        // nginx reloads on the manager's SIGHUP: its new workers answer for the stopped region
        await waitForGateway(gateway, '/r/nexus/api/v1/player/state', { status: 503, code: 'region_unavailable' }, await pilot.api.session.accessToken());

        // start: it serves its pilot again
        const restarted = await t.call('POST', '/api/v1/admin/regions/nexus/start', { token: admin.token, body: { reason: 'maintenance done' } });
        expect(restarted.status).toBe(200);
        await waitForApi(t, admin, 1);
        await waitForGateway(gateway, '/r/nexus/api/v1/player/state', { status: 200 }, await pilot.api.session.accessToken());
        expect((await pilot.api.player.state()).ship.cargo[pilot.bought]).toBeGreaterThan(0);
        pilot.api.dispose();

        // delete asks for TOTP, and keeps a dump
        const refused = await t.call('POST', '/api/v1/admin/regions/nexus/delete', { token: admin.token, body: { reason: 'close the nexus' } });
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('totp_required');
        const deleted = await t.call('POST', '/api/v1/admin/regions/nexus/delete', {
          token: admin.token,
          headers: { 'x-totp-code': await admin.code() },
          body: { reason: 'close the nexus' },
        });
        expect(deleted.status).toBe(200);
        expect(deleted.body.audit.action).toBe('regions.delete');
        expect(existsSync(deleted.body.dump)).toBe(true);
        expect(readFileSync(deleted.body.dump, 'utf8')).toContain('CREATE TABLE public.sectors');
        expect(await nexus.handle.accounts.selectFrom('region_registry').select('slug').execute()).toEqual([{ slug: 'terran' }]);
        expect(await databaseExists(`${nexus.databasePrefix}nexus`)).toBe(false);
        await waitForGateway(gateway, '/r/nexus/api/v1/auth/me', { status: 503, code: 'region_unavailable' });
        await waitFor(async () => ((await driver.status()).length === 0 ? true : undefined), 30_000).catch(() => undefined);
        expect(await driver.status()).toEqual([]);
      }, 600_000);
    });
  }
});

/** Until a request through the gateway gets this answer (nginx applies a reload within moments); the last answer after 15 s. */
async function waitForGateway(gateway: Gateway, route: string, expected: { status: number; code?: string }, token?: string | null): Promise<void> {
  let last: unknown;
  await waitFor(async () => {
    last = await gateway.status(route, token);
    return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
  }, 15_000).catch(() => undefined);
  expect(last).toEqual(expected);
}

function newManager(config: Config, handle: DatabaseHandle, engine: TestDockerd, driver: RegionDriver): RegionManager {
  return new RegionManager({ config, accounts: handle.accounts, docker: engine.docker, driver, logger: createLogger({ logLevel: 'silent' }, 'regions') });
}

async function regionHealth(t: TestApp, admin: TestAdmin): Promise<RegionHealth> {
  const res = await t.call('GET', '/api/v1/admin/regions', { token: admin.token });
  expect(res.status).toBe(200);
  return res.body.regions.find((r: RegionHealth) => r.slug === 'nexus');
}

async function waitForApi(t: TestApp, admin: TestAdmin, replicas: number): Promise<void> {
  await waitFor(async () => {
    const api = (await regionHealth(t, admin)).services.find((s) => s.service === 'api')!;
    return api.wanted === replicas && api.running === replicas && api.replicas.every((r) => r.ready) ? true : undefined;
  }, 90_000);
}

/** The host pid of the process serving a port: the replica's container's init process. */
async function processOf(engine: TestDockerd, driverKind: 'containers' | 'swarm', port: number): Promise<number> {
  const all = await engine.docker.listContainers({ filters: { status: ['running'] } });
  for (const info of all) {
    const inspected = await engine.docker.getContainer(info.Id).inspect();
    const env = inspected.Config.Env ?? [];
    const slot = Number(env.find((e) => e.startsWith('REPLICA_SLOT='))?.split('=')[1] ?? 1);
    const portEnv = Number(env.find((e) => e.startsWith('PORT='))?.split('=')[1]);
    const isApi = inspected.Config.Labels?.['sectorwars.service'] === 'api';
    const listens = driverKind === 'swarm' ? portEnv + slot - 1 : portEnv;
    if (isApi && listens === port) return inspected.State.Pid;
  }
  throw new Error(`no running api container on port ${port}`);
}

/** What runs, by id: a manager that adopts changes none of it. */
async function ids(driver: RegionDriver): Promise<string[]> {
  return (await driver.status()).flatMap((s) => s.instances.map((i) => `${s.service}/${i.replica}/${i.id}`)).sort();
}

/** A steady loop of play through the gateway: four clients asking for the pilot's state in the nexus, one request after another. */
function steadyLoop(gateway: Gateway, pilot: Pilot) {
  let sent = 0;
  let failed = 0;
  let running = true;
  const client = async () => {
    while (running) {
      sent++;
      const { status } = await gateway.status('/r/nexus/api/v1/player/state', await pilot.api.session.accessToken()).catch(() => ({ status: 0 }));
      if (status !== 200) failed++;
      await sleep(10);
    }
  };
  const clients = Array.from({ length: 4 }, client);
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return { sent, failed };
    },
  };
}

/** nginx on this host, on the config the manager renders into `conf` and reloads by the pid file. */
interface Gateway {
  conf: string;
  pidfile: string;
  /** REGIONS_GATEWAY_OPTIONS: this host's listeners, certificate, SPA roots and folders */
  options: Record<string, unknown>;
  origin: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A request through the gateway: its status and problem code. */
  status(path: string, token?: string | null): Promise<{ status: number; code?: string }>;
}

function prepareGateway(httpPort: number, httpsPort: number): Gateway {
  const dir = mkdtempSync(path.join(tmpdir(), 'sw-mgr-gw-'));
  const prefix = path.join(dir, 'nginx');
  for (const sub of ['logs', 'tmp']) mkdirSync(path.join(prefix, sub), { recursive: true });
  const { cert, key } = ensureCertificate(dir);
  let nginx: ChildProcess | undefined;
  const gateway: Gateway = {
    conf: path.join(prefix, 'nginx.conf'),
    pidfile: path.join(prefix, 'nginx.pid'),
    options: {
      prefix,
      httpPort,
      httpsPort,
      certificate: cert,
      certificateKey: key,
      webRoot: path.resolve('web/dist'),
      adminRoot: path.resolve('admin/dist'),
      logTo: 'files',
      ...(process.getuid?.() === 0 ? { user: 'root root' } : {}),
    },
    origin: `https://127.0.0.1:${httpsPort}`,
    async start() {
      nginx = spawn('nginx', ['-p', prefix, '-c', gateway.conf, '-g', 'daemon off;'], { stdio: 'ignore' });
      await waitFor(async () => ((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).ok ? true : undefined), 15_000);
    },
    async stop() {
      if (!nginx || nginx.exitCode !== null) return;
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
    async status(route, token) {
      const res = await undiciFetch(`${gateway.origin}${route}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        dispatcher: insecure,
        signal: AbortSignal.timeout(5_000),
      });
      const text = await res.text();
      const code = res.headers.get('content-type')?.includes('problem+json') ? (JSON.parse(text) as { code: string }).code : undefined;
      return { status: res.status, ...(code ? { code } : {}) };
    },
  };
  return gateway;
}

interface Pilot {
  api: ApiClient;
  /** the good bought in the nexus, aboard since */
  bought: Good;
}

/**
 * A pilot signs up through the gateway (in Terran Space, the start region), flies to the gate,
 * crosses into the Central Nexus — the client follows to /r/nexus/ — and buys at its nearest port.
 */
async function crossAndTrade(gateway: Gateway, nexus: Nexus): Promise<Pilot> {
  const { api, sent } = gatewayPilot(gateway.origin, insecure);
  const name = uniqueName('mgr');
  await api.auth.register({ username: name, email: `${name}@example.test`, password: 'correct horse battery' });
  expect((await api.player.state()).player.sector_id).toBe(1);
  const [gate] = await query<{ from: number; to: number }>(nexus.terranUrl, 'select from_sector_id as from, to_sector_id as to from warps where gate limit 1');
  await fly(api, await chartShard(nexus.terranUrl, 1, (sector) => sector === gate!.from));
  const crossed = await api.player.move(gate!.to, newActionKey());
  expect(crossed.player.sector_id).toBe(gate!.to);
  expect(api.region.current()).toMatchObject({ slug: 'nexus', base_path: '/r/nexus' });
  const bought = await buyNearby(api, databaseUrlOn(SERVER_URL, `${nexus.databasePrefix}nexus`));
  expect(sent.at(-1)).toBe('POST /r/nexus/api/v1/trade/buy');
  return { api, bought };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function databaseExists(name: string): Promise<boolean> {
  return withServer(async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}
