import Docker from 'dockerode';
import { adminRegionsBundle } from '../../handlers/admin-regions/index.js';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { migrateSet } from '../../platform/db/database.js';
import { createApp } from '../../platform/http/app.js';
import { listen } from '../../platform/http/server.js';
import { exitOnSignals, openRuntime } from '../../platform/runtime.js';
import { ContainersDriver } from '../../regions/drivers/containers.js';
import type { RegionDriver } from '../../regions/drivers/driver.js';
import { SwarmDriver } from '../../regions/drivers/swarm.js';
import { RegionManager } from '../../regions/manager.js';

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
  const docker = new Docker({ socketPath: config.manager.dockerSocket });
  const driver: RegionDriver = config.manager.driver === 'swarm' ? new SwarmDriver(docker) : new ContainersDriver(docker);
  const manager = new RegionManager({ config, accounts: runtime.accounts, docker, driver, logger: runtime.logger });
  const adopted = await manager.start();
  runtime.onShutdown(() => manager.stop());
  const server = await listen(createApp(runtime, [adminRegionsBundle(manager)]), config.host, config.port);
  runtime.onShutdown(() => server.close());
  exitOnSignals(runtime);
  runtime.logger.info({ port: server.port, driver: driver.kind, socket: config.manager.dockerSocket, changes: adopted }, 'region manager listening');
}
