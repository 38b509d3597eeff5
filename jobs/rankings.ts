import { netWorth } from '../game/net-worth.js';
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
      const pilots = await trx
        .selectFrom('players')
        .innerJoin('ships', 'ships.id', 'players.ship_id')
        .select([
          'players.user_id',
          'players.name',
          'players.credits',
          'players.experience',
          'ships.hull',
          'ships.cargo_ore',
          'ships.cargo_organics',
          'ships.cargo_equipment',
          'ships.cargo_colonists',
        ])
        .where('players.npc', '=', false)
        .execute();
      const ranked = pilots.map((p) => ({
        user_id: p.user_id,
        name: p.name,
        experience: p.experience,
        net_worth: netWorth({
          credits: p.credits,
          hull: p.hull,
          cargo: { ore: p.cargo_ore, organics: p.cargo_organics, equipment: p.cargo_equipment, colonists: p.cargo_colonists },
        }),
      }));
      // Ties go to the name, as on the live leaderboard.
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      const networthPosition = new Map([...ranked].sort((a, b) => b.net_worth - a.net_worth || byName(a, b)).map((p, i) => [p.user_id, i + 1]));
      const experiencePosition = new Map([...ranked].sort((a, b) => b.experience - a.experience || byName(a, b)).map((p, i) => [p.user_id, i + 1]));
      const rows = ranked.map((p) => ({
        window_start: ctx.windowStart,
        ...p,
        networth_position: networthPosition.get(p.user_id)!,
        experience_position: experiencePosition.get(p.user_id)!,
      }));
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
