import path from 'node:path';
import { parseArgs } from 'node:util';
import { type RunningStack, startStack } from '../../nginx/stack.js';

/**
 * `sectorwars stack [--regions 2] [--database-url URL]`: the production topology on one machine
 * without Docker — nginx in front of two api replicas, realtime and jobs — on the PostgreSQL and
 * Redis named by DATABASE_URL and REDIS_URL (local defaults). With `--regions 2`, multi-regional:
 * the accounts database and Terran Space's next to DATABASE_URL, the Central Nexus's on a second
 * PostgreSQL server the stack starts under STACK_DIR, and per region its own api replicas, jobs and
 * realtime behind /r/<slug>/. Stops everything on Ctrl-C.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { regions: { type: 'string' }, 'database-url': { type: 'string' } } });
  const regions = Number(values.regions ?? 1);
  if (!Number.isInteger(regions) || regions < 1) throw new Error(`--regions takes a whole number of regions, not ${values.regions}`);
  const env = process.env;
  // A signal while the stack is still starting stops it as soon as it is up (a failed start cleans up itself).
  let interrupted = false;
  let stack: RunningStack | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      void stack?.stop().then(() => process.exit(0));
    });
  }
  stack = await startStack({
    dir: path.resolve(env.STACK_DIR ?? 'data/stack'),
    databaseUrl: values['database-url'] ?? env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    httpPort: Number(env.STACK_HTTP_PORT ?? 8080),
    httpsPort: Number(env.STACK_HTTPS_PORT ?? 8443),
    apiReplicas: Number(env.STACK_API_REPLICAS ?? 2),
    basePort: Number(env.STACK_BASE_PORT ?? 8100),
    webRoot: path.resolve('web/dist'),
    adminRoot: path.resolve('admin/dist'),
    regions,
    onLine: (service, line) => process.stdout.write(`${service.padEnd(regions > 1 ? 16 : 9)}| ${line}\n`),
  });
  if (interrupted) {
    await stack.stop();
    process.exit(0);
  }
  process.stdout.write(`\nSectorWars stack is up: ${stack.baseUrl} (self-signed certificate; http://localhost:${env.STACK_HTTP_PORT ?? 8080} redirects)\n`);
  for (const region of stack.regions)
    process.stdout.write(`  region ${region.slug}: ${stack.baseUrl}${region.basePath}/api/v1, database ${region.databaseUrl}\n`);
}
