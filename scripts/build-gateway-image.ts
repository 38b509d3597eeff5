import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { type BuiltImage, CONTENT_LABEL, contentHash, followBuild, place, sharedLibraries, upToDate } from './build-image.js';

/**
 * The gateway image `sectorwars-gateway:local`, built FROM scratch like the app image (nothing is
 * pulled): this host's nginx, `sh` and `openssl` (the entrypoint makes a self-signed certificate
 * when none is mounted), `sleep` (compose's gateways wait for their rendered config), the libraries `ldd` lists for them, nginx's mime types, and the built
 * SPAs at /srv/web and /srv/admin. Its config is nginx/compose.conf, or the file
 * SECTORWARS_NGINX_CONF names (compose renders one from the region registry, or for the host
 * network's ports). The Dockerfile's `gateway` target builds the same from nginx:1.27 where a
 * registry is reachable. Skipped when the tagged image carries the hash of its inputs.
 */
export const GATEWAY_TAG = 'sectorwars-gateway:local';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BINARIES = ['/usr/sbin/nginx', '/bin/sh', '/bin/sleep', '/usr/bin/openssl'];
const CONFIG_FILES = ['/etc/nginx/mime.types', '/usr/lib/ssl/openssl.cnf'];

export async function buildGatewayImage(options: { docker: Docker; tag?: string; log?: (line: string) => void }): Promise<BuiltImage> {
  const { docker, tag = GATEWAY_TAG, log = () => {} } = options;
  const inputs = ['web', 'admin', 'client', 'contract', 'nginx', 'package-lock.json', 'scripts/build-gateway-image.ts'];
  const content = contentHash([...inputs.map((p) => path.join(ROOT, p)).filter((p) => !p.endsWith('/dist')), ...BINARIES]);
  const current = await upToDate(docker, tag, content, log);
  if (current) return current;
  buildSpas(log);
  const context = path.join(ROOT, '.scratch/gateway-image/context');
  rmSync(context, { recursive: true, force: true });
  assembleRootfs(path.join(context, 'rootfs'));
  writeFileSync(path.join(context, 'Dockerfile'), dockerfile(content));
  log(`building ${tag}`);
  const stream = await docker.buildImage({ context, src: ['Dockerfile', 'rootfs'] }, { t: tag, pull: false, rm: true, forcerm: true });
  await followBuild(docker, stream, log);
  const image = await docker.getImage(tag).inspect();
  return { tag, id: image.Id, content, built: true };
}

/** The player's and the admin's SPAs, as `npm run build` writes them. */
function buildSpas(log: (line: string) => void): void {
  for (const app of ['web', 'admin']) {
    log(`building ${app}/dist (vite)`);
    execFileSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', `${app}/vite.config.ts`, '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
}

/**
 * nginx resolves its workers' user (`nobody`) through /etc/passwd, and opens its compiled-in
 * log and temp folders before it reads the config: they exist, empty.
 */
function assembleRootfs(rootfs: string): void {
  const libraries = new Set<string>();
  for (const binary of BINARIES) {
    place(binary, path.join(rootfs, binary));
    for (const lib of sharedLibraries(binary)) libraries.add(lib);
  }
  for (const lib of libraries) place(lib, path.join(rootfs, lib));
  for (const file of CONFIG_FILES) place(file, path.join(rootfs, file));
  place(path.join(ROOT, 'nginx/compose.conf'), path.join(rootfs, 'etc/nginx/sectorwars.conf'));
  place(path.join(ROOT, 'nginx/docker-entrypoint.sh'), path.join(rootfs, 'usr/local/bin/sectorwars-gateway'));
  cpSync(path.join(ROOT, 'web/dist'), path.join(rootfs, 'srv/web'), { recursive: true });
  cpSync(path.join(ROOT, 'admin/dist'), path.join(rootfs, 'srv/admin'), { recursive: true });
  for (const dir of ['var/cache/sectorwars/logs', 'var/cache/sectorwars/tmp', 'var/log/nginx', 'var/lib/nginx', 'tmp', 'certs', 'etc/sectorwars']) {
    mkdirSync(path.join(rootfs, dir), { recursive: true });
  }
  writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n');
  writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

function dockerfile(content: string): string {
  return [
    'FROM scratch',
    'COPY rootfs/ /',
    'ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin:/bin',
    `LABEL ${CONTENT_LABEL}=${content}`,
    'ENTRYPOINT ["/usr/local/bin/sectorwars-gateway"]',
    '',
  ].join('\n');
}
