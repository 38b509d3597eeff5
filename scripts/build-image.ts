import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

/**
 * `npm run image`: the app image `sectorwars:local`, built FROM scratch through the Docker Engine
 * API, for machines where no registry can be reached (nothing is ever pulled). The image holds
 * this host's own `node` and the libraries its loader names (`ldd`), the compiled app (dist/),
 * its production dependencies and package.json. Where a registry is reachable the Dockerfile
 * builds the same image from node:20-bookworm-slim.
 *
 * The build (and the compile before it) is skipped when the tagged image already carries the hash
 * of what dist/ is compiled from, the lockfile and the node binary (label `sectorwars.content`),
 * so a test run calls it every time and pays only for a hash when nothing changed.
 */
export const IMAGE_TAG = 'sectorwars:local';
export const CONTENT_LABEL = 'sectorwars.content';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuiltImage {
  tag: string;
  id: string;
  content: string;
  /** false: an image with the same content was there already */
  built: boolean;
}

export interface BuildImageOptions {
  docker: Docker;
  tag?: string;
  /** compile dist/ first (tsc -p tsconfig.build.json); off when the caller has just built it */
  compile?: boolean;
  log?: (line: string) => void;
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const { docker, tag = IMAGE_TAG, log = () => {} } = options;
  const node = realpathSync(process.execPath);
  const content = contentHash([...buildInputs(), node]);
  const current = await upToDate(docker, tag, content, log);
  if (current) return current;
  if (options.compile !== false) {
    log('compiling dist/ (tsc -p tsconfig.build.json)');
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  }
  const context = path.join(ROOT, '.scratch/image/context');
  rmSync(context, { recursive: true, force: true });
  const rootfs = path.join(context, 'rootfs');
  log('assembling the root file system: node, its libraries, the app');
  const nodeModules = prodDependencies(log);
  copyNodeRuntime([node, ...nativeAddons(nodeModules)], rootfs);
  copyApp(rootfs, nodeModules);
  writeFileSync(path.join(context, 'Dockerfile'), dockerfile(content));
  log(`building ${tag}`);
  const stream = await docker.buildImage({ context, src: ['Dockerfile', 'rootfs'] }, { t: tag, pull: false, rm: true, forcerm: true });
  await followBuild(docker, stream, log);
  const image = await docker.getImage(tag).inspect();
  return { tag, id: image.Id, content, built: true };
}

/** What dist/ is compiled from (tsconfig.build.json's folders, tests left out) and what the dependencies are installed from. */
function buildInputs(): string[] {
  const build = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  return [...build.include, 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/build-image.ts'].map((p) =>
    path.join(ROOT, p),
  );
}

/** Build output and installed packages under an input folder (web/dist, …) are what a build makes, not what it is made from. */
const SKIPPED_DIRS = new Set(['dist', 'node_modules']);

/** sha256 over the files' paths and bytes, in a stable order (test files do not go into the image). */
/** The image under `tag` when it was built from exactly `content` (its content label), so the build can be skipped. */
export async function upToDate(docker: Docker, tag: string, content: string, log: (line: string) => void): Promise<BuiltImage | undefined> {
  const existing = await docker
    .getImage(tag)
    .inspect()
    .catch(() => undefined);
  if (existing?.Config.Labels?.[CONTENT_LABEL] !== content) return undefined;
  log(`${tag} is up to date (${content.slice(0, 12)})`);
  return { tag, id: existing.Id, content, built: false };
}

export function contentHash(roots: string[]): string {
  const hash = createHash('sha256');
  const visit = (file: string) => {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      if (SKIPPED_DIRS.has(path.basename(file))) return;
      for (const name of readdirSync(file).sort()) visit(path.join(file, name));
      return;
    }
    if (file.endsWith('.test.ts')) return;
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  };
  for (const root of roots) visit(root);
  return hash.digest('hex');
}

/**
 * The node binary, and every library `ldd` lists for it and for the native addons (argon2 needs
 * librt, which node itself does not), with the dynamic loader, at the paths they are looked up at.
 */
function copyNodeRuntime([node, ...addons]: string[], rootfs: string): void {
  place(node!, path.join(rootfs, 'usr/bin/node'));
  const libraries = new Set(sharedLibraries(node!));
  for (const addon of addons) for (const lib of sharedLibraries(addon, { optional: true })) libraries.add(lib);
  for (const lib of libraries) place(lib, path.join(rootfs, lib));
  mkdirSync(path.join(rootfs, 'tmp'), { recursive: true });
}

/** The `.node` files under node_modules (some are for other platforms: ldd refuses those, and they are skipped). */
function nativeAddons(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.node')) found.push(path.join(entry.parentPath, entry.name));
  }
  return found;
}

/** `ldd` lines: `libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x…)` and the loader `/lib64/ld-linux-x86-64.so.2 (0x…)`. */
export function sharedLibraries(binary: string, options: { optional?: boolean } = {}): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (err) {
    if (options.optional) return [];
    throw err;
  }
  const found = new Set<string>();
  for (const line of out.split('\n')) {
    const match = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (match) found.add(match[1]!);
  }
  if (found.size === 0 && !options.optional) throw new Error(`ldd ${binary} listed no libraries:\n${out}`);
  return [...found];
}

/** A copy of the file a path points at (symlinks resolved: the image needs the bytes under the linked name). */
export function place(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
}

function copyApp(rootfs: string, nodeModules: string): void {
  const app = path.join(rootfs, 'app');
  mkdirSync(app, { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(app, 'dist'), { recursive: true });
  cpSync(nodeModules, path.join(app, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
}

/** The production dependencies, installed once per lockfile (`npm ci --omit=dev`) under .scratch/image/deps/<hash>. */
function prodDependencies(log: (line: string) => void): string {
  const lock = readFileSync(path.join(ROOT, 'package-lock.json'));
  const pkg = readFileSync(path.join(ROOT, 'package.json'));
  const key = createHash('sha256').update(lock).update(pkg).digest('hex').slice(0, 16);
  const dir = path.join(ROOT, '.scratch/image/deps', key);
  if (existsSync(path.join(dir, 'node_modules/.package-lock.json'))) return path.join(dir, 'node_modules');
  log('installing production dependencies (npm ci --omit=dev)');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  execFileSync('npm', ['ci', '--omit=dev', '--strict-allow-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  return path.join(dir, 'node_modules');
}

/** Same entrypoint and user as the Dockerfile's image; uid 1000 is `node` there, here a bare number (no /etc/passwd). */
function dockerfile(content: string): string {
  return [
    'FROM scratch',
    'COPY rootfs/ /',
    'ENV NODE_ENV=production PATH=/usr/bin',
    'WORKDIR /app',
    'USER 1000:1000',
    `LABEL ${CONTENT_LABEL}=${content}`,
    'ENTRYPOINT ["/usr/bin/node", "dist/bin/main.js"]',
    'CMD ["all"]',
    '',
  ].join('\n');
}

export async function followBuild(docker: Docker, stream: NodeJS.ReadableStream, log: (line: string) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: Array<{ error?: string }>) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new Error(`image build failed: ${failed}`));
        else resolve();
      },
      (event: { stream?: string }) => {
        const line = event.stream?.trim();
        if (line) log(line);
      },
    );
  });
}

/** The Engine API client for DOCKER_SOCKET (or DOCKER_HOST's unix socket, or the default one). */
export function dockerFromEnv(env: Record<string, string | undefined> = process.env): Docker {
  const socket = env.DOCKER_SOCKET ?? env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock';
  return new Docker({ socketPath: socket });
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { buildGatewayImage } = await import('./build-gateway-image.js');
  const docker = dockerFromEnv();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const built = await buildImage({ docker, log });
  process.stdout.write(`${JSON.stringify(built)}\n`);
  process.stdout.write(`${JSON.stringify(await buildGatewayImage({ docker, log }))}\n`);
}
