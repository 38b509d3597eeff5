import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Build the web client when web/dist is missing or older than what it is built from, so
 * `npm start` on a fresh clone serves the game and a checkout that changed web/ or client/
 * serves the change. A build takes a second or two; an up-to-date one costs a directory walk.
 *
 *   tsx web/build.ts        (what `npm start` runs first)
 */
const WEB = fileURLToPath(new URL('.', import.meta.url));
const SOURCES = [
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
  path.join(WEB, 'public'),
  path.join(WEB, 'src'),
  path.join(WEB, '..', 'client'),
];
const BUILT = path.join(WEB, 'dist', 'index.html');
const NOT_SHIPPED = /\.test\.tsx?$|[\\/]testing[\\/]|generate\.ts$/;

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const info = statSync(entry);
  if (!info.isDirectory()) return NOT_SHIPPED.test(entry) ? 0 : info.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), info.mtimeMs);
}

export function webBuildIsCurrent(): boolean {
  return existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...SOURCES.map(newestChange));
}

export async function ensureWebBuilt(): Promise<'current' | 'built'> {
  if (webBuildIsCurrent()) return 'current';
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const outcome = await ensureWebBuilt();
  if (outcome === 'built') process.stdout.write(`web client built in ${Math.round(performance.now() - started)} ms\n`);
}
