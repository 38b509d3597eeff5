import { parseArgs } from 'node:util';
import { Hono } from 'hono';
import { JOBS, findJob } from '../../jobs/index.js';
import { unknownJobSettings } from '../../jobs/names.js';
import { runJobNow, startScheduler } from '../../jobs/scheduler.js';
import { loadConfig } from '../../platform/config.js';
import { pingDatabase } from '../../platform/db/database.js';
import { listen } from '../../platform/http/server.js';
import { createJobMetrics } from '../../platform/metrics.js';
import { exitOnSignals } from '../../platform/runtime.js';
import { openRegionalRuntime } from '../../regions/registry.js';

/**
 * `sectorwars jobs`: the scheduler (any number of replicas; one leads at a time), with
 * /healthz, /readyz and /metrics on JOBS_PORT. `sectorwars jobs --once <job>` runs one window
 * of a job now and exits, printing its outcome as JSON.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { once: { type: 'string' } } });
  const once = values.once === undefined ? undefined : findJob(values.once);
  if (values.once !== undefined && !once) {
    process.stderr.write(`sectorwars jobs: unknown job "${values.once}"; known: ${JOBS.map((j) => j.name).join(', ')}\n`);
    process.exit(2);
  }
  // In server mode `sectorwars migrate` owns the schema; an embedded data folder is our own.
  const config = loadConfig();
  const unknown = unknownJobSettings(config.jobs);
  if (unknown.length > 0) {
    process.stderr.write(`sectorwars jobs: JOB_<NAME>_EVERY/TIMEOUT name no job: ${unknown.join(', ')}; known: ${JOBS.map((j) => j.name).join(', ')}\n`);
    process.exit(78);
  }
  const runtime = await openRegionalRuntime('jobs', { config, migrate: config.mode === 'embedded' });
  const deps = { ...runtime, jobMetrics: createJobMetrics(runtime.metrics.registry) };

  if (once) {
    try {
      const outcome = await runJobNow(deps, once);
      process.stdout.write(`${JSON.stringify({ ...outcome, windowStart: outcome.windowStart.toISOString() })}\n`);
      process.exitCode = outcome.status === 'succeeded' ? 0 : 1;
    } finally {
      await runtime.shutdown('done');
    }
    return;
  }

  const scheduler = startScheduler(deps);
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok', leader: scheduler.leader, owner: scheduler.owner }));
  app.get('/readyz', async (c) => {
    const checks = await Promise.allSettled([pingDatabase(runtime.region), runtime.bus.ping()]);
    const [database, bus] = checks.map((r) => (r.status === 'fulfilled' ? 'ok' : 'down'));
    const ready = database === 'ok' && bus === 'ok';
    return c.json({ status: ready ? 'ready' : 'unavailable', database, bus, leader: scheduler.leader }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', runtime.metrics.registry.contentType);
    return c.body(await runtime.metrics.registry.metrics());
  });
  const server = await listen(app, runtime.config.host, runtime.config.jobs.port);
  runtime.onShutdown(() => server.close());
  runtime.onShutdown(() => scheduler.stop());
  exitOnSignals(runtime);
  runtime.logger.info({ port: server.port, owner: scheduler.owner, jobs: JOBS.map((j) => j.name) }, 'jobs scheduler running');
}
