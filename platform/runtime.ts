import { loadConfig, type Config } from './config.js';
import { openBus } from './bus/index.js';
import { openDatabase, migrateToLatest, type DatabaseHandle } from './db/database.js';
import { createLogger } from './logger.js';
import { createMetrics, observePool } from './metrics.js';
import { hs256AccessTokens, type AccessTokens } from './tokens.js';
import type { Deps } from './http/context.js';

/** Everything a role needs, opened once, closed in reverse on shutdown. */
export interface Runtime extends Deps {
  database: DatabaseHandle;
  onShutdown(task: () => Promise<void> | void): void;
  shutdown(reason: string): Promise<void>;
}

export async function openRuntime(role: string, options: { migrate?: boolean; config?: Config } = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const logger = createLogger(config, role);
  const metrics = createMetrics(role);
  const database = await openDatabase(config);
  const bus = openBus(config, (err) => logger.warn({ err: err.message }, 'bus connection error'));
  if (database.pool) observePool(metrics, database.pool);
  if (options.migrate) {
    const result = await migrateToLatest(database.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    logger.info({ applied, backend: database.backend }, applied.length ? 'migrations applied' : 'schema up to date');
  }
  const tokens: AccessTokens = hs256AccessTokens({
    secret: config.jwt.secret,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    ttlSeconds: config.jwt.accessTtlSeconds,
  });

  const tasks: Array<() => Promise<void> | void> = [];
  let closing: Promise<void> | undefined;
  const runtime: Runtime = {
    config,
    logger,
    metrics,
    database,
    db: database.db,
    bus,
    tokens,
    onShutdown: (task) => tasks.push(task),
    shutdown(reason) {
      closing ??= (async () => {
        logger.info({ reason }, 'shutting down');
        for (const task of tasks.reverse()) {
          try {
            await task();
          } catch (err) {
            logger.error({ err }, 'shutdown step failed');
          }
        }
        await bus.close();
        await database.close();
      })();
      return closing;
    },
  };
  return runtime;
}

/** Stop cleanly on SIGINT/SIGTERM: finish in-flight work, close pools, then exit. */
export function exitOnSignals(runtime: Runtime): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const timer = setTimeout(() => process.exit(1), 10_000);
      timer.unref();
      runtime.shutdown(signal).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
