import type { Migration } from 'kysely';
import * as universe from './0001_universe.js';
import * as jobs from './0002_jobs.js';
import * as engine from './0003_engine.js';
import * as arms from './0004_arms.js';
import * as territory from './0005_territory.js';
import * as planets from './0006_planets.js';
import * as adminUniverse from './0007_admin_universe.js';
import * as auditOutbox from './0008_audit_outbox.js';
import * as gate from './0009_gate.js';

/** A region database's migrations, in order: the universe, the players' state in it, its jobs. */
export const regionMigrations: Record<string, Migration> = {
  '0001_universe': universe,
  '0002_jobs': jobs,
  '0003_engine': engine,
  '0004_arms': arms,
  '0005_territory': territory,
  '0006_planets': planets,
  '0007_admin_universe': adminUniverse,
  '0008_audit_outbox': auditOutbox,
  '0009_gate': gate,
};
