import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, migrateSet, openDatabase } from '../platform/db/database.js';
import { addRegion } from '../regions/registry.js';
import { testBackends } from './harness.js';

/**
 * A scratch nexus on the run's PostgreSQL for the region manager's suites: an accounts database
 * with Terran registered (run elsewhere: the manager only shows it) and a small galaxy plan whose
 * Central Nexus the manager creates; dropped again, with the database the manager made for it.
 */
const mainUrl = testBackends().databaseUrl;
export const SERVER_URL = mainUrl ? serverOf(mainUrl) : '';

export interface Nexus {
  suffix: string;
  accountsUrl: string;
  terranUrl: string;
  /** REGIONS_DATABASE_PREFIX for this nexus: the manager's databases are this run's alone */
  databasePrefix: string;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** A scratch nexus with Terran registered (run elsewhere: the manager only shows it) and a small galaxy plan. */
export async function createNexus(): Promise<Nexus> {
  const suffix = randomBytes(4).toString('hex');
  const databasePrefix = `sw_mgr_${suffix}_`;
  const accountsUrl = await createDatabase(`sw_mgr_acc_${suffix}`);
  const terranUrl = await createDatabase(`sw_mgr_ter_${suffix}`);
  const handle = await openDatabase({ databaseUrl: accountsUrl, databasePoolSize: 4, dataDir: '' });
  await migrateSet(handle.accounts, 'accounts');
  await addRegion(handle.accounts, { slug: 'terran', databaseUrl: terranUrl, plan: { seed: `mgr-${suffix}`, terranSectors: 30, nexusSectors: 30 } });
  return {
    suffix,
    accountsUrl,
    terranUrl,
    databasePrefix,
    handle,
    close: async () => {
      await handle.close();
      await dropDatabase(`sw_mgr_acc_${suffix}`);
      await dropDatabase(`sw_mgr_ter_${suffix}`);
      await dropDatabase(`${databasePrefix}nexus`);
    },
  };
}

function serverOf(url: string): string {
  const server = new URL(url);
  server.pathname = '/postgres';
  return server.toString();
}

export async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<string> {
  await withServer((c) => c.query(`create database ${name}`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  await withServer((c) => c.query(`drop database if exists ${name} with (force)`));
}
