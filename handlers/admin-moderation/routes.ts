import { z } from '@hono/zod-openapi';
import { adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { BODY_PROBLEMS } from '../openapi.js';
import { iso, isoOrNull } from '../schemas.js';

/** The moderation admin API (`admin:moderation`): the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...json(schema, description), required: true } });
const ReportParam = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The report id' }),
});
const Status = z.enum(['open', 'resolved', 'dismissed']);

export const ReportAdminView = z
  .object({
    id: z.number().int(),
    kind: z.enum(['message', 'chat']),
    reporter_id: z.string(),
    reporter: z.string().nullable(),
    reported_id: z.string().nullable(),
    reported: z.string().nullable(),
    target: z.string().openapi({ description: 'What was reported: a message id, or a chat line' }),
    reason: z.string(),
    content: z.unknown().openapi({ description: 'The reported content as it was when reported' }),
    status: Status,
    created_at: iso(),
  })
  .openapi('AdminReport');

export const reportsRoute = adminRoute({
  method: 'get',
  path: '/reports',
  operationId: 'adminListReports',
  summary: 'The report queue (mail and chat reports), oldest open first',
  scope: 'admin:moderation',
  request: {
    query: z
      .object({
        status: Status.default('open').openapi({ param: { name: 'status', in: 'query' } }),
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
  responses: { 200: json(z.object({ reports: z.array(ReportAdminView) }).openapi('AdminReportQueue'), 'Reports') },
});

const decideRoute = (verb: 'resolve' | 'dismiss') =>
  adminRoute({
    method: 'post',
    path: `/reports/{id}/${verb}`,
    operationId: verb === 'resolve' ? 'adminResolveReport' : 'adminDismissReport',
    summary: verb === 'resolve' ? 'Resolve a report (action was taken)' : 'Dismiss a report (nothing to act on)',
    scope: 'admin:moderation',
    request: {
      params: ReportParam,
      ...body(z.strictObject({ reason: Reason }).openapi(verb === 'resolve' ? 'AdminResolveReportRequest' : 'AdminDismissReportRequest'), 'Why'),
    },
    problems: [...BODY_PROBLEMS, 'not_found', 'request_decided'],
    responses: {
      200: json(
        z.object({ after: ReportAdminView, audit: AuditEntryView }).openapi(verb === 'resolve' ? 'AdminResolveReportResult' : 'AdminDismissReportResult'),
        'Decided',
      ),
    },
  });
export const resolveRoute = decideRoute('resolve');
export const dismissRoute = decideRoute('dismiss');

export const renameRoute = adminRoute({
  method: 'post',
  path: '/pilots/{id}/rename',
  operationId: 'adminRenamePilot',
  summary: 'Rename a pilot: the account’s username and the pilot’s name (unique, whatever the case)',
  scope: 'admin:moderation',
  request: {
    params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'The account id' }) }),
    ...body(
      z
        .strictObject({
          name: z
            .string()
            .regex(/^[A-Za-z0-9_]{3,24}$/, '3–24 letters, digits or underscores')
            .openapi({ example: 'renamed_pilot' }),
          reason: Reason,
        })
        .openapi('AdminRenamePilotRequest'),
      'The new name, and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'username_taken'],
  responses: {
    200: json(z.object({ after: z.object({ id: z.string(), name: z.string() }), audit: AuditEntryView }).openapi('AdminRenamePilotResult'), 'Renamed'),
  },
});

export const deleteMessageRoute = adminRoute({
  method: 'post',
  path: '/messages/{id}/delete',
  operationId: 'adminDeleteMessage',
  summary: 'Delete a mail message: the recipient’s copy and the sender’s (a report keeps what was reported)',
  scope: 'admin:moderation',
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .min(1)
        .max(2_147_483_647)
        .openapi({ param: { name: 'id', in: 'path' }, description: 'The message id (either copy)' }),
    }),
    ...body(z.strictObject({ reason: Reason }).openapi('AdminDeleteMessageRequest'), 'Why'),
  },
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: {
    200: json(z.object({ after: z.object({ deleted: z.number().int() }), audit: AuditEntryView }).openapi('AdminDeleteMessageResult'), 'Deleted'),
  },
});

const AccountParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'The account id' }) });
const MuteState = z
  .object({
    muted: z.boolean(),
    until: isoOrNull().openapi({ description: 'null while muted: banned from chat' }),
  })
  .openapi('AdminChatMuteState');

export const muteRoute = adminRoute({
  method: 'post',
  path: '/pilots/{id}/mute',
  operationId: 'adminMutePilot',
  summary: 'Mute a pilot in chat for some hours, or ban it from chat (no `hours`)',
  description: 'Its chat lines are refused with the realtime error `chat_muted`; it still plays and mails.',
  scope: 'admin:moderation',
  dangerous: true,
  request: {
    params: AccountParam,
    ...body(
      z
        .strictObject({
          hours: z
            .number()
            .int()
            .min(1)
            .max(24 * 365)
            .optional(),
          reason: Reason,
        })
        .openapi('AdminMuteRequest'),
      'For how long (none: for good), and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'cannot_target_self'],
  responses: { 200: json(z.object({ after: MuteState, audit: AuditEntryView }).openapi('AdminMuteResult'), 'Muted') },
});

export const unmuteRoute = adminRoute({
  method: 'post',
  path: '/pilots/{id}/unmute',
  operationId: 'adminUnmutePilot',
  summary: 'Lift a chat mute or a ban from chat',
  scope: 'admin:moderation',
  dangerous: true,
  request: { params: AccountParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminUnmuteRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: { 200: json(z.object({ after: MuteState, audit: AuditEntryView }).openapi('AdminUnmuteResult'), 'Unmuted') },
});
