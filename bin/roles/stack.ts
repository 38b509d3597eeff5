import path from 'node:path';
import { startStack } from '../../nginx/stack.js';

/**
 * `sectorwars stack`: the production topology on one machine without Docker — nginx in front of
 * two api replicas, realtime and jobs — on the PostgreSQL and Redis named by DATABASE_URL and
 * REDIS_URL (local defaults). Stops everything on Ctrl-C.
 */
export async function run(): Promise<void> {
  const env = process.env;
  const stack = await startStack({
    dir: path.resolve(env.STACK_DIR ?? 'data/stack'),
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    httpPort: Number(env.STACK_HTTP_PORT ?? 8080),
    httpsPort: Number(env.STACK_HTTPS_PORT ?? 8443),
    apiReplicas: Number(env.STACK_API_REPLICAS ?? 2),
    basePort: Number(env.STACK_BASE_PORT ?? 8100),
    webRoot: path.resolve('web/dist'),
    adminRoot: path.resolve('admin/dist'),
    onLine: (service, line) => process.stdout.write(`${service.padEnd(9)}| ${line}\n`),
  });
  process.stdout.write(`\nSectorWars stack is up: ${stack.baseUrl} (self-signed certificate; http://localhost:${env.STACK_HTTP_PORT ?? 8080} redirects)\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stack.stop().then(() => process.exit(0));
    });
  }
}
