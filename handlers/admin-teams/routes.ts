import { z } from '@hono/zod-openapi';
import { TEAM } from '../../game/catalog/people.js';
import { isoOrNull } from '../schemas.js';
import { adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { BODY_PROBLEMS } from '../openapi.js';

/** The teams admin API: the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...json(schema, description), required: true } });
const TeamParam = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The team id' }),
});

export const TeamAdminView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    tag: z.string(),
    leader_id: z.string().nullable(),
    treasury: z.number().int(),
    members: z.number().int(),
    created_at: z.string().openapi({ format: 'date-time' }),
    disbanded_at: isoOrNull(),
  })
  .openapi('AdminTeam');

export const listTeamsRoute = adminRoute({
  method: 'get',
  path: '/',
  operationId: 'adminListTeams',
  summary: 'Teams, by name (live ones unless `disbanded=true`)',
  scope: 'admin:read',
  request: {
    query: z
      .object({
        q: z
          .string()
          .trim()
          .max(32)
          .optional()
          .openapi({ param: { name: 'q', in: 'query' }, description: 'Part of the name or tag' }),
        disbanded: z
          .enum(['true', 'false'])
          .default('false')
          .openapi({ param: { name: 'disbanded', in: 'query' } }),
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
  responses: { 200: json(z.object({ teams: z.array(TeamAdminView) }).openapi('AdminTeamList'), 'Teams') },
});

export const renameTeamRoute = adminRoute({
  method: 'post',
  path: '/{id}/rename',
  operationId: 'adminRenameTeam',
  summary: 'Rename a team or change its tag',
  scope: 'admin:moderation',
  request: {
    params: TeamParam,
    ...body(
      z
        .strictObject({
          name: z
            .string()
            .trim()
            .min(TEAM.nameLength.min)
            .max(TEAM.nameLength.max)
            .regex(/^[A-Za-z0-9 _'-]+$/, "letters, digits, spaces, _ - and '")
            .optional(),
          tag: z
            .string()
            .min(TEAM.tagLength.min)
            .max(TEAM.tagLength.max)
            .regex(/^[A-Za-z0-9]+$/, 'letters and digits')
            .optional(),
          reason: Reason,
        })
        .refine((b) => b.name !== undefined || b.tag !== undefined, 'give a name or a tag')
        .openapi('AdminRenameTeamRequest'),
      'The new name or tag, and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'team_name_taken', 'team_tag_taken'],
  responses: {
    200: json(z.object({ after: z.object({ name: z.string(), tag: z.string() }), audit: AuditEntryView }).openapi('AdminRenameTeamResult'), 'Renamed'),
  },
});

export const disbandTeamRoute = adminRoute({
  method: 'post',
  path: '/{id}/disband',
  operationId: 'adminDisbandTeam',
  summary: 'Disband a team: its treasury paid out evenly to the members through team transfers, the members released',
  scope: 'admin:moderation',
  request: { params: TeamParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminDisbandTeamRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: {
    200: json(
      z
        .object({
          after: z.object({ disbanded: z.literal(true), payouts: z.array(z.object({ pilot: z.string(), amount: z.number().int() })) }),
          audit: AuditEntryView,
        })
        .openapi('AdminDisbandTeamResult'),
      'Disbanded',
    ),
  },
});
