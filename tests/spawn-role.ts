import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningRole {
  port: number;
  url: string;
  lines: string[];
  child: ChildProcess;
  /** SIGTERM (or the given signal), resolving once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start `sectorwars <role>` as a separate process, as an operator would, and resolve once its log
 * names the port it listens on. The test environment's DATABASE_URL/REDIS_URL are not inherited:
 * pass what the role should use.
 */
export function spawnRole(role: string, env: Record<string, string | undefined>, args: string[] = []): Promise<RunningRole> {
  const baseEnv = { ...process.env };
  delete baseEnv.DATABASE_URL;
  delete baseEnv.REDIS_URL;
  const child = spawn(process.execPath, ['bin/sectorwars.js', role, ...args], {
    env: { ...baseEnv, PORT: '0', REALTIME_PORT: '0', JOBS_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`${role}: no listen line within 60 s:\n${lines.join('\n')}`));
      // A first start migrates and generates a world: under a full suite's load on two cores that took over 30 s.
    }, 60_000);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        lines.push(line);
        let parsed: { port?: number; url?: string };
        try {
          parsed = JSON.parse(line) as { port?: number; url?: string };
        } catch {
          continue;
        }
        const port = parsed.port ?? (parsed.url ? Number(new URL(parsed.url).port) : undefined);
        if (port) {
          clearTimeout(timer);
          resolve({ port, url: `http://127.0.0.1:${port}`, lines, child, stop });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}
