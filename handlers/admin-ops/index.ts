import { topics } from '../../contract/topics.js';
import { auditView, recordAudit } from '../../platform/audit.js';
import { type Bundle, bundleRouter } from '../../platform/http/context.js';
import { presenceOf } from '../../platform/presence.js';
import { jobsOverview, sectorActivity } from '../../world/admin-economy.js';
import { notify } from '../../world/notify.js';
import { auditEntry, guarded } from '../admin-route.js';
import { activityRoute, broadcastRoute, jobsRoute, onlineRoute } from './routes.js';

const DAY_MS = 86_400_000;
/** who signs a system broadcast */
export const SYSTEM_SENDER = 'Federation Command';
const ONLINE_SHOWN = 500;
const PRESENCE_BATCH = 1_000;

/**
 * Live operations (issue 19): who is online (realtime presence on the bus), activity per sector
 * (the outbox's sector events), the jobs (job_runs and the leader lease), and a system broadcast.
 */
export const adminOpsBundle: Bundle = {
  name: 'admin-ops',
  basePath: '/api/v1/admin/ops',
  create(deps) {
    const { region, bus } = deps;
    return bundleRouter()
      .openapi(guarded(deps, onlineRoute), async (c) => {
        const pilots = await region.selectFrom('players').select(['user_id', 'name']).where('npc', '=', false).orderBy('name').execute();
        const online: Array<{ user_id: string; name: string; sector_id: number | null }> = [];
        for (let i = 0; i < pilots.length; i += PRESENCE_BATCH) {
          const batch = pilots.slice(i, i + PRESENCE_BATCH);
          const present = await presenceOf(
            bus,
            batch.map((p) => p.user_id),
          );
          for (const p of batch) {
            const where = present.get(p.user_id);
            if (where) online.push({ user_id: p.user_id, name: p.name, sector_id: where.sectorId });
          }
        }
        return c.json({ count: online.length, pilots: online.slice(0, ONLINE_SHOWN) }, 200);
      })
      .openapi(guarded(deps, activityRoute), async (c) => {
        const { minutes, limit } = c.req.valid('query');
        const since = new Date(Date.now() - minutes * 60_000);
        return c.json({ since: since.toISOString(), sectors: await sectorActivity(region, since, limit) }, 200);
      })
      .openapi(guarded(deps, jobsRoute), async (c) => {
        const to = new Date();
        return c.json(await jobsOverview(region, { from: new Date(to.getTime() - DAY_MS), to }), 200);
      })
      .openapi(guarded(deps, broadcastRoute), async (c) => {
        const { body, reason } = c.req.valid('json');
        await notify(deps, [{ topic: topics.global, type: 'broadcast.sent', data: { from: SYSTEM_SENDER, body } }]);
        const entry = await recordAudit(
          deps.accounts,
          auditEntry(c, { action: 'ops.broadcast', target: { type: 'global', id: 'global' }, before: null, after: { from: SYSTEM_SENDER, body }, reason }),
        );
        return c.json({ after: { from: SYSTEM_SENDER, body }, audit: auditView(entry) }, 200);
      });
  },
};
