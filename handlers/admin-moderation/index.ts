import type { Context } from 'hono';
import { type AuditEntry, auditView, recordAudit } from '../../platform/audit.js';
import type { Selectable } from 'kysely';
import type { ReportsTable } from '../../platform/db/schema.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, type Bundle, bundleRouter } from '../../platform/http/context.js';
import { renamePilot } from '../../world/admin-people.js';
import { guarded } from '../admin-route.js';
import { deleteMessageRoute, dismissRoute, renameRoute, reportsRoute, resolveRoute } from './routes.js';

type ReportRow = Selectable<ReportsTable>;

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
    const audit = (c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor' | 'requestId'>): AuditEntry => ({
      ...entry,
      actor: { id: c.get('admin').id, name: c.get('admin').name },
      requestId: c.get('requestId'),
    });
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
          audit(c, {
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
            .where('created_at', '=', message.created_at)
            .returning(['id', 'owner_id', 'folder'])
            .execute();
          const entry = await recordAudit(
            trx,
            audit(c, {
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
      .openapi(guarded(deps, renameRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { name, reason } = c.req.valid('json');
        const entry = await renamePilot(deps, id, name, (before, after) =>
          audit(c, { action: 'moderation.rename', target: { type: 'account', id }, before: { name: before }, after: { name: after }, reason }),
        );
        return c.json({ after: { id, name }, audit: auditView(entry) }, 200);
      });
  },
};
