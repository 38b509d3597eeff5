import { openBuses } from './bus/index.js';
import { type Config, loadConfig } from './config.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './db/database.js';
import type { Deps } from './deps.js';
import { createLogger } from './logger.js';
import { createMetrics, observePool } from './metrics.js';
import { OutboxPublisher } from './outbox.js';
import { publicView } from './keys.js';
import { type AccessTokens, accessTokensFor, keyRingFor } from './tokens.js';

/** Everything a role needs, opened once, closed in reverse on shutdown. */
export interface Runtime extends Deps {
  database: DatabaseHandle;
  onShutdown(task: () => Promise<void> | void): void;
  shutdown(reason: string): Promise<void>;
}

/** `verifyOnly`: the process verifies access tokens with public keys and can sign none (realtime). */
export async function openRuntime(role: string, options: { migrate?: boolean; config?: Config; verifyOnly?: boolean } = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const logger = createLogger(config, role);
  const metrics = createMetrics(role);
  const database = await openDatabase(config);
  const { bus, nexusBus } = openBuses(config, (err) => logger.warn({ err: err.message }, 'bus connection error'));
  if (database.pool) observePool(metrics, database.pool);
  if (options.migrate) {
    const results = await migrateToLatest(database);
    const applied = results.flatMap((result) => result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []);
    logger.info({ applied, backend: database.backend }, applied.length ? 'migrations applied' : 'schema up to date');
  }
  const ring = keyRingFor(config);
  const tokens: AccessTokens = accessTokensFor(config, options.verifyOnly ? publicView(ring) : ring);
  const outbox = new OutboxPublisher(database.region, bus, logger, { stamps: config.eventStamps, nexusBus, origin: config.regions.region });

  const tasks: Array<() => Promise<void> | void> = [];
  let closing: Promise<void> | undefined;
  const runtime: Runtime = {
    config,
    logger,
    metrics,
    database,
    accounts: database.accounts,
    region: database.region,
    bus,
    nexusBus,
    tokens,
    outbox,
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
        await outbox.close();
        await bus.close();
        if (nexusBus !== bus) await nexusBus.close();
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
