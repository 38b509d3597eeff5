import type { Bus } from './bus/index.js';
import { type AccountDb, pingDatabase, type RegionDb } from './db/database.js';

export interface Readiness {
  httpStatus: 200 | 503;
  body: { status: 'ready' | 'degraded' | 'unavailable'; database: 'ok' | 'down'; bus: 'ok' | 'down' };
}

/**
 * Ready while the databases answer (accounts and region: one in single-server mode, two when the
 * region is a shard of its own). Without the bus the API still serves sign-in and the game
 * (the bus is a cache and a relay), so load balancers keep routing to it: 200 `degraded`, with
 * the bus `down`. Without the database nothing works: 503 `unavailable`.
 */
export async function readiness(deps: { accounts: AccountDb; region: RegionDb; bus: Bus }): Promise<Readiness> {
  const checks = await Promise.allSettled([Promise.all([pingDatabase(deps.accounts), pingDatabase(deps.region)]), deps.bus.ping()]);
  const [database, bus] = checks.map((r) => (r.status === 'fulfilled' ? 'ok' : 'down') as 'ok' | 'down') as ['ok' | 'down', 'ok' | 'down'];
  const status = database === 'down' ? 'unavailable' : bus === 'down' ? 'degraded' : 'ready';
  return { httpStatus: database === 'ok' ? 200 : 503, body: { status, database, bus } };
}
