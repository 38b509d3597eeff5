import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Deps } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { newPersonalToken, TOKEN_SCOPES, tokenSessionId } from '../../platform/personal-tokens.js';
import { markSessionRevoked } from '../../platform/session-status.js';
import type { PersonalAccessToken } from '../../platform/db/schema.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, problemResponses } from '../openapi.js';

/** Live (unrevoked, unexpired) tokens an account may hold at once. */
export const MAX_TOKENS_PER_ACCOUNT = 25;

const TokenScopeSchema = z.enum(TOKEN_SCOPES).openapi('TokenScope', {
  description: '`game:read`: read the game (sectors, ship, events, realtime). `game:play`: also move, trade and every other game action.',
});

const CreateTokenBody = z
  .strictObject({
    name: z.string().trim().min(1).max(64).openapi({ example: 'my trading bot' }),
    scopes: z
      .array(TokenScopeSchema)
      .min(1)
      .max(TOKEN_SCOPES.length)
      .refine((s) => new Set(s).size === s.length, 'must not repeat a scope'),
    expires_in_days: z.number().int().min(1).max(365).default(30).openapi({ description: 'Days until the token stops working (1–365, 30 by default)' }),
  })
  .openapi('CreateTokenRequest');

const TokenView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(TokenScopeSchema),
    token_start: z.string().openapi({ description: 'The first characters of the token, to tell tokens apart', example: 'swp_Zm9vYmFy' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    expires_at: z.string().openapi({ format: 'date-time' }),
    last_used_at: z.string().nullable().openapi({ format: 'date-time', description: 'Within a minute; null when never used' }),
  })
  .openapi('PersonalAccessToken');

const CreatedToken = TokenView.extend({
  token: z.string().openapi({
    description: 'The token itself, shown this once (only its hash is kept). Send it as `Authorization: Bearer swp_…`.',
    example: 'swp_3q2+7w…',
  }),
}).openapi('CreatedPersonalAccessToken');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const session = [{ bearer: [] }];

const createTokenRoute = createRoute({
  method: 'post',
  path: '/tokens',
  tags: ['auth'],
  operationId: 'createToken',
  summary: 'Create a personal access token for a bot',
  description: 'Signed-in sessions only: no personal access token can create, list or revoke tokens.',
  security: session,
  request: { body: { ...json(CreateTokenBody, 'Name, scopes and lifetime'), required: true } },
  responses: {
    201: json(CreatedToken, 'The new token, shown once'),
    ...problemResponses(...BODY_PROBLEMS, ...AUTH_PROBLEMS, 'insufficient_scope', 'token_limit_reached', 'rate_limited'),
  },
});

const listTokensRoute = createRoute({
  method: 'get',
  path: '/tokens',
  tags: ['auth'],
  operationId: 'listTokens',
  summary: 'Your personal access tokens that have not been revoked, newest first',
  security: session,
  responses: {
    200: json(z.object({ tokens: z.array(TokenView) }).openapi('PersonalAccessTokenList'), 'The tokens (never the secrets)'),
    ...problemResponses(...AUTH_PROBLEMS, 'insufficient_scope', 'rate_limited'),
  },
});

const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  tags: ['auth'],
  operationId: 'revokeToken',
  summary: 'Revoke a personal access token: it stops working at once, on every server',
  security: session,
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: {
    204: { description: 'Revoked (also when it already was)' },
    ...problemResponses('validation_failed', ...AUTH_PROBLEMS, 'insufficient_scope', 'not_found', 'rate_limited'),
  },
});

export function tokenRoutes(deps: Deps) {
  const db = deps.accounts;
  return bundleRouter()
    .openapi({ ...createTokenRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const user = c.get('user');
      const { name, scopes, expires_in_days } = c.req.valid('json');
      const minted = newPersonalToken();
      const row = await db.transaction().execute(async (trx) => {
        // One account's creations queue on its user row, so the cap holds under concurrency.
        await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().execute();
        const live = await trx
          .selectFrom('personal_access_tokens')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('user_id', '=', user.id)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', sql<Date>`now()`)
          .executeTakeFirstOrThrow();
        if (live.n >= MAX_TOKENS_PER_ACCOUNT) {
          throw new Problem('token_limit_reached', { detail: `At most ${MAX_TOKENS_PER_ACCOUNT} live tokens; revoke one first` });
        }
        return trx
          .insertInto('personal_access_tokens')
          .values({
            user_id: user.id,
            name,
            token_hash: minted.hash,
            token_start: minted.start,
            scopes,
            expires_at: sql<Date>`now() + make_interval(days => ${expires_in_days})`,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      c.get('log').info({ user_id: user.id, token_id: row.id, scopes }, 'personal access token created');
      c.header('cache-control', 'no-store');
      return c.json({ ...tokenView(row), token: minted.token }, 201);
    })
    .openapi({ ...listTokensRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const rows = await db
        .selectFrom('personal_access_tokens')
        .selectAll()
        .where('user_id', '=', c.get('user').id)
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return c.json({ tokens: rows.map(tokenView) }, 200);
    })
    .openapi({ ...revokeTokenRoute, middleware: [requireUser(deps)] as const }, async (c) => {
      const { id } = c.req.valid('param');
      const row = await db
        .updateTable('personal_access_tokens')
        .set({ revoked_at: sql`coalesce(revoked_at, now())` })
        .where('id', '=', id)
        .where('user_id', '=', c.get('user').id)
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new Problem('not_found', { detail: 'No such token of yours' });
      await markSessionRevoked(deps.bus, tokenSessionId(id));
      c.get('log').info({ user_id: c.get('user').id, token_id: id }, 'personal access token revoked');
      return c.body(null, 204);
    });
}

function tokenView(row: PersonalAccessToken) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Array<(typeof TOKEN_SCOPES)[number]>,
    token_start: row.token_start,
    created_at: new Date(row.created_at).toISOString(),
    expires_at: new Date(row.expires_at).toISOString(),
    last_used_at: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  };
}
