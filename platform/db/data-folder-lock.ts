import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite has one writer: two processes on one data folder corrupt it. Every embedded process
 * (the `all` server, `migrate`, `generate`, `admin create`) holds `DATA_DIR/pglite.lock`, naming
 * its pid, while its database is open; a second one is refused with a message that says what to
 * do. A lock left by a process that died is taken over.
 */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dataDir} is in use by another sectorwars process (pid ${pid}): PGlite allows one process at a time, so stop the server first and run this again (or use DATABASE_URL in server mode). If no sectorwars process is running, delete ${path.join(dataDir, 'pglite.lock')}.`,
    );
    this.name = 'DataFolderInUseError';
  }
}

export function lockDataFolder(dataDir: string): () => void {
  const file = path.join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (holder(file) === process.pid) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = holder(file);
      if (pid !== null && pid !== process.pid && alive(pid)) throw new DataFolderInUseError(dataDir, pid);
      // Stale (its process is gone) or our own: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${file}`);
}

function holder(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
