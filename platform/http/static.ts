import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import type { AppEnv } from './context.js';

/** Paths that belong to the server, never to the single-page app's client-side routes. */
const SERVER_PATHS = /^\/(api|ws|healthz|readyz|metrics)(\/|$)/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Vite names everything under /assets by content hash, so a file there never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) is revalidated on every load, so a deploy shows at once. */
const REVALIDATE = 'no-cache';

export interface SinglePageAppOptions {
  /** Where the app answers: `/` (the player's client) or a prefix such as `/admin` (built with that Vite `base`). */
  mount?: string;
  /** Paths left to someone else (the player's client leaves `/admin` to the admin SPA). */
  except?: RegExp;
}

/**
 * Serve a built single-page app from `webRoot`: its files as they are, and index.html for every
 * other GET that is not a server path, so client-side routes survive a reload. Missing hashed
 * assets are a plain 404 (an index.html there would only confuse the browser's module loader).
 * With a `mount` prefix the app answers only under it (`/admin` and `/admin/…`).
 */
export function serveSinglePageApp(app: Hono<AppEnv>, webRoot: string, options: SinglePageAppOptions = {}): void {
  const root = path.resolve(webRoot);
  const indexFile = path.join(root, 'index.html');
  const mount = (options.mount ?? '/').replace(/\/$/, '');

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const fullPath = c.req.path;
    if (SERVER_PATHS.test(fullPath) || options.except?.test(fullPath)) return next();
    if (mount && fullPath !== mount && !fullPath.startsWith(`${mount}/`)) return next();
    const urlPath = fullPath.slice(mount.length) || '/';

    const file = resolveInside(root, urlPath);
    if (file && (await isFile(file))) {
      return sendFile(c, file, urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
    }
    if (urlPath.startsWith('/assets/') || path.extname(urlPath) !== '') return next();
    if (!(await isFile(indexFile))) return next();
    return sendFile(c, indexFile, REVALIDATE);
  });
}

/** The file a URL path names under root, or null when it would escape it. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  return file.startsWith(root + path.sep) ? file : null;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.webmanifest', '.svg', '.txt', '.map']);
/** Gzipped bodies by file and version; the built app is a few hundred kilobytes at most. */
const gzipped = new Map<string, Buffer>();

async function sendFile(c: Context<AppEnv>, file: string, cacheControl: string): Promise<Response> {
  const info = await stat(file);
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const extension = path.extname(file);
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
    vary: 'accept-encoding',
  };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  let body: Buffer = await readFile(file);
  if (COMPRESSIBLE.has(extension) && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    const key = `${file}\n${etag}`;
    let zipped = gzipped.get(key);
    if (!zipped) {
      if (gzipped.size >= 256) gzipped.clear(); // only rebuilds add entries; drop the old versions
      gzipped.set(key, (zipped = gzipSync(body)));
    }
    body = zipped;
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  return c.body(new Uint8Array(body), 200, headers);
}
