import { createRequire } from 'node:module';
import type * as Uws from '@trufflesuite/uws-js-unofficial';
import type { Logger } from '../platform/logger.js';

export type UwsModule = typeof Uws;
export type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, us_listen_socket } from '@trufflesuite/uws-js-unofficial';

/**
 * uWebSockets.js is not published on npm under its own name; these builds of it are, tried in
 * order: the current one (its binaries need glibc 2.38 or newer), then an older one whose
 * binaries run on older Linux systems too.
 */
export const UWS_BUILDS = ['@btc-vision/uwebsockets.js', '@trufflesuite/uws-js-unofficial'] as const;

export class UwsUnavailableError extends Error {
  constructor(failures: string[]) {
    super(
      `uWebSockets.js has no native build for this system (${process.platform}-${process.arch}, Node ABI ${process.versions.modules}); ` +
        `the realtime server refuses to run without one:\n${failures.map((f) => `  - ${f}`).join('\n')}`,
    );
    this.name = 'UwsUnavailableError';
  }
}

// The module object itself (its default export), through require: these are CommonJS native
// addons without named ESM exports, and a failing ESM import of one also raises an uncaught exception.
const requireBuild = createRequire(import.meta.url);

/**
 * The first build that loads a native binary. One of them falls back to a pure-JS imitation when
 * its binary does not load: that would run, only many times slower, so it counts as a failure.
 */
export function loadFirstNativeBuild(builds: readonly string[], load: (name: string) => unknown = requireBuild): { name: string; uws: UwsModule } {
  const failures: string[] = [];
  for (const name of builds) {
    let candidate: unknown;
    try {
      candidate = load(name);
    } catch (err) {
      failures.push(`${name}: ${reasonOf((err as Error).message)}`);
      continue;
    }
    if (isNative(candidate)) return { name, uws: candidate as UwsModule };
    failures.push(`${name}: loaded a JavaScript fallback, not the native server`);
  }
  throw new UwsUnavailableError(failures);
}

let loaded: { name: string; uws: UwsModule } | undefined;

/** uWS for this process: loaded once, logging which build it is. */
export function loadUws(logger: Logger): UwsModule {
  if (!loaded) {
    loaded = loadFirstNativeBuild(UWS_BUILDS);
    logger.info({ build: loaded.name }, `uWebSockets.js loaded from ${loaded.name}`);
  }
  return loaded.uws;
}

function isNative(candidate: unknown): boolean {
  const app = (candidate as { App?: unknown } | null)?.App;
  return typeof app === 'function' && Function.prototype.toString.call(app).includes('[native code]');
}

function reasonOf(message: string): string {
  // The build's own message repeats itself over several lines; the reason is the last non-empty one.
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? message;
}
