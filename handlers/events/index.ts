import { createRoute, z } from '@hono/zod-openapi';
import { eventsAfter, topics } from '../../platform/events.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { problemResponses } from '../openapi.js';
import { readPilot } from '../player/pilot.js';

const Event = z
  .object({
    id: z.number().int().openapi({ description: 'Outbox id: increasing; use it to resume and to drop duplicates' }),
    topic: z.string(),
    type: z.string(),
    at: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Event');

const eventsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['events'],
  summary: 'Your events after an id: personal, your current sector, your region, global',
  description: 'For clients that missed realtime messages. Page with `next_after` until `events` comes back empty.',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      after: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .openapi({ param: { name: 'after', in: 'query' } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(500)
        .default(100)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    200: {
      description: 'Events, oldest first',
      content: { 'application/json': { schema: z.object({ events: z.array(Event), next_after: z.number().int() }).openapi('EventPage') } },
    },
    ...problemResponses(401, 422),
  },
});

export const eventsBundle: Bundle = {
  name: 'events',
  basePath: '/api/v1/events',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi(eventsRoute, async (c) => {
      const { after, limit } = c.req.valid('query');
      const userId = c.get('user').id;
      const { player } = await readPilot(deps.db, userId);
      const names = [topics.player(userId), topics.sector(player.sector_id), topics.region(player.region_id), topics.global];
      const events = await eventsAfter(deps.db, names, after, limit);
      return c.json({ events, next_after: events.at(-1)?.id ?? after }, 200);
    });
  },
};
