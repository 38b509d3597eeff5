import { Problem } from '../../platform/errors.js';
import { type Bundle, bundleRouter } from '../../platform/http/context.js';
import { guarded } from '../admin-route.js';
import { combatLogRoute, listCombatLogsRoute } from './routes.js';

/** Combat logs for admins (issue 19): every engagement, filtered, and one in full. Reads only. */
export const adminCombatBundle: Bundle = {
  name: 'admin-combat',
  basePath: '/api/v1/admin/combat-logs',
  create(deps) {
    const db = deps.region;
    const view = (l: {
      id: string;
      region_id: number;
      sector_id: number;
      attacker_user_id: string;
      attacker_name: string;
      defender_user_id: string | null;
      defender_name: string;
      result: string;
      created_at: Date;
    }) => ({
      id: l.id,
      region_id: l.region_id,
      sector_id: l.sector_id,
      attacker_id: l.attacker_user_id,
      attacker: l.attacker_name,
      defender_id: l.defender_user_id,
      defender: l.defender_name,
      result: l.result,
      created_at: new Date(l.created_at).toISOString(),
    });
    return bundleRouter()
      .openapi(guarded(deps, listCombatLogsRoute), async (c) => {
        const { pilot, sector, result, from, to, limit } = c.req.valid('query');
        let query = db
          .selectFrom('combat_logs')
          .select(['id', 'region_id', 'sector_id', 'attacker_user_id', 'attacker_name', 'defender_user_id', 'defender_name', 'result', 'created_at']);
        if (pilot) query = query.where((eb) => eb.or([eb('attacker_user_id', '=', pilot), eb('defender_user_id', '=', pilot)]));
        if (sector !== undefined) query = query.where('sector_id', '=', sector);
        if (result) query = query.where('result', '=', result);
        if (from) query = query.where('created_at', '>=', new Date(from));
        if (to) query = query.where('created_at', '<', new Date(to));
        const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
        return c.json({ logs: rows.map(view) }, 200);
      })
      .openapi(guarded(deps, combatLogRoute), async (c) => {
        const log = await db.selectFrom('combat_logs').selectAll().where('id', '=', c.req.valid('param').id).executeTakeFirst();
        if (!log) throw new Problem('not_found', { detail: 'No such combat log' });
        return c.json({ ...view(log), seed: log.seed, detail: log.detail ?? null }, 200);
      });
  },
};
