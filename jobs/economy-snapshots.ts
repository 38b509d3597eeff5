import { pricesNow } from '../world/admin-economy.js';
import type { JobDefinition } from './runner.js';

/**
 * Price history (issue 19, the economy admin view): once an hour, each good's price band across
 * the ports that trade it (lowest, highest, mean unit price, per side), as the markets stand at
 * the window's time. Fenced like every job (ctx.transaction) and idempotent per window: a window
 * that has its snapshot is left alone.
 */
export const economySnapshotsJob: JobDefinition = {
  name: 'economy-snapshots',
  summary: 'snapshot each good’s price band across the ports (price history)',
  every: { ms: 60 * 60_000, clock: 'wall' },
  timeoutMs: 5 * 60_000,
  run(ctx) {
    return ctx.transaction(async (trx) => {
      const existing = await trx.selectFrom('price_snapshots').select('good').where('window_start', '=', ctx.windowStart).limit(1).executeTakeFirst();
      if (existing) return { goods: 0, already_snapshotted: true };
      const bands = await pricesNow(trx, ctx.windowStart.getTime(), ctx.config.gameTimeScale);
      if (bands.length > 0) {
        await trx
          .insertInto('price_snapshots')
          .values(
            bands.map((b) => ({
              window_start: ctx.windowStart,
              good: b.good,
              port_side: b.port_side,
              ports: b.ports,
              min_price: b.min,
              max_price: b.max,
              mean_price: b.mean,
            })),
          )
          .execute();
      }
      return { goods: bands.length, already_snapshotted: false };
    });
  },
};
