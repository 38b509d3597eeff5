import { createRoute, z } from '@hono/zod-openapi';
import { TEAM } from '../../game/catalog/people.js';
import type { ProblemCode } from '../../contract/problems.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import {
  answerInvitation,
  createTeam,
  disbandTeam,
  invitationsFor,
  invitationsOf,
  invite,
  kick,
  leaveTeam,
  moveTreasury,
  myTeamId,
  searchTeams,
  setWithdrawRight,
  settlePending,
  teamView,
  transferLeadership,
  treasuryHistory,
} from '../../world/teams.js';
import { Problem } from '../../platform/errors.js';
import { idempotencyHash } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { IdempotencyHeader } from '../schemas.js';

const PilotName = z.string().min(1).max(64).openapi({ description: "A pilot's name", example: 'han_solo' });
const TeamName = z
  .string()
  .trim()
  .min(TEAM.nameLength.min)
  .max(TEAM.nameLength.max)
  // ASCII, as pilot names are: the OpenAPI pattern has no unicode flag for other validators to honour.
  .regex(/^[A-Za-z0-9 _'-]+$/, "letters, digits, spaces, _ - and '")
  .openapi({ example: 'Rebel Traders' });
const TeamTag = z
  .string()
  .min(TEAM.tagLength.min)
  .max(TEAM.tagLength.max)
  .regex(/^[A-Za-z0-9]+$/, 'letters and digits')
  .openapi({ example: 'REB' });
const Id = z.coerce
  .number()
  .int()
  .positive()
  .max(2_147_483_647)
  .openapi({ param: { name: 'id', in: 'path' }, example: 1 });

const Member = z.object({ pilot: z.string(), leader: z.boolean(), can_withdraw: z.boolean(), joined_at: z.string() }).openapi('TeamMember');
const Team = z
  .object({
    id: z.number().int(),
    name: z.string(),
    tag: z.string(),
    leader: z.string().nullable(),
    treasury: z.number().int(),
    created_at: z.string(),
    members: z.array(Member),
    max_members: z.number().int(),
    invitations: z
      .array(z.object({ id: z.number().int(), pilot: z.string(), created_at: z.string() }))
      .openapi({ description: "The team's pending invitations (members only; empty for others)" }),
  })
  .openapi('Team');
const Invitation = z
  .object({ id: z.number().int(), team_id: z.number().int(), name: z.string(), tag: z.string(), from: z.string(), created_at: z.string() })
  .openapi('TeamInvitation');
const LedgerEntry = z
  .object({ id: z.number().int(), pilot: z.string(), delta: z.number().int(), balance_after: z.number().int(), reason: z.string(), at: z.string() })
  .openapi('TeamLedgerEntry');
const Ok = z.object({ ok: z.boolean() }).openapi('Ok');

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const TEAM_PROBLEMS = ['not_found', 'not_team_member'] as const satisfies readonly ProblemCode[];

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

const createTeamRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['teams'],
  summary: 'Found a team; you lead it',
  security: [{ bearer: [] }],
  request: { body: json(z.strictObject({ name: TeamName, tag: TeamTag }).openapi('CreateTeamRequest')) },
  responses: { 201: ok('The new team', Team), ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, 'already_in_team', 'team_name_taken', 'team_tag_taken') },
});

const listTeamsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['teams'],
  summary: 'Find teams by name or tag',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      query: z
        .string()
        .max(64)
        .optional()
        .openapi({ param: { name: 'query', in: 'query' } }),
    }),
  },
  responses: {
    200: ok(
      'Matching teams, and yours',
      z
        .object({
          teams: z.array(z.object({ id: z.number().int(), name: z.string(), tag: z.string(), members: z.number().int() })),
          my_team_id: z.number().int().nullable(),
        })
        .openapi('TeamList'),
    ),
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

const getTeamRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['teams'],
  summary: 'A team: members, leader, treasury',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: Id }) },
  responses: { 200: ok('The team', Team), ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'not_found') },
});

const teamAction = <B extends z.ZodType, R extends z.ZodType>(path: string, summary: string, body: B, result: R, problems: readonly ProblemCode[]) =>
  createRoute({
    method: 'post',
    path: `/{id}${path}`,
    tags: ['teams'],
    summary,
    security: [{ bearer: [] }],
    request: { params: z.object({ id: Id }), body: json(body) },
    responses: { 200: ok('Done', result), ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...TEAM_PROBLEMS, ...problems) },
  });

const PilotBody = z.strictObject({ pilot: PilotName }).openapi('PilotRequest');
const inviteRoute = teamAction(
  '/invitations',
  'Invite a pilot (leader only)',
  PilotBody,
  z.object({ invitation_id: z.number().int() }).openapi('InvitationSent'),
  ['not_team_leader', 'unknown_pilot', 'pilot_in_team', 'already_invited', 'team_full', 'cannot_target_self'],
);
const leaveRoute = createRoute({
  method: 'post',
  path: '/{id}/leave',
  tags: ['teams'],
  summary: 'Leave the team',
  description: 'The leader hands over first; the last member leaving disbands the team (its treasury paid out to it).',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: Id }) },
  responses: {
    200: ok('Left', z.object({ disbanded: z.boolean() }).openapi('TeamLeft')),
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', ...TEAM_PROBLEMS, 'leader_must_transfer'),
  },
});
const kickRoute = teamAction('/kick', 'Remove a member (leader only)', PilotBody, Ok, ['not_team_leader', 'unknown_pilot', 'cannot_target_self']);
const leaderRoute = teamAction('/leader', 'Hand the leadership to a member (leader only)', PilotBody, Ok, [
  'not_team_leader',
  'unknown_pilot',
  'cannot_target_self',
]);
const rightsRoute = teamAction(
  '/rights',
  'Allow or stop a member withdrawing from the treasury (leader only)',
  z.strictObject({ pilot: PilotName, withdraw: z.boolean() }).openapi('TeamRightsRequest'),
  Ok,
  ['not_team_leader', 'unknown_pilot'],
);
const TreasuryResult = z
  .object({ transfer_id: z.string(), treasury: z.number().int(), credits: z.number().int().openapi({ description: 'Your credits after' }) })
  .openapi('TreasuryResult');
const treasuryRoute = createRoute({
  method: 'post',
  path: '/{id}/treasury',
  tags: ['teams'],
  summary: 'Deposit to or withdraw from the treasury',
  description: 'Withdrawals by the leader or members the leader allows. Every movement is a ledger row on both sides: the pilot’s and the team’s.',
  security: [{ bearer: [] }],
  request: {
    headers: IdempotencyHeader,
    params: z.object({ id: Id }),
    body: json(z.strictObject({ action: z.enum(['deposit', 'withdraw']), amount: z.number().int().min(1).max(1_000_000_000_000) }).openapi('TreasuryRequest')),
  },
  responses: {
    200: ok('The treasury and your credits after', TreasuryResult),
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      ...TEAM_PROBLEMS,
      'insufficient_credits',
      'treasury_insufficient',
      'withdrawal_not_allowed',
    ),
  },
});
const historyRoute = createRoute({
  method: 'get',
  path: '/{id}/treasury',
  tags: ['teams'],
  summary: "The treasury's ledger, newest first (members only)",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: Id }),
    query: z.strictObject({
      before: z.coerce
        .number()
        .int()
        .positive()
        .optional()
        .openapi({ param: { name: 'before', in: 'query' } }),
    }),
  },
  responses: {
    200: ok('One page of the ledger', z.object({ treasury: z.number().int(), entries: z.array(LedgerEntry) }).openapi('TreasuryHistory')),
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', ...TEAM_PROBLEMS),
  },
});
const disbandRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['teams'],
  summary: 'Disband the team (leader only); the treasury is paid out evenly through the ledger',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: Id }) },
  responses: {
    200: ok('The payouts', z.object({ payouts: z.array(z.object({ pilot: z.string(), amount: z.number().int() })) }).openapi('DisbandResult')),
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'not_found', 'not_team_leader'),
  },
});

export const teamsBundle: Bundle = {
  name: 'teams',
  basePath: '/api/v1/teams',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    const full = async (teamId: number, userId: string) => {
      await settlePending(deps, teamId);
      const [view, mine] = await Promise.all([teamView(deps.accounts, teamId), myTeamId(deps.accounts, userId)]);
      return { ...view, max_members: TEAM.maxMembers, invitations: mine === teamId ? await invitationsOf(deps.accounts, teamId) : [] };
    };
    return app
      .openapi(createTeamRoute, async (c) => {
        const { name, tag } = c.req.valid('json');
        const userId = c.get('user').id;
        const id = await createTeam(deps, userId, name, tag);
        return c.json(await full(id, userId), 201);
      })
      .openapi(listTeamsRoute, async (c) => {
        const { query } = c.req.valid('query');
        const userId = c.get('user').id;
        const [teams, mine] = await Promise.all([searchTeams(deps.accounts, query?.trim() || undefined, 50), myTeamId(deps.accounts, userId)]);
        return c.json({ teams, my_team_id: mine }, 200);
      })
      .openapi(getTeamRoute, async (c) => c.json(await full(c.req.valid('param').id, c.get('user').id), 200))
      .openapi(inviteRoute, async (c) => {
        const { pilot } = c.req.valid('json');
        const id = await invite(deps, c.get('user').id, c.req.valid('param').id, pilot);
        return c.json({ invitation_id: id }, 200);
      })
      .openapi(leaveRoute, async (c) => c.json(await leaveTeam(deps, c.get('user').id, c.req.valid('param').id), 200))
      .openapi(kickRoute, async (c) => {
        const { pilot } = c.req.valid('json');
        await kick(deps, c.get('user').id, c.req.valid('param').id, pilot);
        return c.json({ ok: true }, 200);
      })
      .openapi(leaderRoute, async (c) => {
        const { pilot } = c.req.valid('json');
        await transferLeadership(deps, c.get('user').id, c.req.valid('param').id, pilot);
        return c.json({ ok: true }, 200);
      })
      .openapi(rightsRoute, async (c) => {
        const { pilot, withdraw } = c.req.valid('json');
        await setWithdrawRight(deps, c.get('user').id, c.req.valid('param').id, pilot, withdraw);
        return c.json({ ok: true }, 200);
      })
      .openapi(treasuryRoute, async (c) => {
        const { action, amount } = c.req.valid('json');
        const teamId = c.req.valid('param').id;
        const header = c.req.header('idempotency-key');
        if (header !== undefined && !KEY_PATTERN.test(header)) throw new Problem('invalid_idempotency_key');
        const request = header === undefined ? undefined : { key: header, hash: idempotencyHash(c.req.method, c.req.path, await c.req.text()) };
        await settlePending(deps, teamId);
        const { replayed, ...result } = await moveTreasury(deps, c.get('user').id, teamId, action, amount, request);
        if (replayed) c.header('idempotent-replayed', 'true');
        return c.json(result, 200);
      })
      .openapi(historyRoute, async (c) => {
        const teamId = c.req.valid('param').id;
        await settlePending(deps, teamId);
        const entries = await treasuryHistory(deps.accounts, c.get('user').id, teamId, c.req.valid('query').before, 50);
        const view = await teamView(deps.accounts, teamId);
        return c.json({ treasury: view.treasury, entries }, 200);
      })
      .openapi(disbandRoute, async (c) => c.json(await disbandTeam(deps, c.get('user').id, c.req.valid('param').id), 200));
  },
};

const invitationsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['teams'],
  summary: 'Your pending team invitations',
  security: [{ bearer: [] }],
  responses: { 200: ok('Your invitations', z.object({ invitations: z.array(Invitation) }).openapi('InvitationList')), ...problemResponses(...AUTH_PROBLEMS) },
});
const answerRoute = (answer: 'accept' | 'decline') =>
  createRoute({
    method: 'post',
    path: `/{id}/${answer}`,
    tags: ['teams'],
    summary: answer === 'accept' ? 'Join the team that invited you' : 'Decline an invitation',
    security: [{ bearer: [] }],
    request: { params: z.object({ id: Id }) },
    responses: {
      200: ok(
        'Done',
        z.object({ ok: z.boolean(), team_id: z.number().int().nullable() }).openapi(answer === 'accept' ? 'InvitationAccepted' : 'InvitationDeclined'),
      ),
      ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'not_found', ...(answer === 'accept' ? (['already_in_team', 'team_full'] as const) : [])),
    },
  });

export const invitationsBundle: Bundle = {
  name: 'invitations',
  basePath: '/api/v1/invitations',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(invitationsRoute, async (c) => c.json({ invitations: await invitationsFor(deps.accounts, c.get('user').id) }, 200))
      .openapi(answerRoute('accept'), async (c) => {
        const teamId = await answerInvitation(deps, c.get('user').id, c.req.valid('param').id, true);
        return c.json({ ok: true, team_id: teamId }, 200);
      })
      .openapi(answerRoute('decline'), async (c) => {
        await answerInvitation(deps, c.get('user').id, c.req.valid('param').id, false);
        return c.json({ ok: true, team_id: null }, 200);
      });
  },
};
