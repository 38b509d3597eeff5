import type { AccountDb, AccountTrx } from './db/database.js';
import type { AdminAuditRow } from './db/schema.js';
import { Problem } from './errors.js';

/**
 * The admin audit log: one row per admin change, never updated or deleted (a trigger refuses
 * both). An account-side change writes its row in its own transaction; a change to game state
 * writes it in the region transaction (world/audit-outbox.ts), from where it is moved here.
 * Every admin bundle writes through `recordAudit`, so the rows read alike whatever the area.
 */
export interface AuditEntry {
  /** who: an admin account, or the CLI on the server itself (id null) */
  actor: { id: string | null; name: string };
  /** what, as `area.verb`: `player.ban`, `player.credits`, `scopes.grant`, … */
  action: string;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  /** required for credits, bans and universe changes (the routes' schemas require it) */
  reason?: string | null;
  requestId?: string | null;
}

/**
 * Append one row. `moved` names the region audit-outbox row it comes from (its id and the time of
 * the change): inserting the same one twice leaves one row, and answers it.
 */
export async function recordAudit(db: AccountDb | AccountTrx, entry: AuditEntry, moved?: { sourceId: string; at: Date }): Promise<AdminAuditRow> {
  const inserted = await db
    .insertInto('admin_audit')
    .values({
      ...(moved ? { source_id: moved.sourceId, at: moved.at } : {}),
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      target_type: entry.target.type,
      target_id: entry.target.id,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      reason: entry.reason ?? null,
      request_id: entry.requestId ?? null,
    })
    .onConflict((oc) => oc.column('source_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  return db.selectFrom('admin_audit').selectAll().where('source_id', '=', moved!.sourceId).executeTakeFirstOrThrow();
}

export interface AuditFilter {
  actor?: string | undefined;
  target?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A page of the log, newest first; the cursor is opaque (the last id seen) and refused with 422 if it is not ours. */
export async function auditPage(
  db: AccountDb,
  filter: AuditFilter,
  cursor: string | undefined,
  limit: number,
): Promise<{ rows: AdminAuditRow[]; next: string | null }> {
  let query = db.selectFrom('admin_audit').selectAll();
  if (filter.actor) query = query.where('actor_id', '=', filter.actor);
  if (filter.target) query = query.where('target_id', '=', filter.target);
  if (filter.action)
    query = filter.action.endsWith('.*') ? query.where('action', 'like', `${filter.action.slice(0, -1)}%`) : query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', new Date(filter.from));
  if (filter.to) query = query.where('at', '<', new Date(filter.to));
  if (cursor) query = query.where('id', '<', decodeAuditCursor(cursor));
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? encodeAuditCursor(page[page.length - 1]!.id) : null };
}

export function encodeAuditCursor(id: number): string {
  return Buffer.from(JSON.stringify({ v: 1, audit: id })).toString('base64url');
}

function decodeAuditCursor(text: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; audit?: unknown };
    if (parsed.v === 1 && Number.isSafeInteger(parsed.audit) && (parsed.audit as number) > 0) return parsed.audit as number;
  } catch {
    // falls through to the refusal
  }
  throw new Problem('invalid_cursor');
}

/** The audit row as the API shows it. */
export function auditView(row: AdminAuditRow) {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor_id: row.actor_id,
    actor_name: row.actor_name,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    before: row.before ?? null,
    after: row.after ?? null,
    reason: row.reason,
    request_id: row.request_id,
  };
}
