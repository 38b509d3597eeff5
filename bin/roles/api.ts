import { parseArgs } from 'node:util';
import { findBundles } from '../../handlers/index.js';
import { createApp } from '../../platform/http/app.js';
import { listen } from '../../platform/http/server.js';
import { exitOnSignals } from '../../platform/runtime.js';
import { openRegionalRuntime } from '../../regions/registry.js';

/** `sectorwars api [--bundle <area> ...]`: stateless HTTP handlers, scaled by replicas. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { bundle: { type: 'string', multiple: true } } });
  const bundles = findBundles(values.bundle);
  const runtime = await openRegionalRuntime('api');
  const app = createApp(runtime, bundles);
  const server = await listen(app, runtime.config.host, runtime.config.port);
  runtime.onShutdown(() => server.close());
  exitOnSignals(runtime);
  runtime.logger.info({ port: server.port, bundles: bundles.map((b) => b.name) }, 'api listening');
}
