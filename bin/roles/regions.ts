import { ConfigError, loadConfig } from '../../platform/config.js';
import { migrateSet } from '../../platform/db/database.js';
import { createApp } from '../../platform/http/app.js';
import { listen } from '../../platform/http/server.js';
import { exitOnSignals, openRuntime } from '../../platform/runtime.js';
import { startRegionManager } from './region-manager.js';

/**
 * `sectorwars regions`: the region manager (issue 21), the one process given the Docker socket.
 * It adopts what runs by label, keeps it in line with the registry on the nexus (DATABASE_URL),
 * and serves its admin API under /api/v1/admin/regions on PORT.
 */
export async function run(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL: the region manager needs the accounts database on the nexus (the registry)']);
  const runtime = await openRuntime('regions', { config });
  await migrateSet(runtime.accounts, 'accounts');
  const { bundle, driver, adopted } = await startRegionManager(runtime);
  const server = await listen(createApp(runtime, [bundle]), config.host, config.port);
  runtime.onShutdown(() => server.close());
  exitOnSignals(runtime);
  runtime.logger.info({ port: server.port, driver: driver.kind, socket: config.manager.dockerSocket, changes: adopted }, 'region manager listening');
}
