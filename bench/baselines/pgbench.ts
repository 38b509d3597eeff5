import { spawn } from 'node:child_process';
import { DatabaseSet } from '../databases.js';
import { CpuMeter } from '../processes.js';

/**
 * PostgreSQL's own ceiling on this machine, measured in the same run as the game: pgbench's
 * TPC-B-like transaction (three UPDATEs, a SELECT and an INSERT, then a durable COMMIT) on a
 * scratch database, with as many clients as the api's pool. The scale factor equals the client
 * count, so clients do not queue on the same branch row.
 */
export interface PgbenchResult {
  name: 'pgbench';
  clients: number;
  seconds: number;
  tps: number;
  latency_avg_ms: number | null;
  transactions: number;
  /** the machine while pgbench ran (from its second second to half a second before its end: its backends exit at the end) */
  cpu: ReturnType<CpuMeter['read']> | null;
}

export async function runPgbench(serverUrl: string, options: { runId: string; clients: number; seconds: number; threads?: number }): Promise<PgbenchResult> {
  const databases = new DatabaseSet(serverUrl, `sectorwars_bench_${options.runId}`);
  try {
    const { url } = await databases.create('pgbench');
    await pgbench(['-i', '-q', '-s', String(options.clients), url]);
    let meter: CpuMeter | undefined;
    let cpu: PgbenchResult['cpu'] = null;
    const start = setTimeout(() => (meter = new CpuMeter()), 1_000);
    const read = setTimeout(() => (cpu = meter?.read() ?? null), (options.seconds - 0.5) * 1_000);
    const out = await pgbench(['-n', '-c', String(options.clients), '-j', String(options.threads ?? 2), '-T', String(options.seconds), url]).finally(() => {
      clearTimeout(start);
      clearTimeout(read);
    });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${out}`);
    const latency = /latency average = ([\d.]+) ms/.exec(out)?.[1];
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
    return {
      name: 'pgbench',
      clients: options.clients,
      seconds: options.seconds,
      tps: Math.round(tps * 10) / 10,
      latency_avg_ms: latency ? Number(latency) : null,
      transactions,
      cpu,
    };
  } finally {
    await databases.dropAll();
  }
}

function pgbench(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench ${args[0]} exited ${code}:\n${out}`))));
  });
}
