import type { Migration } from 'kysely';
import * as accounts from './0001_accounts.js';
import * as universe from './0002_universe.js';
import * as jobs from './0003_jobs.js';

/**
 * Every migration, in order. Listed here rather than read from the folder so the same set runs
 * under tsx, compiled output and bundlers alike. Forward-only: a shipped migration is never edited.
 */
export const migrations: Record<string, Migration> = {
  '0001_accounts': accounts,
  '0002_universe': universe,
  '0003_jobs': jobs,
};
