import { currentStandings } from '../world/rankings.js';
import type { JobDefinition } from './runner.js';

const INSERT_BATCH = 1_000;

/**
 * Snapshot the leaderboards: every pilot's net worth and experience with both positions, keyed
 * by the window, in one transaction. GET /api/v1/rankings reads the latest snapshot. A window
 * that already has its snapshot is left alone, so a re-run writes nothing. NPC traders are not
 * ranked.
 */
export const rankingsJob: JobDefinition = {
  name: 'rankings',
  summary: 'snapshot the net worth and experience leaderboards',
  every: { ms: 15 * 60_000, clock: 'wall' },
  timeoutMs: 5 * 60_000,
  run(ctx) {
    return ctx.transaction(async (trx) => {
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
  },
};
