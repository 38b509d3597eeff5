import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { type BuiltImage, buildImage } from '../scripts/build-image.js';

/**
 * A Docker engine of the test's own: dockerd started in a scratch folder with its own socket, no
 * bridge, no iptables (containers use the host network, the only one this machine allows), and
 * stopped by its pid. Its data root is kept under .scratch/dockerd between runs, so the app image
 * built into it is found again and rebuilt only when its inputs change (scripts/build-image.ts).
 * Suites skip when dockerd is not installed or cannot start here (`dockerdAvailable`). One engine
 * at a time owns the data root (a lock file with its test process's pid): suites in parallel
 * workers take turns instead of two dockerds corrupting one store.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const DOCKERD = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p));
const START_TIMEOUT_MS = 30_000;
// Three suites take turns on the engine (compose-boot, region-manager, the admin Regions browser
// test), two at a time in the run's two workers: one may wait for both others, image builds included.
const LOCK_TIMEOUT_MS = 900_000;
/** A suite's hook that starts the engine: its wait for the lock, then the image build. */
export const DOCKERD_HOOK_TIMEOUT_MS = LOCK_TIMEOUT_MS + 300_000;

export const dockerdAvailable = DOCKERD !== undefined && process.getuid?.() === 0;

export interface TestDockerd {
  socket: string;
  docker: Docker;
  image: BuiltImage;
  stop(): Promise<void>;
}

export async function startDockerd(log: (line: string) => void = () => {}): Promise<TestDockerd> {
  if (!DOCKERD) throw new Error('dockerd is not installed (apt-get install docker.io)');
  // A unix socket path must stay under 108 bytes: the run folder lives in /tmp.
  const run = mkdtempSync(path.join(tmpdir(), 'sw-dockerd-'));
  const dataRoot = path.join(ROOT, '.scratch/dockerd/data');
  mkdirSync(dataRoot, { recursive: true });
  const unlock = await lockDataRoot(path.join(ROOT, '.scratch/dockerd/lock'));
  const socket = path.join(run, 'docker.sock');
  const child = spawn(
    DOCKERD,
    [
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--bridge=none',
      '--host',
      `unix://${socket}`,
      '--data-root',
      dataRoot,
      '--exec-root',
      path.join(run, 'exec'),
      '--pidfile',
      path.join(run, 'docker.pid'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const docker = new Docker({ socketPath: socket });
  const stop = () => stopDockerd(child, run).finally(unlock);
  try {
    await waitForEngine(docker, child, output);
    await clearLeftovers(docker);
    const image = await buildImage({ docker, log });
    return { socket, docker, image, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The lock file, made exclusively; one left by a process that is gone is taken over. */
async function lockDataRoot(file: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // empty: its maker is between creating and writing it; gone: released meanwhile
    let holder: number;
    try {
      holder = Number(readFileSync(file, 'utf8').trim() || 0);
    } catch {
      continue;
    }
    if (holder && !isAlive(holder)) {
      unlinkSync(file);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the test dockerd's data root is held by process ${holder}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForEngine(docker: Docker, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}:\n${output.join('').slice(-2000)}`);
    if (
      await docker.ping().then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`dockerd did not answer within ${START_TIMEOUT_MS / 1000} s:\n${output.join('').slice(-2000)}`);
}

/** A run that was cut short leaves a swarm or labelled containers in the kept data root; a test starts from none. */
async function clearLeftovers(docker: Docker): Promise<void> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState === 'active') await docker.swarmLeave({ force: true });
  for (const c of await docker.listContainers({ all: true, filters: { label: ['sectorwars.region'] } }))
    await docker.getContainer(c.Id).remove({ force: true });
}

async function stopDockerd(child: ChildProcess, run: string): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  // the engine leaves its default network namespace mounted in the exec root; it must go before the folder can
  for (const mount of [path.join(run, 'exec/netns/default'), path.join(run, 'exec')]) {
    try {
      execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    } catch {}
  }
  rmSync(run, { recursive: true, force: true });
}
