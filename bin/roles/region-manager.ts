import Docker from 'dockerode';
import { adminRegionsBundle } from '../../handlers/admin-regions/index.js';
import { ConfigError } from '../../platform/config.js';
import type { Bundle } from '../../platform/http/context.js';
import type { Runtime } from '../../platform/runtime.js';
import { ContainersDriver } from '../../regions/drivers/containers.js';
import type { Change, RegionDriver } from '../../regions/drivers/driver.js';
import { SwarmDriver } from '../../regions/drivers/swarm.js';
import { RegionManager } from '../../regions/manager.js';

/**
 * The region manager on a runtime: the Docker socket opened, the driver chosen, what runs adopted
 * and kept in line until shutdown, and its admin API as a bundle. Whichever process calls this
 * holds the socket: the `regions` role, or `all` when DOCKER_SOCKET is set (the embedded game).
 */
export async function startRegionManager(runtime: Runtime): Promise<{ bundle: Bundle; driver: RegionDriver; adopted: Change[] }> {
  const { config } = runtime;
  // the regions' processes reach the registry and their shards on PostgreSQL: PGlite has one writer
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL: the region manager needs the accounts database on the nexus (the registry)']);
  const docker = new Docker({ socketPath: config.manager.dockerSocket });
  const driver: RegionDriver = config.manager.driver === 'swarm' ? new SwarmDriver(docker, config.manager.placement) : new ContainersDriver(docker);
  const manager = new RegionManager({ config, accounts: runtime.accounts, docker, driver, logger: runtime.logger });
  const adopted = await manager.start();
  runtime.onShutdown(() => manager.stop());
  return { bundle: adminRegionsBundle(manager), driver, adopted };
}
