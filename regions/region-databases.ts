import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * The databases the region manager makes for the regions it creates, on one configured
 * PostgreSQL server (REGIONS_DATABASE_SERVER_URL, a role allowed to CREATE DATABASE): one per
 * region, REGIONS_DATABASE_PREFIX + its slug (`sectorwars_nexus`), and its final `pg_dump` when the region is deleted.
 */
const run = promisify(execFile);
const DUPLICATE_DATABASE = '42P04';

export function regionDatabaseName(prefix: string, slug: string): string {
  return `${prefix}${slug.replace(/-/g, '_')}`;
}

/** The server's URL with the database swapped: what the region's processes connect with. */
export function databaseUrlOn(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Create the database; one left by a create that failed half-way is taken as it is (the shard's setup is idempotent). */
export async function createRegionDatabase(serverUrl: string, database: string): Promise<{ created: boolean }> {
  return withServer(serverUrl, async (client) => {
    try {
      await client.query(`create database ${quoteIdent(database)}`);
      return { created: true };
    } catch (err) {
      if ((err as { code?: string }).code === DUPLICATE_DATABASE) return { created: false };
      throw err;
    }
  });
}

/** A plain-SQL dump of the database, written to `dir` (the file's path is returned). */
export async function dumpRegionDatabase(serverUrl: string, database: string, dir: string, at: Date): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${database}-${at.toISOString().replace(/[:.]/g, '-')}.sql`);
  await run('pg_dump', ['--no-owner', '--file', file, databaseUrlOn(serverUrl, database)], { maxBuffer: 16 * 1024 * 1024 });
  return file;
}

/** Drop it, ending the sessions still open on it (its processes are gone by now; a stray pool is not). */
export async function dropRegionDatabase(serverUrl: string, database: string): Promise<void> {
  await withServer(serverUrl, (client) => client.query(`drop database if exists ${quoteIdent(database)} with (force)`));
}

async function withServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a database name we make: ${name}`);
  return `"${name}"`;
}
