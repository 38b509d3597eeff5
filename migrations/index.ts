import type { Migration } from 'kysely';
import { accountMigrations } from './accounts/index.js';
import { regionMigrations } from './region/index.js';

/**
 * Two migration sets, one per database: accounts (with the Central Nexus) and region (one per
 * region shard). Listed rather than read from the folders so the same sets run under tsx,
 * compiled output and bundlers alike. Forward-only: a shipped migration is never edited.
 */
export const MIGRATION_SETS = {
  accounts: { migrations: accountMigrations, table: 'accounts_migrations', lockTable: 'accounts_migrations_lock' },
  region: { migrations: regionMigrations, table: 'region_migrations', lockTable: 'region_migrations_lock' },
} as const satisfies Record<string, { migrations: Record<string, Migration>; table: string; lockTable: string }>;

/**
 * Before the split, one set ran from `schema_migrations`. A database migrated then is adopted:
 * each old migration is recorded under its new set and name, so nothing runs twice.
 */
export const LEGACY_MIGRATIONS = {
  table: 'schema_migrations',
  lockTable: 'schema_migrations_lock',
  renamed: {
    '0001_accounts': { set: 'accounts', name: '0001_users' },
    '0002_universe': { set: 'region', name: '0001_universe' },
    '0003_jobs': { set: 'region', name: '0002_jobs' },
  },
} as const;
