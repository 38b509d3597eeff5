import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import type { Config } from '../platform/config.js';
import type { AccountDb } from '../platform/db/database.js';
import { Problem } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { RegionEntry } from '../platform/regional.js';
import { type Change, type Instance, type RegionDriver, SERVICES, type ServiceName, type ServiceSpec, type ServiceStatus } from './drivers/driver.js';
import { GatewaySync } from './gateway.js';
import { createRegionDatabase, databaseUrlOn, dropRegionDatabase, dumpRegionDatabase, regionDatabaseName } from './region-databases.js';
import type { WriteProgress } from './galaxy-store.js';
import { addRegion, readRegistry } from './registry.js';

/**
 * The region manager (issue 21): creates regions (their database, shard and processes), scales
 * their api, stops, starts and deletes them, and keeps what runs in line with the registry. The
 * registry on the nexus is the truth — `region_registry.state` and `region_services` (api replicas,
 * ports, the database it made) — and the engine is made to match it, by a reconcile pass on
 * start, every REGIONS_RECONCILE_EVERY, and after each change; each pass first brings the
 * gateway's routes in line (regions/gateway.ts). One change at a time.
 */
export const MAX_API_REPLICAS = 16;
/** each region's ports: api replicas from port_base, then realtime, then jobs */
const PORT_BLOCK = 20;
const PORTS = { realtime: MAX_API_REPLICAS, jobs: MAX_API_REPLICAS + 1 } as const;
const PORT_VARIABLE: Record<ServiceName, string> = { api: 'PORT', realtime: 'REALTIME_PORT', jobs: 'JOBS_PORT' };
const READY_TIMEOUT_MS = 120_000;
const KEEP_JOBS = 50;

export interface ManagerDeps {
  config: Config;
  accounts: AccountDb;
  docker: Docker;
  driver: RegionDriver;
  logger: Logger;
}

export type CreateStep = 'database' | 'shard' | 'services' | 'ready';

/** A region being created, as GET …/jobs/{id} shows it. */
export interface CreateJob {
  id: string;
  slug: string;
  state: 'running' | 'done' | 'failed';
  step: CreateStep;
  steps: Array<{ step: CreateStep; at: Date }>;
  /** the shard's galaxy as it is written, table by table (sectors, warps, ports, …) */
  progress: WriteProgress[];
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface ReplicaHealth {
  replica: number;
  address: string;
  state: string;
  running: boolean;
  restarts: number;
  ready: boolean;
  /** requests a second since the previous look at its /metrics (null on the first) */
  requests_per_second: number | null;
}

export interface RegionHealth {
  id: number;
  slug: string;
  name: string;
  state: 'active' | 'stopped';
  /** false: registered by hand (or compose) and run there; the manager only shows it */
  managed: boolean;
  api_urls: string[];
  realtime_urls: string[];
  services: Array<{ service: ServiceName; wanted: number; running: number; restarts: number; replicas: ReplicaHealth[] }>;
}

export class RegionManager {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly jobs = new Map<string, CreateJob>();
  private readonly creating = new Set<string>();
  private readonly samples = new Map<string, { at: number; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly gateway: GatewaySync;

  constructor(private readonly deps: ManagerDeps) {
    this.gateway = new GatewaySync(deps);
  }

  /** Adopt what runs (one pass now), then keep it in line. */
  async start(): Promise<Change[]> {
    const changes = await this.reconcile();
    const loop = () => {
      this.timer = setTimeout(async () => {
        await this.reconcile().catch((err) => this.deps.logger.error({ err }, 'reconcile failed'));
        if (!this.stopping) loop();
      }, this.deps.config.manager.reconcileEveryMs);
      this.timer.unref();
    };
    loop();
    return changes;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
  }

  /** One pass: every managed region's services to what the registry wants, and what runs for no managed region removed. */
  reconcile(): Promise<Change[]> {
    return this.serially(async () => {
      // the gateway first: it stops sending pilots to what is about to go before it goes (a new
      // replica it routes to early is skipped by nginx's next-upstream until it listens)
      await this.syncGateway();
      const wanted = await this.wantedSpecs();
      const changes: Change[] = [];
      for (const spec of wanted) changes.push(...(await this.deps.driver.apply(spec)));
      const managed = new Set(wanted.map((s) => s.region));
      for (const status of await this.deps.driver.status()) {
        if (!managed.has(status.region) && !this.creating.has(status.region)) changes.push(...(await this.deps.driver.remove(status.region, status.service)));
      }
      if (changes.length > 0) this.deps.logger.info({ changes }, 'reconciled');
      return changes;
    });
  }

  /** The gateway's routes to what the registry lists now; a gateway that cannot be told is logged, not fatal. */
  private async syncGateway(): Promise<void> {
    if (!this.gateway.enabled) return;
    try {
      const result = await this.gateway.sync();
      if (result.changed) this.deps.logger.info({ reloaded: result.reloaded, conf: this.deps.config.manager.gateway.conf }, 'gateway routes updated');
    } catch (err) {
      this.deps.logger.error({ err }, 'updating the gateway failed');
    }
  }

  /** Start creating a region; the job reports each step. */
  create(input: { slug: string; apiReplicas: number }): CreateJob {
    const serverUrl = this.deps.config.manager.databaseServerUrl;
    if (!serverUrl) throw new Problem('regions_unconfigured');
    if (this.creating.has(input.slug)) throw new Problem('region_busy', { detail: `${input.slug} is being created` });
    const job: CreateJob = {
      id: randomUUID(),
      slug: input.slug,
      state: 'running',
      step: 'database',
      steps: [],
      progress: [],
      error: null,
      startedAt: new Date(),
      finishedAt: null,
    };
    this.keep(job);
    this.creating.add(input.slug);
    const step = (name: CreateStep) => {
      job.step = name;
      job.steps.push({ step: name, at: new Date() });
      this.deps.logger.info({ region: input.slug, step: name, job: job.id }, 'creating region');
    };
    const work = async () => {
      step('database');
      const database = regionDatabaseName(this.deps.config.manager.databasePrefix, input.slug);
      await createRegionDatabase(serverUrl, database);
      step('shard');
      const portBase = await this.freePortBase();
      const { entry } = await addRegion(this.deps.accounts, {
        slug: input.slug,
        databaseUrl: databaseUrlOn(serverUrl, database),
        apiUrls: this.apiUrls(portBase, input.apiReplicas),
        realtimeUrls: [this.address(portBase + PORTS.realtime)],
        onProgress: (p) => {
          const at = job.progress.findIndex((q) => q.table === p.table);
          if (at === -1) job.progress.push(p);
          else job.progress[at] = p;
        },
      });
      step('services');
      await this.deps.accounts
        .insertInto('region_services')
        .values({ region_id: entry.id, api_replicas: input.apiReplicas, port_base: portBase, database_name: database })
        .execute();
      await this.reconcile();
      await this.waitReady(entry.slug);
      step('ready');
    };
    work().then(
      () => {
        job.state = 'done';
        job.finishedAt = new Date();
        this.creating.delete(input.slug);
      },
      (err: Error) => {
        job.state = 'failed';
        job.error = err.message;
        job.finishedAt = new Date();
        this.creating.delete(input.slug);
        this.deps.logger.error({ err, region: input.slug }, 'creating a region failed');
      },
    );
    return job;
  }

  job(id: string): CreateJob | undefined {
    return this.jobs.get(id);
  }

  /** A region may be created only if no region has that slug yet (the galaxy plan must name it: addRegion checks). */
  async assertNew(slug: string): Promise<void> {
    const row = await this.deps.accounts.selectFrom('region_registry').select('id').where('slug', '=', slug).executeTakeFirst();
    if (row || this.creating.has(slug)) throw new Problem('slug_taken', { detail: `There is a region ${slug} already` });
  }

  async scale(slug: string, apiReplicas: number): Promise<{ before: number; after: number; changes: Change[] }> {
    const { entry, services } = await this.managed(slug);
    await this.deps.accounts
      .updateTable('region_services')
      .set({ api_replicas: apiReplicas, updated_at: new Date() })
      .where('region_id', '=', entry.id)
      .execute();
    await this.deps.accounts
      .updateTable('region_registry')
      .set({ api_urls: this.apiUrls(services.port_base, apiReplicas) })
      .where('id', '=', entry.id)
      .execute();
    return { before: services.api_replicas, after: apiReplicas, changes: await this.reconcile() };
  }

  async setState(slug: string, state: 'active' | 'stopped'): Promise<{ before: string; after: string; changes: Change[] }> {
    const { entry } = await this.managed(slug);
    await this.deps.accounts.updateTable('region_registry').set({ state }).where('id', '=', entry.id).execute();
    return { before: entry.state, after: state, changes: await this.reconcile() };
  }

  /** Remove its processes, keep a final dump of its database (unless told not to), drop it, and take it off the registry. */
  async remove(slug: string, options: { keepDump: boolean }): Promise<{ dump: string | null; changes: Change[] }> {
    const { entry, services } = await this.managed(slug);
    return this.serially(async () => {
      // stopped first: a reconcile pass that reads the registry before the row is gone must not start it again,
      // and the gateway stops sending its pilots there before its processes go
      await this.deps.accounts.updateTable('region_registry').set({ state: 'stopped' }).where('id', '=', entry.id).execute();
      await this.syncGateway();
      const changes = await this.deps.driver.remove(slug);
      const serverUrl = this.deps.config.manager.databaseServerUrl;
      let dump: string | null = null;
      if (services.database_name && serverUrl) {
        if (options.keepDump) dump = await dumpRegionDatabase(serverUrl, services.database_name, this.deps.config.manager.dumpDir, new Date());
        await dropRegionDatabase(serverUrl, services.database_name);
      }
      await this.deps.accounts.deleteFrom('region_registry').where('id', '=', entry.id).execute();
      return { dump, changes };
    });
  }

  /** Every region in the registry, with what runs for it and how it is doing. */
  async list(): Promise<RegionHealth[]> {
    const [entries, rows, statuses] = await Promise.all([
      readRegistry(this.deps.accounts),
      this.deps.accounts.selectFrom('region_services').selectAll().execute(),
      this.deps.driver.status(),
    ]);
    const byRegion = new Map(rows.map((r) => [r.region_id, r]));
    return Promise.all(
      entries.map(async (entry) => {
        const services = byRegion.get(entry.id);
        return {
          id: entry.id,
          slug: entry.slug,
          name: entry.name,
          state: entry.state,
          managed: services !== undefined,
          api_urls: entry.apiUrls,
          realtime_urls: entry.realtimeUrls,
          services: services ? await Promise.all(SERVICES.map((service) => this.serviceHealth(entry, service, services.api_replicas, statuses))) : [],
        };
      }),
    );
  }

  private async serviceHealth(entry: RegionEntry, service: ServiceName, apiReplicas: number, statuses: ServiceStatus[]) {
    const status = statuses.find((s) => s.region === entry.slug && s.service === service);
    const instances = status?.instances ?? [];
    const replicas = await Promise.all(instances.map((instance) => this.replicaHealth(service, instance)));
    const wanted = entry.state === 'stopped' ? 0 : service === 'api' ? apiReplicas : 1;
    return {
      service,
      wanted,
      running: instances.filter((i) => i.running).length,
      restarts: instances.reduce((sum, i) => sum + i.restarts, 0),
      replicas,
    };
  }

  private async replicaHealth(service: ServiceName, instance: Instance): Promise<ReplicaHealth> {
    const address = this.address(instance.port);
    const ready = instance.running && (await fetchOk(`http://${address}/readyz`));
    // realtime publishes no request counter; the api and jobs servers do (jobs: its health checks only)
    const rate = instance.running && service === 'api' ? await this.requestRate(address) : null;
    return {
      replica: instance.replica,
      address,
      state: instance.state,
      running: instance.running,
      restarts: instance.restarts,
      ready,
      requests_per_second: rate,
    };
  }

  private async requestRate(address: string): Promise<number | null> {
    const count = await requestCount(address);
    if (count === undefined) return null;
    const now = Date.now();
    const before = this.samples.get(address);
    this.samples.set(address, { at: now, count });
    if (!before || count < before.count || now === before.at) return null;
    return Math.round(((count - before.count) / ((now - before.at) / 1000)) * 100) / 100;
  }

  /** The specs for every managed region, from the registry. */
  private async wantedSpecs(): Promise<ServiceSpec[]> {
    const rows = await this.deps.accounts
      .selectFrom('region_services')
      .innerJoin('region_registry', 'region_registry.id', 'region_services.region_id')
      .select(['region_registry.slug', 'region_registry.state', 'region_services.api_replicas', 'region_services.port_base'])
      .orderBy('region_registry.id')
      .execute();
    if (rows.length === 0) return [];
    const image = (await this.deps.docker.getImage(this.deps.config.manager.image).inspect()).Id;
    return rows.flatMap((row) =>
      SERVICES.map((service) => {
        const replicas = row.state === 'stopped' ? 0 : service === 'api' ? row.api_replicas : 1;
        const ports = service === 'api' ? range(MAX_API_REPLICAS).map((i) => row.port_base + i) : [row.port_base + PORTS[service]];
        return {
          region: row.slug,
          service,
          image,
          args: [service, '--region', row.slug],
          env: this.env(row.slug),
          replicas,
          ports,
          portVariable: PORT_VARIABLE[service],
        };
      }),
    );
  }

  /** What a region's processes run with: the nexus (accounts database, nexus bus), their own bus prefix, the shared secret. */
  private env(slug: string): Record<string, string> {
    const { config } = this.deps;
    const host = config.manager.serviceHost;
    return {
      ...config.manager.forwarded,
      DATABASE_URL: config.databaseUrl!,
      JWT_SECRET: config.jwt.secret,
      HOST: host,
      REALTIME_HOST: host,
      REALTIME_PUBLIC_URL: `/r/${slug}/ws`,
      ...(config.redisUrl ? { REDIS_URL: config.redisUrl, REDIS_PREFIX: `${config.redisPrefix}${slug}:` } : {}),
      ...(config.regions.nexusRedisUrl ? { NEXUS_REDIS_URL: config.regions.nexusRedisUrl, NEXUS_REDIS_PREFIX: config.regions.nexusRedisPrefix } : {}),
    };
  }

  private async managed(slug: string) {
    if (this.creating.has(slug)) throw new Problem('region_busy', { detail: `${slug} is being created` });
    const entry = (await readRegistry(this.deps.accounts)).find((e) => e.slug === slug);
    if (!entry) throw new Problem('region_not_found', { detail: `No region ${slug}` });
    const services = await this.deps.accounts.selectFrom('region_services').selectAll().where('region_id', '=', entry.id).executeTakeFirst();
    if (!services) throw new Problem('region_not_managed', { detail: `${slug} is not run by the region manager` });
    return { entry, services };
  }

  private async freePortBase(): Promise<number> {
    const row = await this.deps.accounts
      .selectFrom('region_services')
      .select((eb) => eb.fn.max('port_base').as('top'))
      .executeTakeFirst();
    return row?.top ? Number(row.top) + PORT_BLOCK : this.deps.config.manager.portBase;
  }

  private apiUrls(portBase: number, replicas: number): string[] {
    return range(replicas).map((i) => this.address(portBase + i));
  }

  private address(port: number): string {
    return `${this.deps.config.manager.serviceHost}:${port}`;
  }

  /** Until every api replica of the region answers /readyz. */
  private async waitReady(slug: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const region = (await this.list()).find((r) => r.slug === slug);
      const api = region?.services.find((s) => s.service === 'api');
      if (api && api.replicas.length === api.wanted && api.replicas.every((r) => r.ready)) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`the api of ${slug} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private keep(job: CreateJob): void {
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= KEEP_JOBS) break;
      this.jobs.delete(id);
    }
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

async function fetchOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** The sum of sectorwars_http_requests_total on a replica's /metrics. */
async function requestCount(address: string): Promise<number | undefined> {
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(1_000) });
    if (!res.ok) return undefined;
    let total = 0;
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('sectorwars_http_requests_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  } catch {
    return undefined;
  }
}
