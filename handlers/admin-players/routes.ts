import { z } from '@hono/zod-openapi';
import { BODY_PROBLEMS } from '../openapi.js';
import { adminRoute, AuditEntryView, Reason } from '../admin-route.js';
import { iso, isoOrNull, PlayerView, ShipView } from '../schemas.js';

/** The players admin API: the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...json(schema, description), required: true } });
const UserParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'The account id' }) });

export const AccountAdminView = z
  .object({
    id: z.uuid(),
    username: z.string(),
    email: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    disabled_reason: z.enum(['suspended', 'banned']).nullable(),
    disabled_until: isoOrNull(),
    scopes: z.array(z.string()),
    totp_enrolled: z.boolean(),
    password_reset_required: z.boolean(),
    created_at: iso(),
    last_login_at: isoOrNull(),
  })
  .openapi('AdminAccount');

const SessionView = z
  .object({ id: z.uuid().openapi({ description: 'The refresh-token family' }), created_at: iso(), expires_at: iso(), second_factor: z.boolean() })
  .openapi('AdminSession');
const ProviderView = z
  .object({ provider: z.string(), email: z.string().nullable(), display_name: z.string().nullable(), created_at: iso() })
  .openapi('AdminProvider');
const TokenAdminView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.string()),
    token_start: z.string(),
    created_at: iso(),
    expires_at: iso(),
    last_used_at: isoOrNull(),
    revoked_at: isoOrNull(),
  })
  .openapi('AdminToken');
export const LedgerEntryView = z
  .object({ id: z.number().int(), delta: z.number().int(), balance_after: z.number().int(), reason: z.string(), ref: z.unknown(), created_at: iso() })
  .openapi('LedgerEntry');
const CombatLogSummary = z
  .object({
    id: z.string(),
    sector_id: z.number().int(),
    attacker: z.string(),
    defender: z.string(),
    attacked: z.boolean(),
    result: z.string(),
    created_at: iso(),
  })
  .openapi('AdminCombatLogSummary');
const ReportSummary = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    filed_by_player: z.boolean().openapi({ description: 'true: the player filed it; false: it is about the player' }),
    reason: z.string(),
    status: z.string(),
    created_at: iso(),
  })
  .openapi('AdminReportSummary');

export const PlayerDetail = z
  .object({
    account: AccountAdminView,
    pilot: PlayerView.nullable().openapi({ description: 'null until the account has played' }),
    ship: ShipView.nullable().openapi({ description: 'The ship and its cargo; null until the account has played' }),
    sessions: z.array(SessionView).openapi({ description: 'Signed-in sessions that are still live' }),
    providers: z.array(ProviderView),
    tokens: z.array(TokenAdminView).openapi({ description: 'Personal access tokens, revoked ones included, newest first' }),
    ledger: z.array(LedgerEntryView).openapi({ description: 'The newest 20 ledger rows (the full ledger: GET …/ledger)' }),
    combat_logs: z.array(CombatLogSummary).openapi({ description: 'The newest 20 engagements' }),
    reports: z.array(ReportSummary).openapi({ description: 'The newest 20 reports the player filed or that are about the player' }),
  })
  .openapi('AdminPlayerDetail');

const Page = z.object({
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'From the previous page’s `next`' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(25)
    .openapi({ param: { name: 'limit', in: 'query' } }),
});

export const searchPlayersRoute = adminRoute({
  method: 'get',
  path: '/',
  operationId: 'adminSearchPlayers',
  summary: 'Search accounts by name, email or id',
  description:
    'A uuid finds that account; text with `@` matches emails that start with it; other text matches usernames containing it (case-insensitive). Ordered by username.',
  scope: 'admin:read',
  request: {
    query: Page.extend({
      q: z
        .string()
        .trim()
        .max(254)
        .optional()
        .openapi({ param: { name: 'q', in: 'query' }, example: 'han' }),
    }).strict(),
  },
  problems: ['validation_failed', 'invalid_cursor'],
  responses: { 200: json(z.object({ players: z.array(AccountAdminView), next: z.string().nullable() }).openapi('AdminPlayerList'), 'Matching accounts') },
});

export const playerDetailRoute = adminRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'adminGetPlayer',
  summary: 'An account and its pilot: state, ship, cargo, ledger, sessions, providers, tokens, combat logs, reports',
  scope: 'admin:read',
  request: { params: UserParam },
  problems: ['validation_failed', 'not_found'],
  responses: { 200: json(PlayerDetail, 'The player') },
});

export const playerLedgerRoute = adminRoute({
  method: 'get',
  path: '/{id}/ledger',
  operationId: 'adminGetPlayerLedger',
  summary: 'A pilot’s whole credit ledger, newest first',
  scope: 'admin:read',
  request: { params: UserParam, query: Page.strict() },
  problems: ['validation_failed', 'not_found', 'invalid_cursor'],
  responses: {
    200: json(
      z.object({ entries: z.array(LedgerEntryView), credits: z.number().int(), next: z.string().nullable() }).openapi('AdminLedgerPage'),
      'Ledger rows',
    ),
  },
});

/** What every admin change answers: the state it left and the audit row it wrote. */
const ChangeResult = <T extends z.ZodType>(name: string, after: T) => z.object({ after, audit: AuditEntryView }).openapi(name);

const AccountState = z
  .object({ status: z.enum(['active', 'disabled']), disabled_reason: z.enum(['suspended', 'banned']).nullable(), disabled_until: isoOrNull() })
  .openapi('AdminAccountState');

export const suspendRoute = adminRoute({
  method: 'post',
  path: '/{id}/suspend',
  operationId: 'adminSuspendPlayer',
  summary: 'Suspend an account for some hours: every session and token ends, its socket closes at once',
  scope: 'admin:players',
  dangerous: true,
  request: {
    params: UserParam,
    ...body(
      z
        .strictObject({
          reason: Reason,
          hours: z
            .number()
            .int()
            .min(1)
            .max(24 * 365),
        })
        .openapi('AdminSuspendRequest'),
      'Why, and for how long',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'cannot_target_self'],
  responses: { 200: json(ChangeResult('AdminSuspendResult', AccountState), 'Suspended') },
});

export const banRoute = adminRoute({
  method: 'post',
  path: '/{id}/ban',
  operationId: 'adminBanPlayer',
  summary: 'Ban an account: every session and token ends, its socket closes at once',
  scope: 'admin:players',
  dangerous: true,
  request: { params: UserParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminBanRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found', 'cannot_target_self'],
  responses: { 200: json(ChangeResult('AdminBanResult', AccountState), 'Banned') },
});

export const unbanRoute = adminRoute({
  method: 'post',
  path: '/{id}/unban',
  operationId: 'adminUnbanPlayer',
  summary: 'Lift a ban or suspension',
  scope: 'admin:players',
  dangerous: true,
  request: { params: UserParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminUnbanRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: { 200: json(ChangeResult('AdminUnbanResult', AccountState), 'Active again') },
});

const CreditsState = z.object({ credits: z.number().int(), delta: z.number().int() }).openapi('AdminCreditsState');

export const creditsRoute = adminRoute({
  method: 'post',
  path: '/{id}/credits',
  operationId: 'adminAdjustCredits',
  summary: 'Add or take credits: one ledger row (reason `admin_adjustment`, with who and why)',
  scope: 'admin:economy',
  dangerous: true,
  request: {
    params: UserParam,
    ...body(
      z
        .strictObject({ delta: z.number().int().min(-1_000_000_000).max(1_000_000_000).openapi({ example: 5000 }), reason: Reason })
        .openapi('AdminCreditsRequest'),
      'How many credits (negative takes), and why',
    ),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'insufficient_credits', 'invalid_quantity', 'universe_missing'],
  responses: { 200: json(ChangeResult('AdminCreditsResult', CreditsState), 'Adjusted') },
});

const PositionState = z.object({ sector_id: z.number().int(), region_id: z.number().int() }).openapi('AdminPositionState');

export const moveRoute = adminRoute({
  method: 'post',
  path: '/{id}/move',
  operationId: 'adminMovePilot',
  summary: 'Move a pilot to a sector (no warp, no turns): it, its ship and its realtime subscription follow',
  scope: 'admin:players',
  request: {
    params: UserParam,
    ...body(z.strictObject({ sector_id: z.number().int().min(1).max(10_000_000), reason: Reason }).openapi('AdminMoveRequest'), 'Where to, and why'),
  },
  problems: [...BODY_PROBLEMS, 'not_found', 'sector_not_found', 'already_here', 'universe_missing'],
  responses: { 200: json(ChangeResult('AdminMoveResult', PositionState), 'Moved') },
});

const RevokedState = z.object({ sessions_revoked: z.number().int(), tokens_revoked: z.number().int() }).openapi('AdminRevokedState');

export const revokeTokensRoute = adminRoute({
  method: 'post',
  path: '/{id}/revoke-tokens',
  operationId: 'adminRevokePlayerTokens',
  summary: 'Sign an account out everywhere: every session and personal access token ends, its socket closes',
  scope: 'admin:players',
  request: { params: UserParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminRevokeRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: { 200: json(ChangeResult('AdminRevokeResult', RevokedState), 'Revoked') },
});

export const passwordResetRoute = adminRoute({
  method: 'post',
  path: '/{id}/password-reset',
  operationId: 'adminForcePasswordReset',
  summary: 'Force a password reset: the password stops working, sessions end; answers a one-time link to give the player',
  scope: 'admin:players',
  request: { params: UserParam, ...body(z.strictObject({ reason: Reason }).openapi('AdminPasswordResetRequest'), 'Why') },
  problems: [...BODY_PROBLEMS, 'not_found'],
  responses: {
    200: json(
      z
        .object({
          after: RevokedState.extend({ password_reset_required: z.boolean() }),
          link: z.string().openapi({ description: 'Good once, for 24 hours: the player sets a new password there (POST /api/v1/auth/account-link)' }),
          expires_at: iso(),
          audit: AuditEntryView,
        })
        .openapi('AdminPasswordResetResult'),
      'Reset forced',
    ),
  },
});
