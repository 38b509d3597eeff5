import { z } from '@hono/zod-openapi';
import { ADMIN_SCOPES } from '../../platform/admin-scopes.js';
import { adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { BODY_PROBLEMS } from '../openapi.js';
import { iso, isoOrNull } from '../schemas.js';

/** Who may do what in the admin API, and what they did: the audit log and scope management. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...json(schema, description), required: true } });

export const AdminScopeSchema = z.enum(ADMIN_SCOPES).openapi('AdminScope');
const ScopeList = z
  .array(AdminScopeSchema)
  .min(1)
  .max(ADMIN_SCOPES.length)
  .refine((s) => new Set(s).size === s.length, 'must not repeat a scope');

const DateTimeQuery = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name, in: 'query' }, description, example: '2026-12-01T00:00:00Z' });

export const auditRoute = adminRoute({
  method: 'get',
  path: '/audit',
  operationId: 'adminListAudit',
  summary: 'The audit log, newest first, with filters',
  scope: 'admin:read',
  request: {
    query: z
      .object({
        actor: z
          .uuid()
          .optional()
          .openapi({ param: { name: 'actor', in: 'query' }, description: 'The admin’s account id' }),
        target: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .openapi({ param: { name: 'target', in: 'query' }, description: 'The target’s id (an account id, …)' }),
        action: z
          .string()
          .regex(/^[a-z_]+(\.[a-z_]+|\.\*)?$/, 'an action such as player.ban, or an area such as player.*')
          .optional()
          .openapi({ param: { name: 'action', in: 'query' }, example: 'player.*' }),
        from: DateTimeQuery('from', 'At or after this time'),
        to: DateTimeQuery('to', 'Before this time'),
        cursor: z
          .string()
          .max(200)
          .optional()
          .openapi({ param: { name: 'cursor', in: 'query' }, description: 'From the previous page’s `next`' }),
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
  problems: ['validation_failed', 'invalid_cursor'],
  responses: { 200: json(z.object({ entries: z.array(AuditEntryView), next: z.string().nullable() }).openapi('AdminAuditPage'), 'Audit rows') },
});

export const meRoute = adminRoute({
  method: 'get',
  path: '/me',
  operationId: 'adminMe',
  summary: 'Who the caller is as an admin: the scopes they hold now',
  description: 'An admin UI reads this after sign-in and shows only the sections these scopes allow.',
  scope: 'admin:read',
  problems: [],
  responses: {
    200: json(
      z
        .object({
          id: z.uuid(),
          username: z.string(),
          scopes: z.array(AdminScopeSchema).openapi({ description: 'The admin scopes the account holds now' }),
          totp_enrolled: z.literal(true).openapi({ description: 'Always true: no admin route answers without TOTP' }),
        })
        .openapi('AdminMe'),
      'The caller',
    ),
  },
});

const AdminAccount = z
  .object({ id: z.uuid(), username: z.string(), scopes: z.array(AdminScopeSchema), totp_enrolled: z.boolean() })
  .openapi('AdminScopeHolder');

export const scopesRoute = adminRoute({
  method: 'get',
  path: '/scopes',
  operationId: 'adminListScopes',
  summary: 'The admin scopes, who holds them, and what the caller holds',
  scope: 'admin:read',
  problems: [],
  responses: {
    200: json(
      z
        .object({
          catalog: z.array(z.object({ scope: AdminScopeSchema, description: z.string() })),
          yours: z.array(AdminScopeSchema).openapi({ description: 'What the caller may do: an admin UI shows only these' }),
          admins: z.array(AdminAccount),
        })
        .openapi('AdminScopes'),
      'Scopes',
    ),
  },
});

const ScopesChange = z.strictObject({ user_id: z.uuid(), scopes: ScopeList, reason: Reason });
const ScopesResult = z.object({ after: z.object({ user_id: z.uuid(), scopes: z.array(z.string()) }), audit: AuditEntryView }).openapi('AdminScopesResult');

export const grantRoute = adminRoute({
  method: 'post',
  path: '/scopes/grant',
  operationId: 'adminGrantScopes',
  summary: 'Grant scopes to an account (only scopes you hold yourself)',
  description: 'The account uses them after its next sign-in with TOTP (enrolling first if it has none).',
  scope: 'admin:scopes',
  dangerous: true,
  request: body(ScopesChange.openapi('AdminGrantRequest'), 'Whom, which scopes, why'),
  problems: [...BODY_PROBLEMS, 'not_found', 'scope_not_held', 'cannot_target_self'],
  responses: { 200: json(ScopesResult, 'Granted') },
});

export const revokeRoute = adminRoute({
  method: 'post',
  path: '/scopes/revoke',
  operationId: 'adminRevokeScopes',
  summary: 'Revoke scopes from an account (only scopes you hold yourself): they stop at once',
  scope: 'admin:scopes',
  dangerous: true,
  request: body(ScopesChange.openapi('AdminRevokeScopesRequest'), 'Whom, which scopes, why'),
  problems: [...BODY_PROBLEMS, 'not_found', 'scope_not_held'],
  responses: { 200: json(ScopesResult, 'Revoked') },
});

export const ScopeRequestView = z
  .object({
    id: z.number().int(),
    user_id: z.uuid(),
    username: z.string(),
    scopes: z.array(z.string()),
    reason: z.string(),
    requested_by: z.uuid(),
    status: z.enum(['pending', 'approved', 'rejected']),
    decided_by: z.string().nullable(),
    created_at: iso(),
    decided_at: isoOrNull(),
  })
  .openapi('AdminScopeRequest');
const RequestResult = z.object({ request: ScopeRequestView, audit: AuditEntryView }).openapi('AdminScopeRequestResult');
const RequestParam = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 53 - 1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const requestScopesRoute = adminRoute({
  method: 'post',
  path: '/scopes/requests',
  operationId: 'adminRequestScopes',
  summary: 'Ask for scopes for an account (yours or another’s); another admin holding them approves',
  scope: 'admin:read',
  request: body(ScopesChange.openapi('AdminScopeRequestRequest'), 'Whom, which scopes, why'),
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: { 201: json(RequestResult, 'Requested') },
});

export const listRequestsRoute = adminRoute({
  method: 'get',
  path: '/scopes/requests',
  operationId: 'adminListScopeRequests',
  summary: 'Scope requests, newest first',
  scope: 'admin:read',
  request: {
    query: z
      .object({
        status: z
          .enum(['pending', 'approved', 'rejected'])
          .default('pending')
          .openapi({ param: { name: 'status', in: 'query' } }),
      })
      .strict(),
  },
  problems: ['validation_failed'],
  responses: { 200: json(z.object({ requests: z.array(ScopeRequestView) }).openapi('AdminScopeRequestList'), 'Requests') },
});

export const approveRoute = adminRoute({
  method: 'post',
  path: '/scopes/requests/{id}/approve',
  operationId: 'adminApproveScopeRequest',
  summary: 'Approve a scope request: never your own, and only for scopes you hold',
  scope: 'admin:scopes',
  dangerous: true,
  request: { params: RequestParam },
  problems: ['validation_failed', 'not_found', 'self_approval', 'scope_not_held', 'request_decided'],
  responses: { 200: json(RequestResult, 'Approved and granted') },
});

export const rejectRoute = adminRoute({
  method: 'post',
  path: '/scopes/requests/{id}/reject',
  operationId: 'adminRejectScopeRequest',
  summary: 'Reject a scope request',
  scope: 'admin:scopes',
  request: { params: RequestParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminRejectRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found', 'request_decided'],
  responses: { 200: json(RequestResult, 'Rejected') },
});
