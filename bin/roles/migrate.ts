import { openRegionalRuntime } from '../../regions/registry.js';

/**
 * `sectorwars migrate [--region <slug>]`: bring the schema up to date, then exit (a one-shot step
 * before api/jobs). With a region, the accounts database and that region's shard.
 */
export async function run(): Promise<void> {
  const runtime = await openRegionalRuntime('migrate', { migrate: true });
  await runtime.shutdown('done');
}
