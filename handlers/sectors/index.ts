import { createRoute, z } from '@hono/zod-openapi';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { onlineUserIds } from '../../platform/presence.js';
import { lastSeen } from '../../world/known-space.js';
import { teammateIds } from '../../world/teams.js';
import { crewOf } from '../../world/pilots.js';
import { readSectorView, type SectorView } from '../../world/sector-view.js';
import { AUTH_PROBLEMS, problemResponses } from '../openapi.js';
import { SectorLookup } from '../schemas.js';

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
    ...problemResponses(...AUTH_PROBLEMS, 'sector_unknown', 'validation_failed', 'universe_missing'),
  },
});

export const sectorsBundle: Bundle = {
  name: 'sectors',
  basePath: '/api/v1/sectors',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi(sectorRoute, async (c) => {
      const { id } = c.req.valid('param');
      const userId = c.get('user').id;
      const { pilot } = await crewOf(deps, userId);
      if (pilot.sectorId === id) {
        // Pilots here who are online; while the bus is down, everyone whose pilot is here.
        const online = await onlineUserIds(deps.bus, id).then(
          (ids) => [...ids],
          () => null,
        );
        const view = (await readSectorView(deps.region, id, userId, online, Date.now(), deps.config.gameTimeScale))!;
        return c.json({ ...view, live: true, last_seen_at: null }, 200);
      }
      const known = await lastSeen(deps.region, await teammateIds(deps.accounts, userId), id);
      if (!known?.snapshot) throw new Problem('sector_unknown');
      // Snapshots taken before wrecks existed have none.
      const snapshot = known.snapshot as SectorView;
      return c.json({ ...snapshot, wrecks: snapshot.wrecks ?? [], live: false, last_seen_at: new Date(known.last_seen_at).toISOString() }, 200);
    });
  },
};
