import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Build the web client (web/dist) and the admin SPA (admin/dist) when missing or older than what
 * they are built from, so `npm start` on a fresh clone serves both and a checkout that changed
 * web/, admin/ or client/ serves the change. A build takes a second or two; an up-to-date one
 * costs a directory walk.
 *
 *   tsx web/build.ts        (what `npm start` runs first)
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = path.join(REPO, 'client');
const NOT_SHIPPED = /\.test\.tsx?$|[\\/]testing[\\/]|generate\.ts$/;

/** One single-page app: its folder (with index.html, vite.config.ts, src/ and maybe public/). */
function spa(name: 'web' | 'admin') {
  const dir = path.join(REPO, name);
  return {
    name,
    config: path.join(dir, 'vite.config.ts'),
    built: path.join(dir, 'dist', 'index.html'),
    sources: [path.join(dir, 'index.html'), path.join(dir, 'vite.config.ts'), path.join(dir, 'public'), path.join(dir, 'src'), CLIENT],
  };
}
const APPS = [spa('web'), spa('admin')];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const info = statSync(entry);
  if (!info.isDirectory()) return NOT_SHIPPED.test(entry) ? 0 : info.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), info.mtimeMs);
}

const isCurrent = (app: ReturnType<typeof spa>) => existsSync(app.built) && statSync(app.built).mtimeMs >= Math.max(...app.sources.map(newestChange));

export function webBuildIsCurrent(): boolean {
  return APPS.every(isCurrent);
}

/** Build whichever of the two is stale (one after the other: Vite builds are CPU-bound). */
export async function ensureWebBuilt(): Promise<'current' | 'built'> {
  const stale = APPS.filter((app) => !isCurrent(app));
  if (stale.length === 0) return 'current';
  const { build } = await import('vite');
  for (const app of stale) await build({ configFile: app.config, logLevel: 'warn' });
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const outcome = await ensureWebBuilt();
  if (outcome === 'built') process.stdout.write(`web client and admin SPA built in ${Math.round(performance.now() - started)} ms\n`);
}
