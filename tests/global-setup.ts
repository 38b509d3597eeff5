import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../platform/db/database.js';
import { createLogger } from '../platform/logger.js';
import { generateUniverse } from '../regions/default-world.js';
import { TEST_GALAXY } from './test-galaxy.js';

/**
 * One fresh PostgreSQL database per test run (when DATABASE_URL names a server), migrated and
 * holding the test galaxy; each test app clones it (CREATE DATABASE … TEMPLATE) so files never
 * see each other's trades. One Redis key prefix per run (when REDIS_URL is set). All of it is
 * removed afterwards. Without the URLs, tests run on embedded defaults: PGlite in memory and
 * the in-process bus.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const baseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  let testDatabaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;

  if (baseUrl) {
    const name = `sectorwars_test_${runId}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    testDatabaseUrl = url.toString();
    const handle = await openDatabase({ databaseUrl: testDatabaseUrl, databasePoolSize: 2, dataDir: '' });
    await migrateToLatest(handle);
    await generateUniverse(handle.region, createLogger({ logLevel: 'silent' }, 'test'), TEST_GALAXY);
    await handle.close();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }

  const redisPrefix = `swtest:${runId}:`;
  project.provide('testDatabaseUrl', testDatabaseUrl ?? '');
  project.provide('testRedisUrl', redisUrl ?? '');
  project.provide('testRedisPrefix', redisPrefix);

  return async () => {
    await dropDatabase?.();
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseUrl: string;
    testRedisUrl: string;
    testRedisPrefix: string;
  }
}
