import { createRoute, z } from '@hono/zod-openapi';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { onlineUserIds } from '../../platform/presence.js';
import { problemResponses } from '../openapi.js';
import { readPilot } from '../player/pilot.js';
import { SectorLookup } from '../schemas.js';
import { buildSectorView, type SectorView } from './view.js';

const sectorRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['sectors'],
  summary: 'A sector: live where you are, as last seen where you have been; unknown sectors are 404',
  security: [{ bearer: [] }],
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .positive()
        .max(2_147_483_647)
        .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
    }),
  },
  responses: {
    200: { description: 'The sector', content: { 'application/json': { schema: SectorLookup } } },
    ...problemResponses(401, 404, 422),
  },
});

export const sectorsBundle: Bundle = {
  name: 'sectors',
  basePath: '/api/v1/sectors',
  create(deps) {
    const { db, config } = deps;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi(sectorRoute, async (c) => {
      const { id } = c.req.valid('param');
      const userId = c.get('user').id;
      const { player } = await readPilot(db, userId);
      if (player.sector_id === id) {
        // Pilots here who are online; while the bus is down, everyone whose pilot is here.
        const online = await onlineUserIds(deps.bus, id).catch(() => undefined);
        const view = (await buildSectorView(db, id, userId, Date.now(), config.gameTimeScale, online))!;
        return c.json({ ...view, live: true, last_seen_at: null }, 200);
      }
      const known = await db
        .selectFrom('known_sectors')
        .select(['snapshot', 'last_seen_at'])
        .where('user_id', '=', userId)
        .where('sector_id', '=', id)
        .executeTakeFirst();
      if (!known?.snapshot) throw new Problem(404, 'sector_unknown', 'You have no knowledge of that sector');
      return c.json({ ...(known.snapshot as SectorView), live: false, last_seen_at: new Date(known.last_seen_at).toISOString() }, 200);
    });
  },
};
