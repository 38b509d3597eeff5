import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startScratchPostgres, type ScratchPostgres } from '../platform/db/scratch-postgres.js';
import { gatewayPoolsFromRegistry } from './registry.js';
import { type GatewayOptions, renderNginxConfig } from './render.js';

/**
 * The production topology on one machine, without Docker: nginx (Debian's) in front of N api
 * replicas, the realtime server and the jobs process, on an existing PostgreSQL and Redis.
 * Used by operators (`sectorwars stack`) and by the gateway tests, which kill and restart parts.
 */
export interface StackOptions {
  dir: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix?: string;
  httpPort: number;
  httpsPort: number;
  apiReplicas: number;
  /** first port of the internal services (api replicas, realtime, jobs) */
  basePort: number;
  webRoot: string;
  adminRoot: string;
  extraEnv?: Record<string, string>;
  apiRate?: GatewayOptions['apiRate'];
  onLine?: (service: string, line: string) => void;
  /**
   * Multi-regional mode (2: Terran Space on the main PostgreSQL server, the Central Nexus on a
   * second one the stack starts): accounts, each region's database and processes, nginx rendered
   * from the registry. Absent or 1: the single-server topology.
   */
  regions?: number;
  /** Names the stack's databases on the main server start with (default `sw_`): sw_accounts, sw_terran. */
  databasePrefix?: string;
  /** Multi-regional mode: the galaxy plan, when the registry has none yet (default: the game's galaxy, a random seed). */
  galaxy?: { seed: string; terranSectors: number; nexusSectors: number };
  /** Port of the second PostgreSQL server (default basePort + 99, so its address in the registry holds across runs). */
  secondPostgresPort?: number;
}

export interface Service {
  name: string;
  port: number;
  child: ChildProcess;
}

export interface RunningStack {
  /** `api-1`, `realtime`, `jobs`, `nginx`; in multi-regional mode `terran/api-1`, `nexus/jobs`, … */
  services: Map<string, Service>;
  nginxConf: string;
  baseUrl: string;
  /** Multi-regional mode: each region's slug, database and public prefix, in registry order. */
  regions: StackRegion[];
  /** Multi-regional mode: the accounts (nexus) database. */
  accountsUrl?: string;
  /** Multi-regional mode: the second PostgreSQL server (pause it to take its regions' database away). */
  secondPostgres?: ScratchPostgres;
  restart(name: string): Promise<Service>;
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface StackRegion {
  slug: string;
  databaseUrl: string;
  /** `/r/<slug>`: where the gateway serves it */
  basePath: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin/sectorwars.js');

/**
 * The regions of the default galaxy and where the stack keeps each: the start region next to the
 * accounts database, the Central Nexus on a server of its own (the layout of a real deployment).
 */
const REGION_LAYOUT = [
  { slug: 'terran', server: 'main' },
  { slug: 'nexus', server: 'second' },
] as const;

export function ensureCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'certs', 'dev.crt');
  const key = path.join(dir, 'certs', 'dev.key');
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(path.dirname(cert), { recursive: true });
  // A development certificate made on the spot: keys are never committed.
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { cert, key };
}

function stackSecret(dir: string): string {
  const file = path.join(dir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function waitForPort(child: ChildProcess, name: string, url: string, lastLines: () => string[] = () => [], timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = async () => {
      if (child.exitCode !== null) return reject(new Error(`${name} exited with ${child.exitCode}:\n${lastLines().join('\n')}`));
      try {
        const res = await fetch(url);
        if (res.ok) return resolve();
      } catch {
        // not listening yet
      }
      if (Date.now() - started > timeoutMs) return reject(new Error(`${name} did not answer ${url} within ${timeoutMs} ms`));
      setTimeout(attempt, 150);
    };
    void attempt();
  });
}

interface ServiceSpec {
  args: string[];
  port: number;
  health: string;
  env: Record<string, string>;
}

/** The environment every process of the stack shares. */
function sharedEnv(o: StackOptions, secret: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    JWT_SECRET: secret,
    HOST: '127.0.0.1',
    TRUSTED_PROXIES: '127.0.0.1',
    ALLOWED_ORIGINS: `https://localhost:${o.httpsPort},https://127.0.0.1:${o.httpsPort}`,
    COOKIE_SECURE: 'true',
    ...(o.redisPrefix ? { REDIS_PREFIX: o.redisPrefix } : {}),
    ...o.extraEnv,
  };
}

/** Run `sectorwars <args>` to completion; throws with what it printed when it fails. */
function runCli(args: string[], env: Record<string, string>, tolerate?: RegExp): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0 && !tolerate?.test(result.stderr)) throw new Error(`sectorwars ${args[0]} failed: ${result.stderr}`);
  return result.stdout;
}

/** The api replicas, realtime and jobs of one region (or of the single-server stack), `basePort` on. */
function regionSpecs(o: StackOptions, basePort: number, env: Record<string, string>, region?: string): Map<string, ServiceSpec> {
  const specs = new Map<string, ServiceSpec>();
  const name = (service: string) => (region ? `${region}/${service}` : service);
  const regionArgs = region ? ['--region', region] : [];
  const spec = (role: string, port: number): ServiceSpec => ({
    args: [role, ...regionArgs],
    port,
    health: `http://127.0.0.1:${port}/healthz`,
    env: { ...env, PORT: String(port), REALTIME_PORT: String(port), JOBS_PORT: String(port) },
  });
  for (let i = 0; i < o.apiReplicas; i++) specs.set(name(`api-${i + 1}`), spec('api', basePort + i));
  specs.set(name('realtime'), spec('realtime', basePort + 10));
  specs.set(name('jobs'), spec('jobs', basePort + 11));
  return specs;
}

const serversOf = (specs: Map<string, ServiceSpec>, role: 'api' | 'realtime') =>
  [...specs.entries()].filter(([, spec]) => spec.args[0] === role).map(([, spec]) => `127.0.0.1:${spec.port}`);

/** A database on the server of `serverUrl`, created when missing. Answers its URL. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${name} is not a plain database name`);
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Topology {
  specs: Map<string, ServiceSpec>;
  /** the gateway's pools: the unprefixed ones and, in multi-regional mode, each region's */
  gateway: Pick<GatewayOptions, 'apiServers' | 'realtimeServers' | 'regions'>;
  regions: StackRegion[];
  accountsUrl?: string;
  secondPostgres?: ScratchPostgres;
}

/** Today's topology: schema and world first, once, before any replica starts. */
function singleRegion(o: StackOptions, env: Record<string, string>): Topology {
  runCli(['migrate'], env);
  runCli(['generate'], env, /already exists/);
  const specs = regionSpecs(o, o.basePort, env);
  return { specs, gateway: { apiServers: serversOf(specs, 'api'), realtimeServers: serversOf(specs, 'realtime') }, regions: [] };
}

/**
 * The multi-regional topology: accounts and the start region's database on the main server, the
 * other region on a second server of the stack's own; each region registered (the CLI migrates
 * and writes its shard) with the addresses its processes will listen on, so the gateway's routes
 * come from the registry as they would in production.
 */
async function multiRegion(o: StackOptions, env: Record<string, string>, count: number, cleanup: Array<() => Promise<void>>): Promise<Topology> {
  if (count > REGION_LAYOUT.length) throw new Error(`the stack lays out at most ${REGION_LAYOUT.length} regions (asked for ${count})`);
  const layout = REGION_LAYOUT.slice(0, count);
  const prefix = o.databasePrefix ?? 'sw_';
  const secondPostgres = layout.some((r) => r.server === 'second')
    ? await startScratchPostgres({ dir: path.join(o.dir, 'postgres-2'), port: o.secondPostgresPort ?? o.basePort + 99 })
    : undefined;
  if (secondPostgres) cleanup.push(() => secondPostgres.stop());

  const accountsUrl = await ensureDatabase(o.databaseUrl, `${prefix}accounts`);
  const redisPrefix = o.redisPrefix ?? 'sw:';
  const accountsEnv = { ...env, DATABASE_URL: accountsUrl, NEXUS_REDIS_URL: o.redisUrl, NEXUS_REDIS_PREFIX: `${redisPrefix}nexus-bus:` };
  // `region add` migrates the accounts database itself: `migrate` there would add the region
  // tables too (single-server mode keeps both sets in one database), which a nexus must not hold.
  const plan = o.galaxy ? ['--seed', o.galaxy.seed, '--sectors', String(o.galaxy.terranSectors), '--nexus', String(o.galaxy.nexusSectors)] : [];

  const specs = new Map<string, ServiceSpec>();
  const regions: StackRegion[] = [];
  for (const [i, region] of layout.entries()) {
    const server = region.server === 'main' ? o.databaseUrl : secondPostgres!.url;
    const databaseUrl = await ensureDatabase(server, `${prefix}${region.slug}`);
    const basePath = `/r/${region.slug}`;
    const regionEnv = { ...accountsEnv, REDIS_PREFIX: `${redisPrefix}${region.slug}:`, REALTIME_PUBLIC_URL: `${basePath}/ws` };
    const mine = regionSpecs(o, o.basePort + i * 20, regionEnv, region.slug);
    runCli(
      [
        'region',
        'add',
        '--slug',
        region.slug,
        '--database-url',
        databaseUrl,
        ...serversOf(mine, 'api').flatMap((a) => ['--api-url', a]),
        ...serversOf(mine, 'realtime').flatMap((a) => ['--realtime-url', a]),
        ...plan,
      ],
      accountsEnv,
    );
    for (const [name, spec] of mine) specs.set(name, spec);
    regions.push({ slug: region.slug, databaseUrl, basePath });
  }

  return {
    specs,
    gateway: await gatewayPoolsFromRegistry(accountsUrl),
    regions,
    accountsUrl,
    ...(secondPostgres ? { secondPostgres } : {}),
  };
}

export async function startStack(o: StackOptions): Promise<RunningStack> {
  mkdirSync(o.dir, { recursive: true });
  const prefix = path.join(o.dir, 'nginx');
  for (const sub of ['logs', 'tmp']) mkdirSync(path.join(prefix, sub), { recursive: true });
  const { cert, key } = ensureCertificate(o.dir);
  const env = sharedEnv(o, stackSecret(o.dir));

  const services = new Map<string, Service>();
  const kill = async (name: string, signal: NodeJS.Signals = 'SIGTERM') => {
    const service = services.get(name);
    if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
    const exited = new Promise((resolve) => service.child.once('exit', resolve));
    service.child.kill(signal);
    await exited;
  };
  // What a half-started stack leaves must not outlive it: the processes, then the second server.
  const cleanup: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.all([...services.keys()].map((name) => kill(name)));
    for (const step of cleanup.splice(0).reverse()) await step();
  };

  try {
    const topology = (o.regions ?? 1) > 1 ? await multiRegion(o, env, o.regions!, cleanup) : singleRegion(o, env);
    const launch = async (name: string): Promise<Service> => {
      const spec = topology.specs.get(name);
      if (!spec) throw new Error(`the stack runs no service named ${name}`);
      const child = spawn(process.execPath, [CLI, ...spec.args], { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lastLines = pipeLines(child, name, o.onLine);
      const service = { name, port: spec.port, child };
      services.set(name, service);
      await waitForPort(child, name, spec.health, lastLines);
      return service;
    };
    await Promise.all([...topology.specs.keys()].map(launch));

    const nginxConf = path.join(prefix, 'nginx.conf');
    writeFileSync(
      nginxConf,
      renderNginxConfig({
        prefix,
        httpPort: o.httpPort,
        httpsPort: o.httpsPort,
        certificate: cert,
        certificateKey: key,
        ...topology.gateway,
        webRoot: o.webRoot,
        adminRoot: o.adminRoot,
        logTo: 'files',
        ...(o.apiRate ? { apiRate: o.apiRate } : {}),
        ...(process.getuid?.() === 0 ? { user: 'root root' } : {}),
      }),
    );
    const test = spawnSync('nginx', ['-t', '-p', prefix, '-c', nginxConf], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
    const nginx = spawn('nginx', ['-p', prefix, '-c', nginxConf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    pipeLines(nginx, 'nginx', o.onLine);
    services.set('nginx', { name: 'nginx', port: o.httpsPort, child: nginx });
    await waitForPort(nginx, 'nginx', `http://127.0.0.1:${o.httpPort}/healthz`);

    return {
      services,
      nginxConf,
      baseUrl: `https://127.0.0.1:${o.httpsPort}`,
      regions: topology.regions,
      ...(topology.accountsUrl ? { accountsUrl: topology.accountsUrl } : {}),
      ...(topology.secondPostgres ? { secondPostgres: topology.secondPostgres } : {}),
      kill,
      restart: async (name) => {
        await kill(name);
        return launch(name);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Forward a child's output line by line; answers its last lines, for when it dies on start. */
function pipeLines(child: ChildProcess, name: string, onLine: StackOptions['onLine']): () => string[] {
  const last: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      onLine?.(name, line);
      last.push(line);
      if (last.length > 10) last.shift();
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  return () => [...last];
}
