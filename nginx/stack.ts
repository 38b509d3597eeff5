import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderNginxConfig, type GatewayOptions } from './render.js';

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
}

export interface Service {
  name: string;
  port: number;
  child: ChildProcess;
}

export interface RunningStack {
  services: Map<string, Service>;
  nginxConf: string;
  baseUrl: string;
  restart(name: string): Promise<Service>;
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '..');

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

function waitForPort(child: ChildProcess, name: string, url: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = async () => {
      if (child.exitCode !== null) return reject(new Error(`${name} exited with ${child.exitCode}`));
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

export async function startStack(o: StackOptions): Promise<RunningStack> {
  mkdirSync(o.dir, { recursive: true });
  const prefix = path.join(o.dir, 'nginx');
  for (const sub of ['logs', 'tmp']) mkdirSync(path.join(prefix, sub), { recursive: true });
  const { cert, key } = ensureCertificate(o.dir);
  const secret = stackSecret(o.dir);

  const env: Record<string, string> = {
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

  // Schema and world first, once, before any replica starts.
  const setup = spawnSync(process.execPath, [path.join(ROOT, 'bin/sectorwars.js'), 'migrate'], { env, encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`migrate failed: ${setup.stderr}`);
  const world = spawnSync(process.execPath, [path.join(ROOT, 'bin/sectorwars.js'), 'generate'], { env, encoding: 'utf8' });
  if (world.status !== 0 && !/already exists/.test(world.stderr)) throw new Error(`generate failed: ${world.stderr}`);

  const specs = new Map<string, { args: string[]; port: number; health: string }>();
  for (let i = 0; i < o.apiReplicas; i++) {
    const port = o.basePort + i;
    specs.set(`api-${i + 1}`, { args: ['api'], port, health: `http://127.0.0.1:${port}/healthz` });
  }
  const realtimePort = o.basePort + 10;
  const jobsPort = o.basePort + 11;
  specs.set('realtime', { args: ['realtime'], port: realtimePort, health: `http://127.0.0.1:${realtimePort}/healthz` });
  specs.set('jobs', { args: ['jobs'], port: jobsPort, health: `http://127.0.0.1:${jobsPort}/healthz` });

  const services = new Map<string, Service>();
  const launch = async (name: string): Promise<Service> => {
    const spec = specs.get(name)!;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/sectorwars.js'), ...spec.args], {
      env: { ...env, PORT: String(spec.port), REALTIME_PORT: String(spec.port), JOBS_PORT: String(spec.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeLines(child, name, o.onLine);
    const service = { name, port: spec.port, child };
    services.set(name, service);
    await waitForPort(child, name, spec.health);
    return service;
  };
  await Promise.all([...specs.keys()].map(launch));

  const nginxConf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    nginxConf,
    renderNginxConfig({
      prefix,
      httpPort: o.httpPort,
      httpsPort: o.httpsPort,
      certificate: cert,
      certificateKey: key,
      apiServers: [...specs.entries()].filter(([n]) => n.startsWith('api-')).map(([, s]) => `127.0.0.1:${s.port}`),
      realtimeServers: [`127.0.0.1:${realtimePort}`],
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

  const kill = async (name: string, signal: NodeJS.Signals = 'SIGTERM') => {
    const service = services.get(name);
    if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
    const exited = new Promise((resolve) => service.child.once('exit', resolve));
    service.child.kill(signal);
    await exited;
  };

  return {
    services,
    nginxConf,
    baseUrl: `https://127.0.0.1:${o.httpsPort}`,
    kill,
    restart: async (name) => {
      await kill(name);
      return launch(name);
    },
    stop: async () => {
      await Promise.all([...services.keys()].map((name) => kill(name)));
    },
  };
}

function pipeLines(child: ChildProcess, name: string, onLine: StackOptions['onLine']): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) onLine?.(name, line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
}
