import type { Context } from 'hono';
import { sql } from 'kysely';
import { auditView, recordAudit } from '../../platform/audit.js';
import type { Selectable } from 'kysely';
import type { AccountTrx } from '../../platform/db/database.js';
import type { ReportsTable } from '../../platform/db/schema.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, type Bundle, bundleRouter } from '../../platform/http/context.js';
import { renamePilot } from '../../world/admin-people.js';
import { auditEntry, guarded } from '../admin-route.js';
import { deleteMessageRoute, dismissRoute, muteRoute, renameRoute, reportsRoute, resolveRoute, unmuteRoute } from './routes.js';

type ReportRow = Selectable<ReportsTable>;
const HOUR_MS = 3_600_000;

/** Whether an account is muted now, as the audit row shows it. */
async function muteState(db: AccountTrx, userId: string) {
  const row = await db.selectFrom('chat_mutes').select('until').where('user_id', '=', userId).executeTakeFirst();
  const live = row && (row.until === null || new Date(row.until).getTime() > Date.now());
  return { muted: Boolean(live), until: live && row.until ? new Date(row.until).toISOString() : null };
}

/**
 * Moderation (issue 19): the report queue filed from mail and chat (the people feature), resolved
 * or dismissed with a reason, and pilot renames. Each decision and its audit row are one accounts
 * transaction; a rename follows into the region's pilot row.
 */
export const adminModerationBundle: Bundle = {
  name: 'admin-moderation',
  basePath: '/api/v1/admin/moderation',
  create(deps) {
    const db = deps.accounts;
    const names = async (ids: Array<string | null>) => {
      const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
      if (wanted.length === 0) return new Map<string, string>();
      const rows = await db.selectFrom('users').select(['id', 'username']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [r.id, r.username]));
    };
    const view = (r: ReportRow, known: Map<string, string>) => ({
      id: r.id,
      kind: r.kind,
      reporter_id: r.reporter_id,
      reporter: known.get(r.reporter_id) ?? null,
      reported_id: r.reported_id,
      reported: r.reported_id ? (known.get(r.reported_id) ?? null) : null,
      target: r.target,
      reason: r.reason,
      content: (r.content ?? null) as unknown,
      status: r.status,
      created_at: new Date(r.created_at).toISOString(),
    });
    const decide = async (c: Context<AppEnv>, id: number, status: 'resolved' | 'dismissed', reason: string) => {
      const { updated, entry } = await db.transaction().execute(async (trx) => {
        const report = await trx.selectFrom('reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!report) throw new Problem('not_found', { detail: `No report ${id}` });
        if (report.status !== 'open') throw new Problem('request_decided', { detail: `The report is ${report.status} already` });
        const updated = await trx.updateTable('reports').set({ status }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const entry = await recordAudit(
          trx,
          auditEntry(c, {
            action: status === 'resolved' ? 'moderation.report_resolve' : 'moderation.report_dismiss',
            target: { type: 'report', id: String(id) },
            before: { status: report.status },
            after: { status },
            reason,
          }),
        );
        return { updated, entry };
      });
      const known = await names([updated.reporter_id, updated.reported_id]);
      return c.json({ after: view(updated, known), audit: auditView(entry) }, 200);
    };

    return bundleRouter()
      .openapi(guarded(deps, reportsRoute), async (c) => {
        const { status, limit } = c.req.valid('query');
        const rows = await db
          .selectFrom('reports')
          .selectAll()
          .where('status', '=', status)
          .orderBy('id', status === 'open' ? 'asc' : 'desc')
          .limit(limit)
          .execute();
        const known = await names(rows.flatMap((r) => [r.reporter_id, r.reported_id]));
        return c.json({ reports: rows.map((r) => view(r, known)) }, 200);
      })
      .openapi(guarded(deps, resolveRoute), async (c) => decide(c, c.req.valid('param').id, 'resolved', c.req.valid('json').reason))
      .openapi(guarded(deps, dismissRoute), async (c) => decide(c, c.req.valid('param').id, 'dismissed', c.req.valid('json').reason))
      .openapi(guarded(deps, deleteMessageRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const { deleted, entry } = await db.transaction().execute(async (trx) => {
          const message = await trx.selectFrom('messages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
          if (!message) throw new Problem('not_found', { detail: `No message ${id}` });
          // Both copies: the same sender, label, body and moment, one in the sender's sent folder and one in an inbox.
          const copies = await trx
            .deleteFrom('messages')
            .where('from_id', '=', message.from_id)
            .where('to_label', '=', message.to_label)
            .where('body', '=', message.body)
            // compared in the database: a JS Date drops PostgreSQL's microseconds
            .where('created_at', '=', sql<Date>`(select created_at from messages where id = ${id})`)
            .returning(['id', 'owner_id', 'folder'])
            .execute();
          const entry = await recordAudit(
            trx,
            auditEntry(c, {
              action: 'moderation.message_delete',
              target: { type: 'message', id: String(id) },
              before: { from: message.from_name, to: message.to_label, subject: message.subject, body: message.body, copies: copies.map((m) => m.id) },
              after: { deleted: copies.length },
              reason,
            }),
          );
          return { deleted: copies.length, entry };
        });
        return c.json({ after: { deleted }, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, muteRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { hours, reason } = c.req.valid('json');
        if (id === c.get('admin').id) throw new Problem('cannot_target_self', { detail: 'A moderator does not mute themselves' });
        const until = hours === undefined ? null : new Date(Date.now() + hours * HOUR_MS);
        const entry = await db.transaction().execute(async (trx) => {
          const user = await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
          if (!user) throw new Problem('not_found', { detail: 'No such account' });
          const before = await muteState(trx, id);
          await trx
            .insertInto('chat_mutes')
            .values({ user_id: id, until, reason, muted_by: c.get('admin').id })
            .onConflict((oc) => oc.column('user_id').doUpdateSet({ until, reason, muted_by: c.get('admin').id }))
            .execute();
          const after = { muted: true, until: until ? until.toISOString() : null };
          return recordAudit(
            trx,
            auditEntry(c, { action: hours === undefined ? 'moderation.chat_ban' : 'moderation.mute', target: { type: 'account', id }, before, after, reason }),
          );
        });
        return c.json({ after: { muted: true, until: until ? until.toISOString() : null }, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, unmuteRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const entry = await db.transaction().execute(async (trx) => {
          const user = await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
          if (!user) throw new Problem('not_found', { detail: 'No such account' });
          const before = await muteState(trx, id);
          await trx.deleteFrom('chat_mutes').where('user_id', '=', id).execute();
          return recordAudit(
            trx,
            auditEntry(c, { action: 'moderation.unmute', target: { type: 'account', id }, before, after: { muted: false, until: null }, reason }),
          );
        });
        return c.json({ after: { muted: false, until: null }, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, renameRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { name, reason } = c.req.valid('json');
        const entry = await renamePilot(deps, id, name, (before, after) =>
          auditEntry(c, { action: 'moderation.rename', target: { type: 'account', id }, before: { name: before }, after: { name: after }, reason }),
        );
        return c.json({ after: { id, name }, audit: auditView(entry) }, 200);
      });
  },
};
