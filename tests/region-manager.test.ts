import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBundle } from '../handlers/auth/index.js';
import { adminRegionsBundle } from '../handlers/admin-regions/index.js';
import { type Config, loadConfig } from '../platform/config.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { createLogger } from '../platform/logger.js';
import { ContainersDriver } from '../regions/drivers/containers.js';
import type { RegionDriver } from '../regions/drivers/driver.js';
import { SwarmDriver } from '../regions/drivers/swarm.js';
import { type RegionHealth, RegionManager } from '../regions/manager.js';
import { signInAdmin, type TestAdmin } from './admin-helpers.js';
import { dockerdAvailable, startDockerd, type TestDockerd } from './dockerd.js';
import { createTestApp, TEST_SECRET, type TestApp, testBackends } from './harness.js';
import { createNexus, type Nexus, SERVER_URL, withServer } from './scratch-nexus.js';

/**
 * The region manager against a real Docker engine (issue 21), once per driver: create the nexus
 * region through the admin API → its api answers on its host port → scale to 2 → kill -9 one
 * replica's process while a steady request loop runs (fewer than 1% fail; the loop moves to the
 * other replica on a refused connection, as nginx's proxy_next_upstream does) and the count comes
 * back → a new manager adopts what runs and changes nothing → delete, keeping a dump. Needs
 * dockerd (run as root) and the run's PostgreSQL: the region's processes run in containers.
 */
const { databaseUrl: mainUrl, redisUrl } = testBackends();

describe.skipIf(!dockerdAvailable || !mainUrl)('region manager on a real dockerd', () => {
  let engine: TestDockerd;

  beforeAll(async () => {
    engine = await startDockerd();
  }, 300_000);

  afterAll(async () => {
    await engine?.stop();
  }, 60_000);

  for (const driverKind of ['containers', 'swarm'] as const) {
    describe(driverKind, () => {
      let nexus: Nexus;
      let t: TestApp;
      let admin: TestAdmin;
      let manager: RegionManager;
      let driver: RegionDriver;
      let config: Config;

      beforeAll(async () => {
        if (driverKind === 'swarm') await engine.docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
        nexus = await createNexus();
        config = loadConfig({
          DATABASE_URL: nexus.accountsUrl,
          REDIS_URL: redisUrl,
          REDIS_PREFIX: `sw-mgr-${nexus.suffix}:`,
          JWT_SECRET: TEST_SECRET,
          LOG_LEVEL: 'silent',
          RATE_LIMITS: 'false',
          DOCKER_SOCKET: engine.socket,
          REGIONS_DRIVER: driverKind,
          REGIONS_DATABASE_SERVER_URL: SERVER_URL,
          REGIONS_PORT_BASE: String(20_000 + Math.floor(Math.random() * 2_000) * 20),
          REGIONS_DATABASE_PREFIX: nexus.databasePrefix,
          REGIONS_DUMP_DIR: mkdtempSync(path.join(tmpdir(), 'sw-dumps-')),
          REGIONS_RECONCILE_EVERY: '1s',
        });
        driver = driverKind === 'swarm' ? new SwarmDriver(engine.docker) : new ContainersDriver(engine.docker);
        manager = newManager(config, nexus.handle, engine, driver);
        expect(await manager.start()).toEqual([]);
        t = await createTestApp({
          config: { DATABASE_URL: nexus.accountsUrl, REGION_DATABASE_URL: nexus.terranUrl, RATE_LIMITS: 'false' },
          // the API reaches whichever manager runs now (the test replaces it to prove adoption)
          bundles: [
            authBundle,
            adminRegionsBundle(new Proxy({} as RegionManager, { get: (_, key: keyof RegionManager) => manager[key].bind(manager) as never })),
          ],
        });
        admin = await signInAdmin(t, ['admin:read', 'admin:regions']);
      }, 120_000);

      afterAll(async () => {
        await manager?.stop();
        await t?.close();
        await nexus?.close();
        if (driverKind === 'swarm') await engine.docker.swarmLeave({ force: true });
        rmSync(config.manager.dumpDir, { recursive: true, force: true });
      }, 60_000);

      it('creates, scales, heals, is adopted by a new manager, and deletes a region', async () => {
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

        // its api answers on the port the registry names, from its own shard
        const base = config.manager.portBase;
        const registry = await nexus.handle.accounts.selectFrom('region_registry').selectAll().where('slug', '=', 'nexus').executeTakeFirstOrThrow();
        expect(registry.api_urls).toEqual([`127.0.0.1:${base}`]);
        expect(registry.realtime_urls).toEqual([`127.0.0.1:${base + 16}`]);
        const ready = await fetch(`http://127.0.0.1:${base}/readyz`);
        expect(ready.status).toBe(200);
        const health = await regionHealth(t, admin);
        expect(health.managed).toBe(true);
        expect(health.services.map((s) => [s.service, s.wanted, s.running])).toEqual([
          ['api', 1, 1],
          ['realtime', 1, 1],
          ['jobs', 1, 1],
        ]);

        // scale to 2
        const scaled = await t.call('POST', '/api/v1/admin/regions/nexus/scale', { token: admin.token, body: { api_replicas: 2, reason: 'a busy evening' } });
        expect(scaled.status).toBe(200);
        expect(scaled.body.after).toEqual({ api_replicas: 2 });
        await waitForApi(t, admin, 2);
        const urls = [`127.0.0.1:${base}`, `127.0.0.1:${base + 1}`];
        expect(
          (await nexus.handle.accounts.selectFrom('region_registry').select('api_urls').where('slug', '=', 'nexus').executeTakeFirstOrThrow()).api_urls,
        ).toEqual(urls);

        // kill -9 one replica's process while a steady loop runs
        const loop = steadyLoop(urls);
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

        // a new manager adopts what runs and changes nothing
        const running = await ids(driver);
        await manager.stop();
        manager = newManager(config, nexus.handle, engine, driver);
        expect(await manager.start()).toEqual([]);
        expect(await ids(driver)).toEqual(running);

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
        await waitFor(async () => ((await driver.status()).length === 0 ? true : undefined), 30_000).catch(() => undefined);
        expect(await driver.status()).toEqual([]);
      }, 420_000);
    });
  }
});

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

/** Four clients, each sending one request after another, round-robin over the replicas; a refused connection moves to the next. */
function steadyLoop(urls: string[]) {
  let sent = 0;
  let failed = 0;
  let running = true;
  let turn = 0;
  const once = async (): Promise<boolean> => {
    const start = turn++;
    for (let i = 0; i < urls.length; i++) {
      try {
        const res = await fetch(`http://${urls[(start + i) % urls.length]}/readyz`, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        return res.ok;
      } catch {}
    }
    return false;
  };
  const client = async () => {
    while (running) {
      sent++;
      if (!(await once())) failed++;
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
