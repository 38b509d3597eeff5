import { randomUUID } from 'node:crypto';
import { type AuditEntry, recordAudit } from '../platform/audit.js';
import type { AccountDb, RegionDb, RegionTrx } from '../platform/db/database.js';
import type { AdminAuditRow } from '../platform/db/schema.js';

/**
 * The audit outbox. An admin change to game state commits in the region database, its audit log
 * lives in the accounts database, and no transaction spans both: so the audit row is written in
 * the region transaction that makes the change, and moved after it. The request moves its own row
 * right after commit and answers it; the outbox-relay job moves what a dead process left. A row
 * is inserted with its outbox id (unique there) before it is deleted here, so a crash between
 * the two moves it again and lands it once: no change without its row, no row twice.
 */
export async function stageAudit(trx: RegionTrx, entry: AuditEntry): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('audit_outbox')
    .values({ id, entry: JSON.stringify(entry) })
    .execute();
  return id;
}

export interface AuditStores {
  region: RegionDb;
  accounts: AccountDb;
}

/**
 * Move staged rows to the audit log: the ones named, or (none named) those staged before
 * `before`, oldest first, at most `limit`. No lock is held across the two databases (embedded,
 * they are one session): two movers racing over a row both insert it, the unique source id keeps
 * one, and both delete it. Answers the rows as the log has them.
 */
export async function moveAudit(stores: AuditStores, which: { ids: string[] } | { before: Date; limit: number }): Promise<AdminAuditRow[]> {
  if ('ids' in which && which.ids.length === 0) return [];
  const query = stores.region.selectFrom('audit_outbox').select(['id', 'at', 'entry']).orderBy('at').orderBy('id');
  const staged = await ('ids' in which ? query.where('id', 'in', which.ids) : query.where('at', '<', which.before).limit(which.limit)).execute();
  const moved: AdminAuditRow[] = [];
  for (const row of staged) moved.push(await recordAudit(stores.accounts, row.entry as AuditEntry, { sourceId: row.id, at: new Date(row.at) }));
  if (staged.length > 0)
    await stores.region
      .deleteFrom('audit_outbox')
      .where(
        'id',
        'in',
        staged.map((r) => r.id),
      )
      .execute();
  return moved;
}

/** Move one staged row, right after the change that staged it committed. */
export async function moveOwnAudit(stores: AuditStores, id: string): Promise<AdminAuditRow> {
  const [row] = await moveAudit(stores, { ids: [id] });
  if (row) return row;
  // Moved by the relay in between (it takes rows older than its grace only, so this is rare).
  return stores.accounts.selectFrom('admin_audit').selectAll().where('source_id', '=', id).executeTakeFirstOrThrow();
}
