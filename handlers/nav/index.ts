import { createRoute, z } from '@hono/zod-openapi';
import { plotCourse, type WarpGraph } from '../../game/pathfinding.js';
import { runAction, type Trx } from '../../platform/actions.js';
import type { Db } from '../../platform/db/database.js';
import { Problem } from '../../platform/errors.js';
import type { DomainEvent } from '../../platform/events.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { problemResponses } from '../openapi.js';
import { flyHop, type Hop } from '../player/movement.js';
import { hullOf, lockPilot, readPilot } from '../player/pilot.js';
import { playerView } from '../player/views.js';
import { HopView, IdempotencyHeader, PlayerView } from '../schemas.js';
import { warpGraph } from './graph.js';

const SectorId = z.coerce.number().int().positive().max(2_147_483_647);

const Course = z
  .object({ from: z.number().int(), to: z.number().int(), path: z.array(z.number().int()), hops: z.number().int(), turns: z.number().int() })
  .openapi('Course');

const plotRoute = createRoute({
  method: 'get',
  path: '/plot',
  tags: ['nav'],
  summary: 'Shortest course through the sectors you know, with its turn cost',
  description: 'Errors: `no_route` (404) when known space does not connect you to the target.',
  security: [{ bearer: [] }],
  request: { query: z.strictObject({ to: SectorId.openapi({ param: { name: 'to', in: 'query' } }) }) },
  responses: {
    200: { description: 'The course', content: { 'application/json': { schema: Course } } },
    ...problemResponses(401, 404, 422),
  },
});

const AutopilotBody = z.strictObject({ to: z.number().int().positive().max(2_147_483_647) }).openapi('AutopilotRequest');

const autopilotRoute = createRoute({
  method: 'post',
  path: '/autopilot',
  tags: ['nav'],
  summary: 'Fly the plotted course hop by hop until arrival or a stop',
  description: 'Stops early (`stopped_by`) when turns run out. Each hop is reported.',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AutopilotBody } }, required: true } },
  responses: {
    200: {
      description: 'Where the autopilot got to',
      content: {
        'application/json': {
          schema: z
            .object({
              course: Course,
              hops: z.array(HopView),
              arrived: z.boolean(),
              stopped_by: z.enum(['insufficient_turns']).nullable(),
              player: PlayerView,
            })
            .openapi('AutopilotResult'),
        },
      },
    },
    ...problemResponses(401, 404, 409, 422),
  },
});

/** `db` may be an open transaction: the graph is passed in, loaded before any transaction began. */
async function plotForPilot(db: Db | Trx, graph: WarpGraph, userId: string, from: number, to: number, turnsPerWarp: number) {
  const known = await db.selectFrom('known_sectors').select('sector_id').where('user_id', '=', userId).execute();
  const knownIds = new Set(known.map((k) => k.sector_id));
  const course = plotCourse(graph, from, to, { isKnown: (id) => knownIds.has(id), turnsPerWarp });
  if (!course) throw new Problem(404, 'no_route', `No course to sector ${to} through known space`);
  return { from, to, ...course };
}

export const navBundle: Bundle = {
  name: 'nav',
  basePath: '/api/v1/nav',
  create(deps) {
    const { db, config } = deps;
    const timeScale = config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(plotRoute, async (c) => {
        const { to } = c.req.valid('query');
        const userId = c.get('user').id;
        const { player, ship } = await readPilot(db, userId);
        const graph = await warpGraph(db);
        return c.json(await plotForPilot(db, graph, userId, player.sector_id, to, hullOf(ship).turnsPerWarp), 200);
      })
      .openapi(autopilotRoute, async (c) => {
        const { to } = c.req.valid('json');
        const userId = c.get('user').id;
        const graph = await warpGraph(db);
        return runAction(c, deps, async (trx) => {
          const now = Date.now();
          const pilot = await lockPilot(trx, userId);
          const course = await plotForPilot(trx, graph, userId, pilot.player.sector_id, to, hullOf(pilot.ship).turnsPerWarp);
          const events: DomainEvent[] = [];
          const hops: Hop[] = [];
          let stoppedBy: 'insufficient_turns' | null = null;
          for (const next of course.path.slice(1)) {
            try {
              hops.push((await flyHop(trx, pilot, next, now, timeScale, events)).hop);
            } catch (err) {
              if (err instanceof Problem && err.code === 'insufficient_turns' && hops.length > 0) {
                stoppedBy = 'insufficient_turns';
                break;
              }
              throw err;
            }
          }
          return {
            status: 200 as const,
            body: { course, hops, arrived: pilot.player.sector_id === to, stopped_by: stoppedBy, player: playerView(pilot.player, now, timeScale) },
            events,
          };
        });
      });
  },
};
