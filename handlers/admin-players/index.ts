import type { Context } from 'hono';
import { sql } from 'kysely';
import { decideAdminMove, decideCreditAdjustment } from '../../game/admin.js';
import { createAccountLink } from '../../platform/account-links.js';
import { auditView, recordAudit } from '../../platform/audit.js';
import type { User } from '../../platform/db/schema.js';
import { Problem } from '../../platform/errors.js';
import { type AppEnv, type Bundle, bundleRouter } from '../../platform/http/context.js';
import { forgetAccountStatus, revokeAccountSessions } from '../../platform/session-status.js';
import { type ActionPlan, runAction } from '../../world/action.js';
import { combatLogsOf, destination, ledgerOf, lockedCrew } from '../../world/admin-pilots.js';
import { moveOwnAudit } from '../../world/audit-outbox.js';
import { PilotMissing, readCrew } from '../../world/pilots.js';
import { auditEntry, guarded } from '../admin-route.js';
import { playerView, shipView } from '../views.js';
import {
  banRoute,
  creditsRoute,
  moveRoute,
  passwordResetRoute,
  playerDetailRoute,
  playerLedgerRoute,
  revokeTokensRoute,
  searchPlayersRoute,
  suspendRoute,
  unbanRoute,
} from './routes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3_600_000;

/**
 * The players admin API (issue 19): find an account, see everything about it, and act on it.
 * Account changes are one accounts transaction with their audit row; game changes (credits, a
 * move) are decisions from game/admin.ts written by the one applier, their audit row staged in
 * the same region transaction (world/audit-outbox.ts).
 */
export const adminPlayersBundle: Bundle = {
  name: 'admin-players',
  basePath: '/api/v1/admin/players',
  create(deps) {
    const { accounts: db, region } = deps;
    const at = () => ({ nowMs: Date.now(), timeScale: deps.config.gameTimeScale });
    const account = async (id: string) => {
      const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!user) throw new Problem('not_found', { detail: 'No such account' });
      return user;
    };

    /** Suspend, ban or lift either: the account row and its audit row in one transaction; sessions end after. */
    const setAccountState = async (
      c: Context<AppEnv>,
      id: string,
      action: string,
      reason: string,
      next: { status: 'active' | 'disabled'; disabled_reason: 'suspended' | 'banned' | null; disabled_until: Date | null },
    ) => {
      if (next.status === 'disabled' && id === c.get('admin').id) throw new Problem('cannot_target_self', { detail: 'An admin cannot lock themselves out' });
      const row = await db.transaction().execute(async (trx) => {
        const user = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!user) throw new Problem('not_found', { detail: 'No such account' });
        const updated = await trx.updateTable('users').set(next).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const entry = await recordAudit(
          trx,
          auditEntry(c, { action, target: { type: 'account', id }, before: accountState(user), after: accountState(updated), reason }),
        );
        return { updated, entry };
      });
      if (next.status === 'disabled') await revokeAccountSessions(deps, id, { tokens: true, disabled: true });
      else await forgetAccountStatus(deps.bus, id);
      c.get('log').info({ target: id, action }, 'admin changed an account');
      return c.json({ after: accountState(row.updated), audit: auditView(row.entry) }, 200);
    };

    /** A game change, decided and applied like play, its audit row staged in the same region transaction and moved after. */
    const gameChange = async <Scene, Outcome>(plan: ActionPlan<Scene, Outcome> & Required<Pick<ActionPlan<Scene, Outcome>, 'audit'>>) => {
      try {
        const result = await runAction(deps, plan);
        const entry = await moveOwnAudit(deps, result.auditId!);
        return { outcome: JSON.parse(result.text) as Record<string, unknown>, entry };
      } catch (err) {
        if (err instanceof PilotMissing) throw new Problem('not_found', { detail: 'The account has not played yet: it has no pilot' });
        throw err;
      }
    };

    return bundleRouter()
      .openapi(guarded(deps, searchPlayersRoute), async (c) => {
        const { q, cursor, limit } = c.req.valid('query');
        let query = db.selectFrom('users').selectAll();
        if (q && UUID.test(q)) query = query.where('id', '=', q.toLowerCase());
        else if (q?.includes('@')) query = query.where('email', 'like', `${likeEscape(q.toLowerCase())}%`);
        else if (q) query = query.where(sql<string>`lower(username)`, 'like', `%${likeEscape(q.toLowerCase())}%`);
        if (cursor) {
          const after = decodeNameCursor(cursor);
          query = query.where(sql<boolean>`(lower(username), id) > (${after.name}, ${after.id}::uuid)`);
        }
        const rows = await query
          .orderBy(sql`lower(username)`)
          .orderBy('id')
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return c.json({ players: page.map(accountView), next: rows.length > limit && last ? encodeNameCursor(last) : null }, 200);
      })
      .openapi(guarded(deps, playerDetailRoute), async (c) => {
        const { id } = c.req.valid('param');
        const user = await account(id);
        const [crew, sessions, providers, tokens, ledger, logs, reports] = await Promise.all([
          readCrew(region, id),
          db
            .selectFrom('refresh_tokens')
            .select(['family_id', 'created_at', 'expires_at', 'second_factor'])
            .where('user_id', '=', id)
            .where('revoked_at', 'is', null)
            .where('rotated_at', 'is', null)
            .where('expires_at', '>', sql<Date>`now()`)
            .orderBy('created_at', 'desc')
            .execute(),
          db.selectFrom('identities').select(['provider', 'email', 'display_name', 'created_at']).where('user_id', '=', id).orderBy('provider').execute(),
          db.selectFrom('personal_access_tokens').selectAll().where('user_id', '=', id).orderBy('created_at', 'desc').orderBy('id').execute(),
          ledgerOf(region, id, 20),
          combatLogsOf(region, id, 20),
          db
            .selectFrom('reports')
            .select(['id', 'kind', 'reporter_id', 'reason', 'status', 'created_at'])
            .where((eb) => eb.or([eb('reporter_id', '=', id), eb('reported_id', '=', id)]))
            .orderBy('id', 'desc')
            .limit(20)
            .execute(),
        ]);
        return c.json(
          {
            account: accountView(user),
            pilot: crew ? playerView(crew.pilot, at()) : null,
            ship: crew ? shipView(crew.ship) : null,
            sessions: sessions.map((s) => ({ id: s.family_id, created_at: iso(s.created_at), expires_at: iso(s.expires_at), second_factor: s.second_factor })),
            providers: providers.map((p) => ({ ...p, created_at: iso(p.created_at) })),
            tokens: tokens.map((t) => ({
              id: t.id,
              name: t.name,
              scopes: t.scopes,
              token_start: t.token_start,
              created_at: iso(t.created_at),
              expires_at: iso(t.expires_at),
              last_used_at: isoOrNull(t.last_used_at),
              revoked_at: isoOrNull(t.revoked_at),
            })),
            ledger: ledger.map(ledgerView),
            combat_logs: logs.map((l) => ({
              id: l.id,
              sector_id: l.sector_id,
              attacker: l.attacker_name,
              defender: l.defender_name,
              attacked: l.attacker_user_id === id,
              result: l.result,
              created_at: iso(l.created_at),
            })),
            reports: reports.map((r) => ({
              id: r.id,
              kind: r.kind,
              filed_by_player: r.reporter_id === id,
              reason: r.reason,
              status: r.status,
              created_at: iso(r.created_at),
            })),
          },
          200,
        );
      })
      .openapi(guarded(deps, playerLedgerRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { cursor, limit } = c.req.valid('query');
        await account(id);
        const beforeId = cursor ? decodeLedgerCursor(cursor) : undefined;
        const [rows, pilot] = await Promise.all([
          ledgerOf(region, id, limit + 1, beforeId),
          region.selectFrom('players').select('credits').where('user_id', '=', id).executeTakeFirst(),
        ]);
        if (!pilot) throw new Problem('not_found', { detail: 'The account has not played yet: it has no pilot' });
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return c.json(
          { entries: page.map(ledgerView), credits: Number(pilot.credits), next: rows.length > limit && last ? encodeLedgerCursor(last.id) : null },
          200,
        );
      })
      .openapi(guarded(deps, suspendRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason, hours } = c.req.valid('json');
        return setAccountState(c, id, 'player.suspend', reason, {
          status: 'disabled',
          disabled_reason: 'suspended',
          disabled_until: new Date(Date.now() + hours * HOUR_MS),
        });
      })
      .openapi(guarded(deps, banRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        return setAccountState(c, id, 'player.ban', reason, { status: 'disabled', disabled_reason: 'banned', disabled_until: null });
      })
      .openapi(guarded(deps, unbanRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        return setAccountState(c, id, 'player.unban', reason, { status: 'active', disabled_reason: null, disabled_until: null });
      })
      .openapi(guarded(deps, creditsRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { delta, reason } = c.req.valid('json');
        await account(id);
        const adminId = c.get('admin').id;
        const { outcome, entry } = await gameChange({
          read: (trx) => lockedCrew(trx, id),
          decide: (crew) => decideCreditAdjustment(crew, delta, { adminId, reason }),
          respond: (_crew, outcome) => ({ status: 200, body: outcome }),
          audit: (_crew, outcome) =>
            auditEntry(c, {
              action: 'player.credits',
              target: { type: 'pilot', id },
              before: { credits: outcome.before },
              after: { credits: outcome.after },
              reason,
            }),
        });
        return c.json({ after: { credits: Number(outcome.after), delta: Number(outcome.delta) }, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, moveRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { sector_id, reason } = c.req.valid('json');
        await account(id);
        const { outcome, entry } = await gameChange({
          read: async (trx) => ({ crew: await lockedCrew(trx, id), to: await destination(trx, id, sector_id) }),
          decide: ({ crew, to }) => decideAdminMove(crew, to, at()),
          respond: (_scene, outcome) => ({ status: 200, body: outcome }),
          audit: (_scene, outcome) =>
            auditEntry(c, {
              action: 'player.move',
              target: { type: 'pilot', id },
              before: { sector_id: outcome.from },
              after: { sector_id: outcome.to, region_id: outcome.regionId },
              reason,
            }),
        });
        return c.json({ after: { sector_id: Number(outcome.to), region_id: Number(outcome.regionId) }, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, revokeTokensRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        await account(id);
        const revoked = await revokeAccountSessions(deps, id, { tokens: true });
        const after = { sessions_revoked: revoked.sessions, tokens_revoked: revoked.tokens };
        const entry = await recordAudit(
          db,
          auditEntry(c, {
            action: 'player.revoke_tokens',
            target: { type: 'account', id },
            before: { live_sessions: revoked.sessions, live_tokens: revoked.tokens },
            after: { live_sessions: 0, live_tokens: 0 },
            reason,
          }),
        );
        return c.json({ after, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, passwordResetRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const { before, link } = await db.transaction().execute(async (trx) => {
          const user = await trx.selectFrom('users').select(['password_reset_required']).where('id', '=', id).forUpdate().executeTakeFirst();
          if (!user) throw new Problem('not_found', { detail: 'No such account' });
          await trx.updateTable('users').set({ password_reset_required: true }).where('id', '=', id).execute();
          return { before: user, link: await createAccountLink(trx, deps.config.publicUrl, id, 'reset') };
        });
        const revoked = await revokeAccountSessions(deps, id, { tokens: true });
        const after = { password_reset_required: true, sessions_revoked: revoked.sessions, tokens_revoked: revoked.tokens };
        const entry = await recordAudit(
          db,
          auditEntry(c, {
            action: 'player.password_reset',
            target: { type: 'account', id },
            before: { password_reset_required: before.password_reset_required },
            after,
            reason,
          }),
        );
        c.header('cache-control', 'no-store');
        return c.json({ after, link: link.url, expires_at: link.expiresAt.toISOString(), audit: auditView(entry) }, 200);
      });
  },
};

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

function accountState(user: Pick<User, 'status' | 'disabled_reason' | 'disabled_until'>) {
  return { status: user.status, disabled_reason: user.disabled_reason, disabled_until: isoOrNull(user.disabled_until) };
}

function accountView(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    ...accountState(user),
    scopes: user.scopes,
    totp_enrolled: user.totp_enabled_at !== null,
    password_reset_required: user.password_reset_required,
    created_at: iso(user.created_at),
    last_login_at: isoOrNull(user.last_login_at),
  };
}

function ledgerView(row: { id: number; delta: number; balance_after: number; reason: string; ref: unknown; created_at: Date }) {
  return {
    id: Number(row.id),
    delta: Number(row.delta),
    balance_after: Number(row.balance_after),
    reason: row.reason,
    ref: row.ref ?? {},
    created_at: iso(row.created_at),
  };
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function encodeNameCursor(user: User): string {
  return Buffer.from(JSON.stringify({ v: 1, name: user.username.toLowerCase(), id: user.id })).toString('base64url');
}

function decodeNameCursor(text: string): { name: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; name?: unknown; id?: unknown };
    if (parsed.v === 1 && typeof parsed.name === 'string' && typeof parsed.id === 'string' && UUID.test(parsed.id)) return { name: parsed.name, id: parsed.id };
  } catch {
    // falls through to the refusal
  }
  throw new Problem('invalid_cursor');
}

function encodeLedgerCursor(id: number): string {
  return Buffer.from(JSON.stringify({ v: 1, ledger: id })).toString('base64url');
}

function decodeLedgerCursor(text: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; ledger?: unknown };
    if (parsed.v === 1 && Number.isSafeInteger(parsed.ledger) && (parsed.ledger as number) > 0) return parsed.ledger as number;
  } catch {
    // falls through to the refusal
  }
  throw new Problem('invalid_cursor');
}
