import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { crewAfter } from '../../game/changes.js';
import { DEFENSES } from '../../game/catalog/defenses.js';
import { type DefenseKind, type DeployOrder, type DeployOutcome, decideDeploy, decideRecall, type RecallOutcome } from '../../game/defenses.js';
import type { GameTime } from '../../game/pilot.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import type { ActionPlan } from '../../world/action.js';
import { type DefenseScene, defensesIn, readDefenseScene, territoryContext } from '../../world/defenses.js';
import { crewOf, present } from '../../world/pilots.js';
import { teamOf } from '../../world/teams.js';
import { answerAction } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { DefenseView, IdempotencyHeader, PlayerView, ShipView } from '../schemas.js';
import { defensesSummary, playerView, shipView } from '../views.js';

const Quantity = z.number().int().min(1).max(1_000_000);
const Mode = z.enum(['defensive', 'toll', 'offensive']);

const FightersBody = z
  .strictObject({
    quantity: Quantity.openapi({ description: 'Fighters to leave here, from those aboard' }),
    mode: Mode.openapi({
      description:
        'defensive: attack a hostile pilot who passes on (a retreat the way it came is let go); toll: charge hostile entrants, attack those who do not pay; offensive: attack hostile entrants',
    }),
    toll: z.number().int().min(1).max(DEFENSES.maxToll).optional().openapi({ description: 'Credits per entry; required for toll mode' }),
    team: z.boolean().optional().openapi({ description: 'Deploy as your team’s: every member passes them' }),
  })
  .refine((body) => body.mode !== 'toll' || body.toll !== undefined, { message: 'toll mode needs a toll', path: ['toll'] })
  .openapi('DeployFightersRequest');

const MinesBody = z
  .strictObject({
    quantity: Quantity.openapi({ description: 'Mines to lay here, from those aboard' }),
    team: z.boolean().optional(),
  })
  .openapi('DeployMinesRequest');

const RecallBody = z.strictObject({ kind: z.enum(['fighters', 'mines']), quantity: Quantity }).openapi('RecallRequest');

const DeployResult = z
  .object({
    deployed: z.object({
      defense_id: z.string(),
      sector_id: z.number().int(),
      kind: z.enum(['fighters', 'mines']),
      deployed: z.number().int(),
      quantity: z.number().int().openapi({ description: 'Your stack here now' }),
      mode: Mode.nullable(),
      toll: z.number().int(),
      team_owned: z.boolean(),
      turns_left: z.number().int(),
    }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('DeployResult');

const RecallResult = z
  .object({
    recalled: z.object({
      defense_id: z.string(),
      kind: z.enum(['fighters', 'mines']),
      recalled: z.number().int(),
      left: z.number().int(),
      turns_left: z.number().int(),
    }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('RecallResult');

const DEPLOY_PROBLEMS = [
  ...AUTH_PROBLEMS,
  ...BODY_PROBLEMS,
  ...KEY_PROBLEMS,
  'fedspace',
  'invalid_quantity',
  'not_in_team',
  'insufficient_turns',
  'universe_missing',
] as const;

const fightersRoute = createRoute({
  method: 'post',
  path: '/fighters',
  tags: ['defenses'],
  summary: 'Deploy fighters in your sector (1 turn); they join your stack here, which takes this mode and toll',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: FightersBody } }, required: true } },
  responses: {
    200: { description: 'Deployed', content: { 'application/json': { schema: DeployResult } } },
    ...problemResponses(...DEPLOY_PROBLEMS, 'insufficient_fighters'),
  },
});

const minesRoute = createRoute({
  method: 'post',
  path: '/mines',
  tags: ['defenses'],
  summary: 'Lay mines in your sector (1 turn): they hit hostile entrants, shields first, and are used up',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: MinesBody } }, required: true } },
  responses: {
    200: { description: 'Deployed', content: { 'application/json': { schema: DeployResult } } },
    ...problemResponses(...DEPLOY_PROBLEMS, 'insufficient_mines'),
  },
});

const recallRoute = createRoute({
  method: 'post',
  path: '/recall',
  tags: ['defenses'],
  summary: 'Take your own fighters or mines in this sector back aboard (1 turn)',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: RecallBody } }, required: true } },
  responses: {
    200: { description: 'Recalled', content: { 'application/json': { schema: RecallResult } } },
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      'no_defenses',
      'exceeds_deployed',
      'exceeds_capacity',
      'insufficient_turns',
      'universe_missing',
    ),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['defenses'],
  summary: 'The defenses deployed in your sector: exact for your own and friendly stacks, banded for others',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'Stacks here',
      content: {
        'application/json': {
          schema: z
            .object({
              sector_id: z.number().int(),
              fighters: z.number().int(),
              mines: z.number().int(),
              owners: z.array(z.string()),
              stacks: z.array(DefenseView),
            })
            .openapi('SectorDefenses'),
        },
      },
    },
    ...problemResponses(...AUTH_PROBLEMS, 'universe_missing'),
  },
});

function deployPlan(userId: string, order: DeployOrder, teamId: number | null, at: GameTime): ActionPlan<DefenseScene, DeployOutcome> {
  const newId = randomUUID();
  return {
    read: async (trx) => present(await readDefenseScene(trx, userId, []), userId),
    decide: (scene) => {
      const own = scene.defenses.find((d) => d.ownerUserId === userId && d.kind === order.kind) ?? null;
      return decideDeploy(scene.crew, order, { sector: scene.sector, own, teamId, newId }, at);
    },
    respond: (scene, outcome, changes) => {
      const after = crewAfter(scene.crew, changes);
      return { status: 200, body: { deployed: outcome, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
    },
  };
}

export const defensesBundle: Bundle = {
  name: 'defenses',
  basePath: '/api/v1/defenses',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    const teamIdOf = async (userId: string) => (await teamOf(deps.accounts, [userId])).get(userId) ?? null;
    return app
      .openapi(fightersRoute, async (c) => {
        const body = c.req.valid('json');
        const userId = c.get('user').id;
        const order: DeployOrder = {
          kind: 'fighters',
          quantity: body.quantity,
          mode: body.mode,
          ...(body.toll !== undefined ? { toll: body.toll } : {}),
          ...(body.team !== undefined ? { team: body.team } : {}),
        };
        return answerAction(c, deps, deployPlan(userId, order, await teamIdOf(userId), { nowMs: Date.now(), timeScale })) as never;
      })
      .openapi(minesRoute, async (c) => {
        const body = c.req.valid('json');
        const userId = c.get('user').id;
        const order: DeployOrder = { kind: 'mines', quantity: body.quantity, ...(body.team !== undefined ? { team: body.team } : {}) };
        return answerAction(c, deps, deployPlan(userId, order, await teamIdOf(userId), { nowMs: Date.now(), timeScale })) as never;
      })
      .openapi(recallRoute, async (c) => {
        const { kind, quantity } = c.req.valid('json');
        const userId = c.get('user').id;
        const at = { nowMs: Date.now(), timeScale };
        const plan: ActionPlan<DefenseScene, RecallOutcome> = {
          read: async (trx) => present(await readDefenseScene(trx, userId, []), userId),
          decide: (scene) =>
            decideRecall(scene.crew, { kind, quantity }, scene.defenses.find((d) => d.ownerUserId === userId && d.kind === (kind as DefenseKind)) ?? null, at),
          respond: (scene, outcome, changes) => {
            const after = crewAfter(scene.crew, changes);
            return { status: 200, body: { recalled: outcome, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
          },
        };
        return answerAction(c, deps, plan) as never;
      })
      .openapi(listRoute, async (c) => {
        const userId = c.get('user').id;
        const crew = await crewOf(deps, userId);
        const sectorId = crew.pilot.sectorId;
        const [territory, defenses] = await Promise.all([territoryContext(deps, userId, [sectorId], sectorId), defensesIn(deps.region, [sectorId])]);
        const summary = defensesSummary(defenses, territory.who);
        return c.json({ sector_id: sectorId, ...summary }, 200);
      });
  },
};
