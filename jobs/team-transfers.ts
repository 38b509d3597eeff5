import { settleTransfers } from '../world/teams.js';
import type { JobDefinition } from './runner.js';

/** Transfers younger than this are left to the request that recorded them, which drives them at once. */
const GRACE_MS = 30_000;
const BATCH = 200;

/**
 * Finish treasury transfers a crash left pending (world/teams.ts driveTransfer): the pilot's side
 * is applied once under the transfer's key, the treasury's side settled once. Driving a transfer
 * again changes nothing, so the job needs no fence of its own: a second run, or a request
 * driving the same transfer at the same time, finds it done.
 */
export const teamTransfersJob: JobDefinition = {
  name: 'team-transfers',
  summary: 'finish team treasury transfers a crash left half done',
  every: { ms: 60_000, clock: 'wall' },
  timeoutMs: 60_000,
  async run(ctx) {
    // The wall clock, not the window: a crash is repaired whenever the job next runs.
    const before = new Date(ctx.now.getTime() - GRACE_MS);
    const world = { region: ctx.region, accounts: ctx.accounts, outbox: ctx.outbox, logger: ctx.logger };
    const { done, failed } = await settleTransfers(world, { before, limit: BATCH });
    if (done + failed > 0) ctx.logger.warn({ done, failed }, 'finished team transfers a crash had left pending');
    return { settled: done, failed };
  },
};
