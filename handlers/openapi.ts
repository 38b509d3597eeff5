import { z } from '@hono/zod-openapi';
import { PROBLEM_CODES, PROBLEMS, type ProblemCode } from '../contract/problems.js';

/** Every code of the error catalog, published once as a schema the typed client and other languages read. */
export const ProblemCodeSchema = z.enum(PROBLEM_CODES as [ProblemCode, ...ProblemCode[]]).openapi('ProblemCode');

/** The problem+json body every error shares, as the OpenAPI document describes it. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: ProblemCodeSchema.openapi({ description: 'Stable machine-readable reason; switch on this' }),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'One entry per invalid field (validation failures)' }),
    request_id: z.string().optional(),
  })
  .openapi('Problem');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Invalid input',
  429: 'Rate limited (see Retry-After)',
  503: 'Unavailable for now',
};

/** What every route behind `requireUser` may answer (each reads a database). */
export const AUTH_PROBLEMS = [
  'unauthenticated',
  'invalid_token',
  'session_revoked',
  'account_disabled',
  'session_check_unavailable',
  'database_unavailable',
] as const satisfies readonly ProblemCode[];
/** What every route with a JSON body may answer before it runs. */
export const BODY_PROBLEMS = ['malformed_json', 'unsupported_media_type', 'payload_too_large', 'validation_failed'] as const satisfies readonly ProblemCode[];
/** What an action taking an Idempotency-Key may answer about the key. */
export const KEY_PROBLEMS = ['invalid_idempotency_key', 'idempotency_key_reused'] as const satisfies readonly ProblemCode[];

type ProblemEntry = { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } };

/**
 * An operation's error responses, from the codes it can answer with: grouped by their status in
 * the catalog, each status listing its codes (also as `x-problem-codes`, for generators).
 */
export function problemResponses(...codes: ProblemCode[]): Record<number, ProblemEntry> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) {
    const { status } = PROBLEMS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        status,
        {
          description: `${DESCRIPTIONS[status] ?? 'Error'}: ${list.map((code) => `\`${code}\``).join(', ')}`,
          content: { 'application/problem+json': { schema: ProblemSchema } },
          'x-problem-codes': list,
        },
      ]),
  ) as Record<number, ProblemEntry>;
}
