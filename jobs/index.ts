import type { JobName } from './names.js';
import { cleanupJob } from './cleanup.js';
import { marketDriftJob } from './market-drift.js';
import { npcTradersJob } from './npc-traders.js';
import { npcPatrolsJob } from './npc-patrols.js';
import { outboxRelayJob } from './outbox-relay.js';
import { planetProductionJob } from './planet-production.js';
import { economySnapshotsJob } from './economy-snapshots.js';
import { gateSweeperJob } from './gate-sweeper.js';
import { rankingsJob } from './rankings.js';
import { teamTransfersJob } from './team-transfers.js';
import type { JobDefinition } from './runner.js';

/** Every background job, one file each. `sectorwars jobs` schedules them all. */
export const JOBS: readonly JobDefinition[] = [
  outboxRelayJob,
  marketDriftJob,
  npcTradersJob,
  rankingsJob,
  cleanupJob,
  teamTransfersJob,
  npcPatrolsJob,
  planetProductionJob,
  economySnapshotsJob,
  gateSweeperJob,
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === (name as JobName));
}
