import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundles } from '../../handlers/index.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { createApp } from '../../platform/http/app.js';
import { createJobMetrics } from '../../platform/metrics.js';
import { exitOnSignals, openRuntime } from '../../platform/runtime.js';
import { ensureDefaultWorld } from '../../regions/default-world.js';
import { startRealtimeServer } from '../../realtime/server.js';
import { startRegionManager } from './region-manager.js';

/** The player's web client as `npm run build` (or `npm start`) leaves it. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** The admin SPA, served at /admin/. */
const ADMIN_ROOT = fileURLToPath(new URL('../../admin/dist', import.meta.url));

/**
 * `sectorwars all` (what `npm start` runs): the whole game in one process. On embedded defaults
 * that is PGlite under DATA_DIR and the in-process bus; with DATABASE_URL/REDIS_URL it is the
 * same code on PostgreSQL and Redis.
 */
export async function run(): Promise<void> {
  const runtime = await openRuntime('all', { migrate: true });
  await ensureDefaultWorld(runtime.region, runtime.logger);
  if (!existsSync(`${WEB_ROOT}/index.html`))
    runtime.logger.warn({ web_root: WEB_ROOT }, 'the web client is not built: run `npm run build` (npm start builds it when needed)');
  if (!existsSync(`${ADMIN_ROOT}/index.html`))
    runtime.logger.warn({ admin_root: ADMIN_ROOT }, 'the admin SPA is not built: run `npm run build` (npm start builds it when needed)');
  // DOCKER_SOCKET set: this process is the region manager too, its admin API on the game's origin
  // (where the admin SPA calls it); unset, it holds no socket and the `regions` role serves that API.
  const manager = runtime.config.manager.inProcess ? await startRegionManager(runtime) : undefined;
  const app = createApp(runtime, manager ? [...bundles, manager.bundle] : bundles, { webRoot: WEB_ROOT, adminRoot: ADMIN_ROOT });
  if (manager)
    runtime.logger.info({ driver: manager.driver.kind, socket: runtime.config.manager.dockerSocket, changes: manager.adopted }, 'region manager in-process');
  // One uWS listener for everything: /ws natively, every other request through the Hono app, so
  // the web client reaches the API and realtime on one origin.
  const server = await startRealtimeServer(runtime, { host: runtime.config.host, port: runtime.config.port, http: (request, env) => app.fetch(request, env) });
  runtime.onShutdown(() => server.close());
  // The job scheduler in-process, once the world exists (on PostgreSQL it still takes the leader
  // lease, so `all` can sit beside `jobs` replicas).
  const scheduler = startScheduler({ ...runtime, jobMetrics: createJobMetrics(runtime.metrics.registry) });
  runtime.onShutdown(() => scheduler.stop());
  exitOnSignals(runtime);
  const url = `http://${runtime.config.host === '0.0.0.0' ? 'localhost' : runtime.config.host}:${server.port}`;
  runtime.logger.info({ url, mode: runtime.config.mode }, `SectorWars is running at ${url}`);
}
