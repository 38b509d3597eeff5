import { sql } from 'kysely';
import { GAME_HOUR_MS } from '../game/catalog/time.js';
import type { JobDefinition } from './runner.js';
import { driftedAt } from './port-market.js';

const PAGE = 1_000;

/**
 * Materialize stock drift for port goods nobody has touched, so the prices maps and rankings
 * read are current. Drift stays lazy (every read and trade applies it); this only writes it
 * down. Each good is brought to the window's start, not to now, so re-running a window finds
 * nothing left to do. Pages are locked FOR UPDATE in (port, good) order, the order trades use.
 */
export const marketDriftJob: JobDefinition = {
  name: 'market-drift',
  summary: 'write down the stock drift of port goods nobody traded, up to the window start',
  every: { ms: GAME_HOUR_MS, clock: 'game' },
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const at = ctx.windowStart;
    const atMs = at.getTime();
    const total = await ctx.db
      .selectFrom('port_goods')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('fixed_price', '=', false)
      .where('anchor_at', '<', at)
      .executeTakeFirstOrThrow();
    // Enough pages for every stale row at the start; rows anchored later are not this window's.
    const maxPages = Math.ceil(Number(total.n) / PAGE) + 1;
    let cursor: { portId: number; good: string } | null = null;
    let examined = 0;
    let updated = 0;
    for (let page = 0; page < maxPages; page++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const after: { portId: number; good: string } | null = cursor;
      const result = await ctx.transaction(async (trx) => {
        let query = trx
          .selectFrom('port_goods')
          .selectAll()
          .where('fixed_price', '=', false)
          .where('anchor_at', '<', at)
          .orderBy('port_id')
          .orderBy('good')
          .limit(PAGE)
          .forUpdate();
        if (after) query = query.where(sql<boolean>`(port_id, good) > (${after.portId}, ${after.good})`);
        const rows = await query.execute();
        const changed = rows.map((row) => ({ row, next: driftedAt(row, atMs, ctx.config.gameTimeScale) })).filter(({ row, next }) => next.stock !== row.stock);
        if (changed.length > 0) {
          await sql`
            update port_goods set stock = v.stock, anchor_at = v.anchor_at
            from unnest(${changed.map((c) => c.row.port_id)}::int[], ${changed.map((c) => c.row.good)}::text[],
                        ${changed.map((c) => c.next.stock)}::int[], ${changed.map((c) => new Date(c.next.anchorMs).toISOString())}::timestamptz[])
              as v(port_id, good, stock, anchor_at)
            where port_goods.port_id = v.port_id and port_goods.good = v.good`.execute(trx);
        }
        const last = rows.at(-1);
        return { count: rows.length, changed: changed.length, last: last ? { portId: last.port_id, good: last.good } : null };
      });
      examined += result.count;
      updated += result.changed;
      cursor = result.last;
      if (result.count < PAGE) break;
    }
    return { examined, updated, at: at.toISOString() };
  },
};
