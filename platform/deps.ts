import type { Bus } from './bus/index.js';
import type { Config } from './config.js';
import type { AccountDb, RegionDb } from './db/database.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { OutboxPublisher } from './outbox.js';
import type { AccessTokens } from './tokens.js';
import type { Regional } from './regional.js';

/** A process's shared runtime, which handler bundles, jobs and realtime are built from. */
export interface Deps {
  config: Config;
  /** users, sessions: the accounts database (with the Central Nexus) */
  accounts: AccountDb;
  /** the universe and the pilots' state: this region's database */
  region: RegionDb;
  /** this region's bus: its outbox events, tickets, presence, caches */
  bus: Bus;
  /**
   * What crosses regions (platform/bus/index.ts `openBuses`): the same object as `bus` in
   * single-server mode. Absent where a process opens only one bus (tools, contract generation).
   */
  nexusBus?: Bus;
  logger: Logger;
  metrics: Metrics;
  tokens: AccessTokens;
  /** publishes committed events and marks them published in batches */
  outbox: OutboxPublisher;
  /** multi-regional mode only: this process's region and the way to the others (regions/registry.ts) */
  regional?: Regional;
}
