import { toEnvelope } from '../platform/outbox.js';
import { moveAudit } from '../world/audit-outbox.js';
import type { JobDefinition } from './runner.js';

/** Rows younger than this are left to the action that wrote them, which publishes right after commit. */
const GRACE_MS = 2_000;
const BATCH = 500;
/** At most this many batches a window; what is left waits for the next window. */
const MAX_BATCHES = 40;
const PRUNE_BATCH = 5_000;
const MAX_PRUNE_BATCHES = 20;

/**
 * Publish outbox rows that were committed but never published (the process died between its
 * commit and its publish, or the bus was down), move admin audit rows staged with a change and
 * never moved to the accounts database (the same crash), then prune rows published longer ago
 * than OUTBOX_RETENTION_HOURS (the resume feed's reach).
 * Rows are taken FOR UPDATE SKIP LOCKED and marked in the same transaction, so two relays never
 * publish the same row; a crash between publish and commit publishes again (at-least-once;
 * clients drop duplicates by event id).
 */
export const outboxRelayJob: JobDefinition = {
  name: 'outbox-relay',
  summary: 'publish committed but unpublished outbox events; prune published ones past retention',
  every: { ms: 5_000, clock: 'wall' },
  timeoutMs: 60_000,
  async run(ctx) {
    const cutoff = new Date(ctx.windowStart.getTime() - GRACE_MS);
    let published = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const count = await ctx.transaction(async (trx) => {
        const rows = await trx
          .selectFrom('outbox')
          .select(['id', 'topic', 'type', 'data', 'created_at'])
          .where('published_at', 'is', null)
          .where('created_at', '<', cutoff)
          .orderBy('id')
          .limit(BATCH)
          .forUpdate()
          .skipLocked()
          .execute();
        await ctx.outbox.publishAndMark(trx, rows.map(toEnvelope));
        return rows.length;
      });
      published += count;
      if (count < BATCH) break;
    }
    if (published > 0) ctx.logger.warn({ published }, 'relayed events their writer had not published');

    let auditMoved = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const count = (await moveAudit(ctx, { before: cutoff, limit: BATCH })).length;
      auditMoved += count;
      if (count < BATCH) break;
    }
    if (auditMoved > 0) ctx.logger.warn({ audit_moved: auditMoved }, 'moved admin audit rows their writer had not moved');

    const retention = new Date(ctx.windowStart.getTime() - ctx.config.jobs.outboxRetentionHours * 3_600_000);
    let pruned = 0;
    for (let batch = 0; batch < MAX_PRUNE_BATCHES; batch++) {
      const count = await ctx.transaction(async (trx) => {
        const result = await trx
          .deleteFrom('outbox')
          .where('id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('published_at', '<', retention).orderBy('published_at').limit(PRUNE_BATCH))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      pruned += count;
      if (count < PRUNE_BATCH) break;
    }
    const left = await ctx.region
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .where('created_at', '<', cutoff)
      .executeTakeFirstOrThrow();
    return { published, audit_moved: auditMoved, pruned, unpublished_left: Number(left.n) };
  },
};
