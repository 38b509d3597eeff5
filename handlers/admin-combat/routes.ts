import { z } from '@hono/zod-openapi';
import { adminRoute } from '../admin-route.js';

/** Combat logs for admins: the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const CombatLogAdminView = z
  .object({
    id: z.string(),
    region_id: z.number().int(),
    sector_id: z.number().int(),
    attacker_id: z.string(),
    attacker: z.string(),
    defender_id: z.string().nullable().openapi({ description: 'null: an unowned planet defended itself' }),
    defender: z.string(),
    result: z.string(),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AdminCombatLog');

export const listCombatLogsRoute = adminRoute({
  method: 'get',
  path: '/',
  operationId: 'adminListCombatLogs',
  summary: 'Combat logs, newest first, filtered by pilot, sector, result and time',
  scope: 'admin:read',
  request: {
    query: z
      .object({
        pilot: z
          .uuid()
          .optional()
          .openapi({ param: { name: 'pilot', in: 'query' }, description: 'Either side' }),
        sector: z.coerce
          .number()
          .int()
          .min(1)
          .max(2_147_483_647)
          .optional()
          .openapi({ param: { name: 'sector', in: 'query' } }),
        result: z
          .enum(['destroyed', 'repelled', 'stalemate'])
          .optional()
          .openapi({ param: { name: 'result', in: 'query' } }),
        from: z.iso
          .datetime({ offset: true })
          .optional()
          .openapi({ param: { name: 'from', in: 'query' } }),
        to: z.iso
          .datetime({ offset: true })
          .optional()
          .openapi({ param: { name: 'to', in: 'query' } }),
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(200)
          .default(50)
          .openapi({ param: { name: 'limit', in: 'query' } }),
      })
      .strict(),
  },
  problems: ['validation_failed'],
  responses: { 200: json(z.object({ logs: z.array(CombatLogAdminView) }).openapi('AdminCombatLogList'), 'Logs') },
});

export const combatLogRoute = adminRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'adminGetCombatLog',
  summary: 'One engagement: both sides, its seed and every round',
  scope: 'admin:read',
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  problems: ['validation_failed', 'not_found'],
  responses: {
    200: json(
      CombatLogAdminView.extend({ seed: z.string(), detail: z.unknown().openapi({ description: 'Rounds and losses (the engagement as fought)' }) }).openapi(
        'AdminCombatLogDetail',
      ),
      'The engagement',
    ),
  },
});
