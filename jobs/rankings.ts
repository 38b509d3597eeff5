import { currentStandings, publishRegionStandings } from '../world/rankings.js';
import type { JobDefinition } from './runner.js';

const INSERT_BATCH = 1_000;

/**
 * Snapshot the leaderboards: every pilot's net worth and experience with both positions, keyed
 * by the window, in one transaction. GET /api/v1/rankings reads the latest snapshot. A window
 * that already has its snapshot is left alone, so a re-run writes nothing. NPC traders are not
 * ranked. In multi-regional mode the window's snapshot then replaces this region's rows on the
 * nexus, where the leaderboards merge every region's (again on a re-run, so a crash in between
 * is made good by the next run).
 */
export const rankingsJob: JobDefinition = {
  name: 'rankings',
  summary: 'snapshot the net worth and experience leaderboards',
  every: { ms: 15 * 60_000, clock: 'wall' },
  timeoutMs: 5 * 60_000,
  async run(ctx) {
    const stats = await ctx.transaction(async (trx) => {
      const existing = await trx.selectFrom('ranking_snapshots').select('user_id').where('window_start', '=', ctx.windowStart).limit(1).executeTakeFirst();
      if (existing) return { ranked: 0, already_snapshotted: true };
      const rows = (await currentStandings(trx)).map((standing) => ({ window_start: ctx.windowStart, ...standing }));
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        await trx
          .insertInto('ranking_snapshots')
          .values(rows.slice(i, i + INSERT_BATCH))
          .execute();
      }
      return { ranked: rows.length, already_snapshotted: false };
    });
    const region = ctx.config.regions.region;
    if (region === undefined) return stats; // single-server mode: nothing to merge

    return { ...stats, published: await publishRegionStandings(ctx, region, ctx.windowStart) };
  },
};
