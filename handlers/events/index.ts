import { createRoute, z } from '@hono/zod-openapi';
import { topicsFor } from '../../contract/topics.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { decodeCursor, encodeCursor, eventsAfter, MAIN_PARTITION } from '../../platform/outbox.js';
import { crewOf } from '../../world/pilots.js';
import { myTeamId } from '../../world/teams.js';
import { AUTH_PROBLEMS, problemResponses } from '../openapi.js';

const Event = z
  .object({
    id: z.number().int().openapi({ description: 'Outbox id: use it to drop duplicates (the same event can arrive twice)' }),
    topic: z.string(),
    type: z.string().openapi({ description: 'One of the event catalog (contract/events.ts)' }),
    at: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Event');

const eventsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['events'],
  summary: 'Your events after a cursor: personal, your current sector, your region, your team, global (and admin for admins)',
  description:
    'For clients that missed realtime messages. Page with `next_cursor` (opaque) until `events` comes back empty. ' +
    '`after` (an outbox id) is the older form of the same position; prefer `cursor`.',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      cursor: z
        .string()
        .max(512)
        .optional()
        .openapi({ param: { name: 'cursor', in: 'query' }, description: 'Where the last page ended (`next_cursor`)' }),
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
      content: {
        'application/json': {
          schema: z
            .object({
              events: z.array(Event),
              next_after: z.number().int(),
              next_cursor: z.string().openapi({ description: 'Opaque: pass it back as `cursor`' }),
            })
            .openapi('EventPage'),
        },
      },
    },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'invalid_cursor', 'universe_missing'),
  },
});

export const eventsBundle: Bundle = {
  name: 'events',
  basePath: '/api/v1/events',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi(eventsRoute, async (c) => {
      const { cursor, after, limit } = c.req.valid('query');
      const user = c.get('user');
      const [{ pilot }, teamId] = await Promise.all([crewOf(deps, user.id), myTeamId(deps.accounts, user.id)]);
      // Each region shard numbers its own outbox: in multi-regional mode a cursor keeps one
      // position per region, so a pilot who crossed a gate and comes back resumes where it was.
      const partition = deps.regional?.self.slug ?? MAIN_PARTITION;
      const positions = cursor !== undefined ? decodeCursor(cursor) : {};
      const from = cursor !== undefined ? (positions[partition] ?? 0) : after;
      const names = topicsFor({ userId: user.id, sectorId: pilot.sectorId, regionId: pilot.regionId, teamId, scopes: user.scopes });
      const events = await eventsAfter(deps.region, names, from, limit);
      const last = events.at(-1)?.id ?? from;
      return c.json({ events, next_after: last, next_cursor: encodeCursor({ ...positions, [partition]: last }) }, 200);
    });
  },
};
