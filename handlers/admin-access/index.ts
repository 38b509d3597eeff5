import type { Context } from 'hono';
import { sql } from 'kysely';
import { ADMIN_SCOPE_DESCRIPTIONS, ADMIN_SCOPES, type AdminScope, adminScopesOf } from '../../platform/admin-scopes.js';
import { auditPage, auditView, recordAudit } from '../../platform/audit.js';
import type { AccountTrx } from '../../platform/db/database.js';
import type { ScopeRequestsTable } from '../../platform/db/schema.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, type Bundle, bundleRouter } from '../../platform/http/context.js';
import type { Selectable } from 'kysely';
import { auditEntry, guarded } from '../admin-route.js';
import { approveRoute, auditRoute, grantRoute, listRequestsRoute, meRoute, rejectRoute, requestScopesRoute, revokeRoute, scopesRoute } from './routes.js';

/**
 * The audit log and scope management (issue 19). Two rules hold everywhere here: nobody grants,
 * revokes or approves a scope they do not hold, and nobody approves their own request (the
 * database's CHECK says so too). Every change writes its audit row in its own transaction.
 */
export const adminAccessBundle: Bundle = {
  name: 'admin-access',
  basePath: '/api/v1/admin',
  create(deps) {
    const db = deps.accounts;
    const mustHold = (c: Context<AppEnv>, scopes: readonly string[]) => {
      const missing = scopes.filter((s) => !c.get('admin').scopes.includes(s as AdminScope));
      if (missing.length > 0) throw new Problem('scope_not_held', { detail: `You do not hold ${missing.join(', ')}`, missing });
    };
    /** Change an account's scopes under its row lock; the audit row in the same transaction. */
    const changeScopes = async (trx: AccountTrx, userId: string, change: (held: string[]) => string[]) => {
      const user = await trx.selectFrom('users').select(['scopes']).where('id', '=', userId).forUpdate().executeTakeFirst();
      if (!user) throw new Problem('not_found', { detail: 'No such account' });
      const after = change(user.scopes);
      await trx.updateTable('users').set({ scopes: after }).where('id', '=', userId).execute();
      return { before: user.scopes, after };
    };
    const requestView = async (row: Selectable<ScopeRequestsTable>) => {
      const user = await db.selectFrom('users').select('username').where('id', '=', row.user_id).executeTakeFirst();
      return {
        id: Number(row.id),
        user_id: row.user_id,
        username: user?.username ?? '',
        scopes: row.scopes,
        reason: row.reason,
        requested_by: row.requested_by,
        status: row.status,
        decided_by: row.decided_by,
        created_at: new Date(row.created_at).toISOString(),
        decided_at: row.decided_at ? new Date(row.decided_at).toISOString() : null,
      };
    };
    /** Decide a pending request, locked so two admins cannot both decide it. */
    const decide = async (c: Context<AppEnv>, id: number, status: 'approved' | 'rejected', reason: string | null) => {
      const adminId = c.get('admin').id;
      const result = await db.transaction().execute(async (trx) => {
        const request = await trx.selectFrom('scope_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!request) throw new Problem('not_found', { detail: 'No such request' });
        if (request.status !== 'pending') throw new Problem('request_decided', { detail: `It was ${request.status}` });
        if (request.requested_by === adminId) throw new Problem('self_approval');
        let scopes: { before: string[]; after: string[] } | undefined;
        if (status === 'approved') {
          mustHold(c, request.scopes);
          scopes = await changeScopes(trx, request.user_id, (held) => union(held, request.scopes));
        }
        const decided = await trx
          .updateTable('scope_requests')
          .set({ status, decided_by: adminId, decided_at: sql`now()` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const entry = await recordAudit(
          trx,
          auditEntry(c, {
            action: status === 'approved' ? 'scopes.approve' : 'scopes.reject',
            target: { type: 'account', id: request.user_id },
            before: { request: id, status: 'pending', ...(scopes ? { scopes: scopes.before } : {}) },
            after: { request: id, status, ...(scopes ? { scopes: scopes.after } : {}) },
            reason: reason ?? request.reason,
          }),
        );
        return { decided, entry };
      });
      return { request: await requestView(result.decided), audit: auditView(result.entry) };
    };

    return bundleRouter()
      .openapi(guarded(deps, meRoute), (c) => {
        const admin = c.get('admin');
        return c.json({ id: admin.id, username: admin.name, scopes: admin.scopes, totp_enrolled: true as const }, 200);
      })
      .openapi(guarded(deps, auditRoute), async (c) => {
        const { cursor, limit, ...filter } = c.req.valid('query');
        const page = await auditPage(db, filter, cursor, limit);
        return c.json({ entries: page.rows.map(auditView), next: page.next }, 200);
      })
      .openapi(guarded(deps, scopesRoute), async (c) => {
        const admins = await db
          .selectFrom('users')
          .select(['id', 'username', 'scopes', 'totp_enabled_at'])
          .where(sql<boolean>`scopes && ${sql.val([...ADMIN_SCOPES])}::text[]`)
          .orderBy(sql`lower(username)`)
          .execute();
        return c.json(
          {
            catalog: ADMIN_SCOPES.map((scope) => ({ scope, description: ADMIN_SCOPE_DESCRIPTIONS[scope] })),
            yours: c.get('admin').scopes,
            admins: admins.map((a) => ({ id: a.id, username: a.username, scopes: adminScopesOf(a.scopes), totp_enrolled: a.totp_enabled_at !== null })),
          },
          200,
        );
      })
      .openapi(guarded(deps, grantRoute), async (c) => {
        const { user_id, scopes, reason } = c.req.valid('json');
        if (user_id === c.get('admin').id) throw new Problem('cannot_target_self', { detail: 'Ask another admin, or file a request' });
        mustHold(c, scopes);
        const result = await db.transaction().execute(async (trx) => {
          const changed = await changeScopes(trx, user_id, (held) => union(held, scopes));
          const entry = await recordAudit(
            trx,
            auditEntry(c, {
              action: 'scopes.grant',
              target: { type: 'account', id: user_id },
              before: { scopes: changed.before },
              after: { scopes: changed.after },
              reason,
            }),
          );
          return { changed, entry };
        });
        return c.json({ after: { user_id, scopes: result.changed.after }, audit: auditView(result.entry) }, 200);
      })
      .openapi(guarded(deps, revokeRoute), async (c) => {
        const { user_id, scopes, reason } = c.req.valid('json');
        mustHold(c, scopes);
        const result = await db.transaction().execute(async (trx) => {
          const changed = await changeScopes(trx, user_id, (held) => held.filter((s) => !(scopes as string[]).includes(s)));
          const entry = await recordAudit(
            trx,
            auditEntry(c, {
              action: 'scopes.revoke',
              target: { type: 'account', id: user_id },
              before: { scopes: changed.before },
              after: { scopes: changed.after },
              reason,
            }),
          );
          return { changed, entry };
        });
        return c.json({ after: { user_id, scopes: result.changed.after }, audit: auditView(result.entry) }, 200);
      })
      .openapi(guarded(deps, requestScopesRoute), async (c) => {
        const { user_id, scopes, reason } = c.req.valid('json');
        const result = await db.transaction().execute(async (trx) => {
          const user = await trx.selectFrom('users').select('id').where('id', '=', user_id).executeTakeFirst();
          if (!user) throw new Problem('not_found', { detail: 'No such account' });
          const request = await trx
            .insertInto('scope_requests')
            .values({ user_id, scopes, reason, requested_by: c.get('admin').id })
            .returningAll()
            .executeTakeFirstOrThrow();
          const entry = await recordAudit(
            trx,
            auditEntry(c, {
              action: 'scopes.request',
              target: { type: 'account', id: user_id },
              after: { request: Number(request.id), scopes, status: 'pending' },
              reason,
            }),
          );
          return { request, entry };
        });
        return c.json({ request: await requestView(result.request), audit: auditView(result.entry) }, 201);
      })
      .openapi(guarded(deps, listRequestsRoute), async (c) => {
        const { status } = c.req.valid('query');
        const rows = await db.selectFrom('scope_requests').selectAll().where('status', '=', status).orderBy('id', 'desc').limit(200).execute();
        return c.json({ requests: await Promise.all(rows.map(requestView)) }, 200);
      })
      .openapi(guarded(deps, approveRoute), async (c) => c.json(await decide(c, c.req.valid('param').id, 'approved', null), 200))
      .openapi(guarded(deps, rejectRoute), async (c) => c.json(await decide(c, c.req.valid('param').id, 'rejected', c.req.valid('json').reason), 200));
  },
};

function union(held: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...held, ...added])].sort();
}
