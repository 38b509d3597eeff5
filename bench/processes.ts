import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECTORWARS = path.join(REPO_ROOT, 'bin', 'sectorwars.js');

/** A child process the bench started; its output goes to a log file, never through the bench. */
export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  logDir: string;
  /** node flags, e.g. --cpu-prof */
  nodeArgs?: string[];
}

/** `sectorwars <role> ...args` as its own process. */
export function spawnRole(name: string, role: string, args: string[], options: SpawnOptions): Promise<Child> {
  return spawnNode(name, [SECTORWARS, role, ...args], options);
}

/** A TypeScript file of the bench (a baseline server) as its own process, through tsx. */
export function spawnScript(name: string, file: string, args: string[], options: SpawnOptions): Promise<Child> {
  return spawnNode(name, ['--import', 'tsx', file, ...args], options);
}

async function spawnNode(name: string, argv: string[], options: SpawnOptions): Promise<Child> {
  await mkdir(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${name}.log`);
  // The child writes straight to the file: piping its logs through the bench would cost the
  // load generator CPU on a machine where every core counts.
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...argv], {
    cwd: REPO_ROOT,
    env: cleanEnv(options.env),
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${process.execPath}`);
  return {
    name,
    process: child,
    pid,
    logFile,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The parent's environment with overrides; undefined removes a variable. */
function cleanEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Run a one-shot role (migrate, generate) to completion; throws with its log's tail on failure. */
export async function runRole(name: string, role: string, args: string[], options: SpawnOptions): Promise<void> {
  const child = await spawnRole(name, role, args, options);
  const code = await child.exited;
  if (code !== 0) throw new Error(`sectorwars ${role} exited with ${code}:\n${tail(child.logFile)}`);
}

/** Poll `url` until it answers 2xx; fail early if the process dies first. */
export async function waitForHttp(url: string, child: Child | undefined, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  child?.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${child!.name} exited before it was ready:\n${tail(child!.logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not become ready in ${timeoutMs / 1000} s${child ? `:\n${tail(child.logFile)}` : ''}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** A process's command name and CPU seconds (user + system) so far, from its /proc/<pid>/stat text. */
function parseStat(stat: string): { comm: string; cpuSeconds: number } {
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where unreadable. */
export function processCpuSeconds(pid: number): number | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuSeconds;
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes, from /proc; null where unreadable. */
export function processRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat; null where unreadable. */
function machineBusySeconds(): number | null {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(0, 8).map(Number) as number[];
    return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by every process whose command name is one of `names` (PostgreSQL's
 * backends are `postgres`, Redis is `redis-server`), by name: the servers the bench did not start.
 * A process that exits between two readings takes its seconds with it, so a reading is taken while
 * the load still runs.
 */
function namedCpuSeconds(names: readonly string[]): Map<string, Map<number, number>> {
  const byName = new Map(names.map((n) => [n, new Map<number, number>()]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm, cpuSeconds } = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      byName.get(comm)?.set(Number(entry), cpuSeconds);
    } catch {
      // gone while listing
    }
  }
  return byName;
}

/** The servers on this machine the bench did not start, by command name, in its CPU readings. */
const MACHINE_SERVERS = { postgres: 'postgres', redis: 'redis-server' } as const;

/** What the machine did in a reading's interval: all cores, and PostgreSQL's and Redis's processes. */
export interface MachineCpu {
  /** all processes, % of one core (cores × 100 = every core busy the whole interval) */
  busy_pct: number;
  postgres_pct: number;
  redis_pct: number;
}

/**
 * CPU use of a set of processes over an interval, as % of one core (200% = both cores of a
 * 2-core machine), so a reader sees how much of the machine the load generator itself took;
 * beside them the whole machine's and the PostgreSQL and Redis servers' on it, which say when
 * the machine itself is the bound.
 */
export class CpuMeter {
  private readonly startWall = performance.now();
  private readonly startSelf = process.cpuUsage();
  private readonly startChildren = new Map<string, number | null>();
  private readonly startMachine = machineBusySeconds();
  private readonly startServers = namedCpuSeconds(Object.values(MACHINE_SERVERS));

  constructor(private readonly children: Array<{ name: string; pid: number }> = []) {
    for (const c of children) this.startChildren.set(c.name, processCpuSeconds(c.pid));
  }

  read(): { wall_s: number; generator_cpu_pct: number; processes: Record<string, number | null>; machine: MachineCpu | null; cores: number } {
    const wall = (performance.now() - this.startWall) / 1000;
    const self = process.cpuUsage(this.startSelf);
    const pct = (seconds: number) => Math.round((seconds / wall) * 1000) / 10;
    const processes: Record<string, number | null> = {};
    for (const c of this.children) {
      const before = this.startChildren.get(c.name);
      const now = processCpuSeconds(c.pid);
      processes[c.name] = before != null && now != null ? pct(now - before) : null;
    }
    const machineNow = machineBusySeconds();
    const serversNow = namedCpuSeconds(Object.values(MACHINE_SERVERS));
    // a process started in the interval (a new backend) counts from zero
    const grown = (name: string) => {
      let seconds = 0;
      for (const [pid, now] of serversNow.get(name) ?? []) seconds += now - (this.startServers.get(name)?.get(pid) ?? 0);
      return pct(seconds);
    };
    return {
      wall_s: Math.round(wall * 10) / 10,
      generator_cpu_pct: pct((self.user + self.system) / 1e6),
      processes,
      machine:
        machineNow !== null && this.startMachine !== null
          ? { busy_pct: pct(machineNow - this.startMachine), postgres_pct: grown(MACHINE_SERVERS.postgres), redis_pct: grown(MACHINE_SERVERS.redis) }
          : null,
      cores: os.availableParallelism?.() ?? os.cpus().length,
    };
  }
}
