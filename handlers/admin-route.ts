import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { ProblemCode } from '../contract/problems.js';
import type { AdminScope } from '../platform/admin-scopes.js';
import type { AuditEntry } from '../platform/audit.js';
import { type AppEnv, type Deps, validationProblem } from '../platform/http/context.js';
import { requireAdmin } from '../platform/http/require-admin.js';
import { AUTH_PROBLEMS, problemResponses } from './openapi.js';

/** What every admin route may answer before it runs. */
export const ADMIN_PROBLEMS = [...AUTH_PROBLEMS, 'insufficient_scope', 'second_factor_required', 'rate_limited'] as const satisfies readonly ProblemCode[];
/** What a dangerous admin route (credits, bans, scope grants, universe changes) adds: its TOTP code. */
export const TOTP_PROBLEMS = ['totp_required', 'totp_invalid'] as const satisfies readonly ProblemCode[];

const TotpHeader = z.object({
  'x-totp-code': z
    .string()
    .optional()
    .openapi({
      param: { name: 'x-totp-code', in: 'header' },
      description: 'A fresh TOTP code (each is good once); 403 `totp_required` without it',
      example: '123456',
    }),
});

type AdminSpec = Omit<RouteConfig, 'responses' | 'security' | 'tags'> & {
  /** the one scope the route needs, enforced by requireAdmin and published as `x-admin-scope` */
  scope: AdminScope;
  /** a change that asks for a fresh TOTP code in X-TOTP-Code (published as `x-totp-required`) */
  dangerous?: boolean;
  /** the route's own problem codes (the admin gate's are added) */
  problems: readonly ProblemCode[];
  responses: RouteConfig['responses'];
};

/**
 * The one way to declare an admin route: its scope and whether it is dangerous, in code and in
 * the OpenAPI document (`x-admin-scope`, `x-totp-required`), with the gate's problems listed.
 * Mount it with `guarded(deps, route)`, which puts requireAdmin in front with the same scope.
 */
export function adminRoute<S extends AdminSpec>(spec: S) {
  const { scope, dangerous, problems, responses, ...route } = spec;
  const totp = dangerous === true;
  const notes = [
    `Admin scope: \`${scope}\`.`,
    totp ? 'Dangerous: send a fresh TOTP code in `X-TOTP-Code`.' : undefined,
    'Every change writes one audit row.',
  ].filter(Boolean);
  return createRoute({
    ...route,
    ...(totp ? { request: { ...route.request, headers: TotpHeader } } : {}),
    tags: ['admin'],
    description: [route.description, notes.join(' ')].filter(Boolean).join('\n\n'),
    security: [{ bearer: [] }],
    'x-admin-scope': scope,
    'x-totp-required': totp,
    responses: { ...responses, ...problemResponses(...ADMIN_PROBLEMS, ...(totp ? TOTP_PROBLEMS : []), ...problems) },
  } as Omit<S, 'scope' | 'dangerous' | 'problems'> & { 'x-admin-scope': AdminScope; 'x-totp-required': boolean });
}

/** An admin change's audit entry, signed with the admin the gate let in and the request's id. */
export function auditEntry(c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor' | 'requestId'>): AuditEntry {
  return { ...entry, actor: { id: c.get('admin').id, name: c.get('admin').name }, requestId: c.get('requestId') };
}

/** An admin route with its gate in front: the scope and TOTP rule it declares, enforced. */
export function guarded<R extends { 'x-admin-scope': AdminScope; 'x-totp-required': boolean; request?: RouteConfig['request'] }>(deps: Deps, route: R) {
  const totp = route['x-totp-required'];
  const gate = requireAdmin(deps, route['x-admin-scope'], { totp, ...(totp ? { validate: requestCheck(route.request) } : {}) });
  return { ...route, middleware: [gate] };
}

type Schema = { safeParse(input: unknown): { success: true } | { success: false; error: ZodError } };

/**
 * The route's own request validation, run by the gate before it spends a TOTP code: a change the
 * route would refuse as invalid is refused with the same 422 and leaves the code unspent. The route's
 * validators still run after the gate (the body is parsed once, app-wide, and cached).
 */
function requestCheck(request: RouteConfig['request']) {
  const body = (request?.body?.content?.['application/json'] as { schema?: Schema } | undefined)?.schema;
  const params = request?.params as Schema | undefined;
  const query = request?.query as Schema | undefined;
  return async (c: Context<AppEnv>) => {
    const parts: [string, Schema | undefined, () => unknown][] = [
      ['param', params, () => c.req.param()],
      ['query', query, () => c.req.query()],
    ];
    for (const [target, schema, read] of parts) {
      const result = schema?.safeParse(read());
      if (result && !result.success) throw validationProblem(result.error, target);
    }
    if (body) {
      const result = body.safeParse(await c.req.json());
      if (!result.success) throw validationProblem(result.error, 'json');
    }
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Text an admin writes that goes out as JSON (events, audit rows): no lone surrogates, no control or bidi characters. */
export const AdminText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !LONE_SURROGATE.test(text) && !CONTROL.test(text), 'no control characters or broken Unicode');

/** A reason, required for credits, bans and universe changes; it goes into the audit row. */
export const Reason = z.string().trim().min(3, 'say why, in a few words').max(500).openapi({ example: 'refund after a lost trade (ticket 1234)' });

export const AuditEntryView = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ format: 'date-time' }),
    actor_id: z.string().nullable().openapi({ description: 'null: the CLI on the server itself' }),
    actor_name: z.string(),
    action: z.string().openapi({ example: 'player.credits' }),
    target_type: z.string(),
    target_id: z.string(),
    before: z.unknown().openapi({ description: 'The state before the change (JSON), or null' }),
    after: z.unknown().openapi({ description: 'The state after the change (JSON), or null' }),
    reason: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .openapi('AdminAuditEntry');
