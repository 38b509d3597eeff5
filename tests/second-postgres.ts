/** The tests' name for a scratch PostgreSQL server: a region shard's database "on another server". */
export {
  hasPostgresServer,
  type ScratchPostgres as SecondPostgres,
  startScratchPostgres as startSecondPostgres,
} from '../platform/db/scratch-postgres.js';
