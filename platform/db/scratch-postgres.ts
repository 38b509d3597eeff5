import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of our own (initdb + pg_ctl in a scratch folder, trust auth on loopback,
 * no fsync): "another server" for a region shard, in the local multi-regional stack and in the
 * tests. Not for real data: durability is switched off so it starts and stops in a second.
 */
export interface ScratchPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stop the server at once and keep its data: its databases are unreachable until `resume` (a region database going away for a while). */
  pause(): Promise<void>;
  /** Start it again on the same port, with the same data. */
  resume(): Promise<void>;
  /** Stop the server; a folder it made for itself is removed, a folder it was given is kept. */
  stop(): Promise<void>;
}

export interface ScratchPostgresOptions {
  /** Where the cluster lives (kept across runs, like the stack's); a temporary folder when absent. */
  dir?: string;
  /** A free port when absent. */
  port?: number;
}

/** Where Debian puts the server binaries (initdb and pg_ctl are not on PATH there). */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

export const hasPostgresServer = postgresBin() !== undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The server refuses to run as root, so as root it runs as the postgres account that the
 * package made, and the folder is handed to that account.
 */
export async function startScratchPostgres(options: ScratchPostgresOptions = {}): Promise<ScratchPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'sw-pg2-'));
  mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    // It must also pass through the folder it was given a place in (a mkdtemp folder is 0700): search only, no listing.
    const parent = path.dirname(dir);
    chmodSync(parent, statSync(parent).mode | 0o011);
  }
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  }
  const port = options.port ?? (await freePort());
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => as('pg_ctl', ['-D', data, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    // Immediate: the server goes away as a crashed or unplugged one does, mid-transaction.
    pause: async () => {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
    },
    resume: async () => {
      await start();
    },
    stop: async () => {
      await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() => undefined);
      if (temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}
