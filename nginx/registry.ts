import pg from 'pg';
import { type BundlePool, type GatewayOptions, type RegistryRow, regionRoutesFromRegistry } from './render.js';

/**
 * The gateway's pools as the region registry on the nexus lists them (multi-regional mode): each
 * region at /r/<slug>/, and the unprefixed /api/ and /ws on the start region (the lowest id,
 * Terran Space, where pilots begin). Read with a plain query: the gateway's renderer needs no
 * runtime, only the accounts database's address.
 */
export async function gatewayPoolsFromRegistry(accountsUrl: string): Promise<Pick<GatewayOptions, 'apiServers' | 'realtimeServers' | 'regions'>> {
  const client = new pg.Client({ connectionString: accountsUrl });
  await client.connect();
  let rows: RegistryRow[];
  try {
    rows = (await client.query<RegistryRow>("select slug, api_urls, realtime_urls from region_registry where state = 'active' order by id")).rows;
  } finally {
    await client.end();
  }
  return gatewayPools(rows);
}

/** The pools of the active registry rows, in id order: the first is the start region. */
export function gatewayPools(rows: ReadonlyArray<RegistryRow>): Pick<GatewayOptions, 'apiServers' | 'realtimeServers' | 'regions'> {
  const regions = regionRoutesFromRegistry(rows);
  const start = regions[0];
  if (!start) throw new Error('the region registry lists no active region with api and realtime addresses');
  return { apiServers: start.apiServers, realtimeServers: start.realtimeServers, regions };
}

/** The region manager's admin API on the gateway: /api/v1/admin/regions to the `regions` process. */
export function managerPool(address: string): BundlePool {
  return { name: 'regions', basePath: '/api/v1/admin/regions', servers: [address] };
}
