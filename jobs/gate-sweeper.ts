import { sweepTransfers } from '../regions/gate.js';
import type { JobDefinition } from './runner.js';

/**
 * Gate hand-offs left half-way (multi-regional mode): the process driving one died, or the
 * target region's database could not be reached. Each is driven on from where it stopped
 * (regions/gate.ts), so a pilot always ends in exactly one region. Transfers younger than
 * GATE_SWEEP_AFTER_MS are left to the request that is still driving them. Single-server mode
 * has no transfers, and does not schedule the job.
 */
export const gateSweeperJob: JobDefinition = {
  name: 'gate-sweeper',
  summary: 'finish or roll back gate hand-offs between region shards left half-way',
  every: { ms: 2_000, clock: 'wall' },
  timeoutMs: 60_000,
  regionalOnly: true,
  async run(ctx) {
    if (!ctx.regional) return { skipped: 1 };
    const counts = await sweepTransfers(ctx, ctx.config.regions.sweepAfterMs);
    const swept = counts.arrived + counts.rolled_back + counts.in_transit;
    if (swept > 0) ctx.logger.warn(counts, 'gate sweeper drove half-way transfers');
    return counts;
  },
};
