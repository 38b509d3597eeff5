import { z } from '@hono/zod-openapi';
import { AdminText, adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { BODY_PROBLEMS } from '../openapi.js';
import { iso, isoOrNull } from '../schemas.js';

/** The live-operations admin API: the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const onlineRoute = adminRoute({
  method: 'get',
  path: '/online',
  operationId: 'adminPlayersOnline',
  summary: 'Pilots connected now (realtime presence) and where they are',
  scope: 'admin:read',
  request: { query: z.object({}).strict() },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          count: z.number().int(),
          pilots: z.array(z.object({ user_id: z.string(), name: z.string(), sector_id: z.number().int().nullable() })).openapi({ description: 'At most 500' }),
        })
        .openapi('AdminOnline'),
      'Who is online',
    ),
  },
});

export const activityRoute = adminRoute({
  method: 'get',
  path: '/activity',
  operationId: 'adminSectorActivity',
  summary: 'Activity per sector lately: arrivals, trades and combats, busiest first',
  scope: 'admin:read',
  request: {
    query: z
      .object({
        minutes: z.coerce
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(60)
          .openapi({ param: { name: 'minutes', in: 'query' } }),
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(500)
          .default(50)
          .openapi({ param: { name: 'limit', in: 'query' } }),
      })
      .strict(),
  },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          since: iso(),
          sectors: z.array(z.object({ sector_id: z.number().int(), arrivals: z.number().int(), trades: z.number().int(), combats: z.number().int() })),
        })
        .openapi('AdminSectorActivity'),
      'Per sector',
    ),
  },
});

export const jobsRoute = adminRoute({
  method: 'get',
  path: '/jobs',
  operationId: 'adminJobRuns',
  summary: 'The background jobs: each one’s last run, its failures in the last 24 hours, and the leader',
  scope: 'admin:read',
  request: { query: z.object({}).strict() },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          leaders: z.array(z.object({ name: z.string(), owner: z.string(), acquired_at: iso(), expires_at: iso(), live: z.boolean() })),
          jobs: z.array(
            z.object({
              job: z.string(),
              last: z.object({
                window_start: iso(),
                status: z.string(),
                trigger: z.string(),
                owner: z.string(),
                attempts: z.number().int(),
                started_at: iso().openapi({ description: 'When its latest attempt started (finished_at less this: how long it ran)' }),
                finished_at: isoOrNull(),
                stats: z.unknown(),
                error: z.string().nullable(),
              }),
              failures: z.number().int(),
              last_failure: z.string().nullable(),
            }),
          ),
        })
        .openapi('AdminJobs'),
      'The jobs',
    ),
  },
});

export const broadcastRoute = adminRoute({
  method: 'post',
  path: '/broadcast',
  operationId: 'adminBroadcast',
  summary: 'A system broadcast to everyone (the `broadcast.sent` event on `global`, from “Federation Command”)',
  scope: 'admin:moderation',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.strictObject({ body: AdminText(500), reason: Reason }).openapi('AdminBroadcastRequest'),
        },
      },
      required: true,
      description: 'What to say, and why',
    },
  },
  problems: [...BODY_PROBLEMS],
  responses: {
    200: json(z.object({ after: z.object({ from: z.string(), body: z.string() }), audit: AuditEntryView }).openapi('AdminBroadcastResult'), 'Sent'),
  },
});
