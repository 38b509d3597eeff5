import { sql } from 'kysely';
import { auditView } from '../../platform/audit.js';
import { type Bundle, bundleRouter } from '../../platform/http/context.js';
import { recordAudit } from '../../platform/audit.js';
import { renameTeam } from '../../world/admin-people.js';
import { disbandTeamAsAdmin } from '../../world/teams.js';
import { guarded } from '../admin-route.js';
import { disbandTeamRoute, listTeamsRoute, renameTeamRoute } from './routes.js';

/**
 * Teams, for admins (issue 19): list, rename, disband. A disband settles the treasury the way a
 * leader's does: one payout transfer per member through team_transfers, each driven to the
 * member's ledger (world/teams.ts), so treasury and ledgers still add up.
 */
export const adminTeamsBundle: Bundle = {
  name: 'admin-teams',
  basePath: '/api/v1/admin/teams',
  create(deps) {
    const db = deps.accounts;
    const actor = (c: { get(key: 'admin'): { id: string; name: string } }) => ({ id: c.get('admin').id, name: c.get('admin').name });
    return bundleRouter()
      .openapi(guarded(deps, listTeamsRoute), async (c) => {
        const { q, disbanded, limit } = c.req.valid('query');
        let query = db
          .selectFrom('teams')
          .selectAll('teams')
          .select((eb) =>
            eb.selectFrom('team_members').select(sql<number>`count(*)::int`.as('n')).whereRef('team_members.team_id', '=', 'teams.id').as('members'),
          )
          .where('disbanded_at', disbanded === 'true' ? 'is not' : 'is', null);
        if (q) {
          const like = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
          query = query.where((eb) => eb.or([eb(sql<string>`lower(name)`, 'like', like), eb(sql<string>`lower(tag)`, 'like', like)]));
        }
        const rows = await query.orderBy(sql`lower(name)`).orderBy('id').limit(limit).execute();
        return c.json(
          {
            teams: rows.map((t) => ({
              id: t.id,
              name: t.name,
              tag: t.tag,
              leader_id: t.leader_id,
              treasury: Number(t.treasury),
              members: Number(t.members ?? 0),
              created_at: new Date(t.created_at).toISOString(),
              disbanded_at: t.disbanded_at ? new Date(t.disbanded_at).toISOString() : null,
            })),
          },
          200,
        );
      })
      .openapi(guarded(deps, renameTeamRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { name, tag, reason } = c.req.valid('json');
        const { after, entry } = await renameTeam(db, id, { name, tag }, (before, next) => ({
          actor: actor(c),
          action: 'team.rename',
          target: { type: 'team', id: String(id) },
          before,
          after: next,
          reason,
          requestId: c.get('requestId'),
        }));
        return c.json({ after, audit: auditView(entry) }, 200);
      })
      .openapi(guarded(deps, disbandTeamRoute), async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const { before, payouts } = await disbandTeamAsAdmin(deps, id);
        const entry = await recordAudit(db, {
          actor: actor(c),
          action: 'team.disband',
          target: { type: 'team', id: String(id) },
          before,
          after: { disbanded: true, treasury: 0, members: 0, payouts },
          reason,
          requestId: c.get('requestId'),
        });
        return c.json({ after: { disbanded: true as const, payouts }, audit: auditView(entry) }, 200);
      });
  },
};
