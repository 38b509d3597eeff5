import { openRuntime } from '../../platform/runtime.js';

/** `sectorwars migrate`: bring the schema up to date, then exit (a one-shot step before api/jobs). */
export async function run(): Promise<void> {
  const runtime = await openRuntime('migrate', { migrate: true });
  await runtime.shutdown('done');
}
