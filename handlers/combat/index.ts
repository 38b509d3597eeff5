import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { crewAfter } from '../../game/changes.js';
import { type AttackOutcome, decideAttack, decideSalvage, type Engagement } from '../../game/combat.js';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import type { ActionPlan } from '../../world/action.js';
import {
  type AttackScene,
  type CombatLogRow,
  combatLogFor,
  combatLogsOf,
  pilotIdByName,
  protectionOf,
  readFedspace,
  readForAttack,
  readForSalvage,
} from '../../world/arms.js';
import { type AttackDefensesOutcome, decideAttackDefenses } from '../../game/defenses.js';
import { decideAttackPlanet, type PlanetAttackOutcome } from '../../game/planets.js';
import { type PlanetScene, planetOwner, readPlanetScene } from '../../world/planets.js';
import { type DefenseScene, readDefenseScene, territoryContext } from '../../world/defenses.js';
import { crewOf, present } from '../../world/pilots.js';
import { warpGraph } from '../../world/warp-graph.js';
import { areTeammates } from '../../world/teams.js';
import { answerAction } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { Cargo, CommodityName, IdempotencyHeader, PlayerView, ShipView } from '../schemas.js';
import { playerView, shipView } from '../views.js';

const Result = z.enum(['destroyed', 'repelled', 'stalemate']);
const RoundView = z
  .object({
    round: z.number().int(),
    attacker_hits: z.number().int(),
    defender_hits: z.number().int(),
    attacker_fighters: z.number().int(),
    attacker_shields: z.number().int(),
    defender_fighters: z.number().int(),
    defender_shields: z.number().int(),
  })
  .openapi('CombatRound');
const SideView = z.object({ fighters: z.number().int(), shields: z.number().int() });

const CombatLog = z
  .object({
    id: z.string(),
    sector_id: z.number().int(),
    attacker: z.string(),
    defender: z.string(),
    your_side: z.enum(['attacker', 'defender']),
    result: Result,
    seed: z.string().openapi({ description: 'The random seed: replaying it with the same sides gives the same rounds' }),
    attacker_start: SideView,
    defender_start: SideView,
    rounds: z.array(RoundView),
    attacker_fighters_lost: z.number().int(),
    attacker_shields_lost: z.number().int(),
    defender_fighters_lost: z.number().int(),
    defender_shields_lost: z.number().int(),
    created_at: z.string(),
  })
  .openapi('CombatLog');

function logView(row: CombatLogRow, viewer: string) {
  const e = (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Engagement;
  return {
    id: row.id,
    sector_id: row.sector_id,
    attacker: row.attacker_name,
    defender: row.defender_name,
    your_side: row.attacker_user_id === viewer ? ('attacker' as const) : ('defender' as const),
    result: e.result,
    seed: row.seed,
    attacker_start: e.attacker,
    defender_start: e.defender,
    rounds: e.rounds,
    attacker_fighters_lost: e.attacker_fighters_lost,
    attacker_shields_lost: e.attacker_shields_lost,
    defender_fighters_lost: e.defender_fighters_lost,
    defender_shields_lost: e.defender_shields_lost,
    created_at: new Date(row.created_at).toISOString(),
  };
}

const AttackBody = z
  .strictObject({
    target: z.string().min(1).max(64).openapi({ description: 'The name of a pilot in your sector' }),
    fighters: z.number().int().min(1).max(1_000_000).openapi({ description: 'Fighters you commit; the rest stay aboard' }),
  })
  .openapi('AttackRequest');

const AttackResult = z
  .object({
    attack: z.object({
      log_id: z.string(),
      target: z.string(),
      sector_id: z.number().int(),
      committed: z.number().int(),
      result: Result,
      rounds: z.array(RoundView),
      seed: z.string(),
      fighters_lost: z.number().int(),
      shields_lost: z.number().int(),
      target_fighters_lost: z.number().int(),
      target_shields_lost: z.number().int(),
      destroyed: z.boolean(),
      wreck_id: z.string().nullable(),
      experience_gained: z.number().int(),
      alignment_change: z.number().int(),
    }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('AttackResult');

const TARGET_REFUSALS = ['invalid_target', 'target_not_here', 'teammate', 'fedspace', 'target_indestructible', 'target_protected'] as const;

const attackRoute = createRoute({
  method: 'post',
  path: '/attack',
  tags: ['combat'],
  summary: 'Attack a pilot in your sector with some of your fighters (3 turns)',
  description:
    'Rounds with a seeded spread; shields absorb before fighters; a ship left with neither is destroyed: its pilot ejects in an Escape Pod to the nearest FedSpace sector and its cargo stays as a wreck for a game day.',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AttackBody } }, required: true } },
  responses: {
    200: { description: 'The engagement', content: { 'application/json': { schema: AttackResult } } },
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      ...TARGET_REFUSALS,
      'insufficient_fighters',
      'insufficient_turns',
      'universe_missing',
    ),
  },
});

const SalvageBody = z
  .strictObject({ wreck: z.string().uuid(), good: CommodityName, quantity: z.number().int().min(1).max(1_000_000) })
  .openapi('SalvageRequest');
const SalvageResult = z
  .object({
    salvage: z.object({ wreck_id: z.string(), good: CommodityName, quantity: z.number().int(), wreck_left: Cargo, turns_left: z.number().int() }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('SalvageResult');

const salvageRoute = createRoute({
  method: 'post',
  path: '/salvage',
  tags: ['combat'],
  summary: 'Take cargo from a wreck in your sector into free holds (1 turn)',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: SalvageBody } }, required: true } },
  responses: {
    200: { description: 'Salvaged', content: { 'application/json': { schema: SalvageResult } } },
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, 'wreck_not_found', 'exceeds_wreck', 'insufficient_holds', 'insufficient_turns'),
  },
});

const logsRoute = createRoute({
  method: 'get',
  path: '/logs',
  tags: ['combat'],
  summary: 'Your engagements, either side, newest first',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(20)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    200: { description: 'Combat logs', content: { 'application/json': { schema: z.object({ logs: z.array(CombatLog) }).openapi('CombatLogList') } } },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

const logRoute = createRoute({
  method: 'get',
  path: '/logs/{id}',
  tags: ['combat'],
  summary: 'One engagement you fought: rounds, losses, result, seed',
  security: [{ bearer: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .uuid()
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'The combat log', content: { 'application/json': { schema: CombatLog } } },
    ...problemResponses(...AUTH_PROBLEMS, 'not_found', 'validation_failed'),
  },
});

const AttackDefensesBody = z
  .strictObject({ fighters: z.number().int().min(1).max(1_000_000).openapi({ description: 'Fighters you commit against the hostile fighters deployed here' }) })
  .openapi('AttackDefensesRequest');

const AttackDefensesResult = z
  .object({
    attack: z.object({
      log_id: z.string(),
      sector_id: z.number().int(),
      committed: z.number().int(),
      result: Result,
      rounds: z.array(RoundView),
      seed: z.string(),
      fighters_lost: z.number().int(),
      shields_lost: z.number().int(),
      defense_fighters_lost: z.number().int(),
      defenses_left: z.number().int(),
      destroyed: z.boolean().openapi({ description: 'every hostile fighter here is gone' }),
    }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('AttackDefensesResult');

const attackDefensesRoute = createRoute({
  method: 'post',
  path: '/attack-defenses',
  tags: ['combat'],
  summary: 'Attack the hostile fighters deployed in your sector (3 turns); their owners are told',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AttackDefensesBody } }, required: true } },
  responses: {
    200: { description: 'The engagement', content: { 'application/json': { schema: AttackDefensesResult } } },
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      'fedspace',
      'no_defenses',
      'insufficient_fighters',
      'insufficient_turns',
      'universe_missing',
    ),
  },
});

const AttackPlanetBody = z
  .strictObject({
    planet: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ description: 'The id of a planet in your sector' }),
    fighters: z.number().int().min(1).max(1_000_000).openapi({ description: 'Fighters you commit against its fighters and shields' }),
  })
  .openapi('AttackPlanetRequest');

const AttackPlanetResult = z
  .object({
    attack: z.object({
      log_id: z.string(),
      planet_id: z.number().int(),
      planet: z.string(),
      sector_id: z.number().int(),
      committed: z.number().int(),
      result: Result,
      rounds: z.array(RoundView),
      seed: z.string(),
      fighters_lost: z.number().int(),
      shields_lost: z.number().int(),
      planet_fighters_lost: z.number().int(),
      planet_shields_lost: z.number().int(),
      captured: z.boolean().openapi({ description: 'Its fighters and shields fell to zero: the planet, its colonists, stock and citadel are yours' }),
      experience_gained: z.number().int(),
    }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('AttackPlanetResult');

const attackPlanetRoute = createRoute({
  method: 'post',
  path: '/attack-planet',
  tags: ['combat'],
  summary: 'Attack a planet in your sector (3 turns): its fighters and shields defend; when both fall to zero you capture it',
  description: 'The owner is told at once; a capture is announced to everyone; the engagement is logged with its seed.',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AttackPlanetBody } }, required: true } },
  responses: {
    200: { description: 'The engagement', content: { 'application/json': { schema: AttackPlanetResult } } },
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      'planet_not_found',
      'fedspace',
      'planet_unclaimable',
      'own_planet',
      'teammate',
      'insufficient_fighters',
      'insufficient_turns',
      'universe_missing',
    ),
  },
});

export const combatBundle: Bundle = {
  name: 'combat',
  basePath: '/api/v1/combat',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const protection = protectionOf(deps.config);
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(attackRoute, async (c) => {
        const order = c.req.valid('json');
        const userId = c.get('user').id;
        const at = { nowMs: Date.now(), timeScale };
        // Looked up before the transaction: who the name is, and where FedSpace lies; the locked
        // read then takes both pilots in id order and checks where they are now.
        const [crew, graph] = await Promise.all([crewOf(deps, userId), warpGraph(deps.region)]);
        const [fedspace, targetId] = await Promise.all([readFedspace(deps.region, graph), pilotIdByName(deps.region, order.target, crew.pilot.sectorId)]);
        const teammate = targetId !== undefined && (await areTeammates(deps.accounts, userId, targetId));
        const ids = { seed: randomUUID(), logId: randomUUID(), wreckId: randomUUID() };
        const plan: ActionPlan<AttackScene, AttackOutcome> = {
          read: async (trx) => present(await readForAttack(trx, userId, targetId, fedspace, at.nowMs, timeScale), userId),
          decide: (scene) =>
            decideAttack(
              scene.attacker,
              scene.target,
              order,
              { sector: scene.sector, protection, teammate, ...ids, escapeTo: scene.escapeTo, escapeSnapshot: scene.escapeSnapshot },
              at,
            ),
          respond: (scene, outcome, changes) => {
            const after = crewAfter(scene.attacker, changes);
            const { engagement, rounds: _count, ...attack } = outcome;
            return { status: 200, body: { attack: { ...attack, rounds: engagement.rounds }, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
          },
        };
        return answerAction(c, deps, plan) as never;
      })
      .openapi(salvageRoute, async (c) => {
        const { wreck, good, quantity } = c.req.valid('json');
        const userId = c.get('user').id;
        const at = { nowMs: Date.now(), timeScale };
        return answerAction(c, deps, {
          read: async (trx) => present(await readForSalvage(trx, userId, wreck), userId),
          decide: (scene) => decideSalvage(scene.crew, scene.wreck, { good, quantity }, at),
          respond: (scene, outcome, changes) => {
            const after = crewAfter(scene.crew, changes);
            return { status: 200, body: { salvage: outcome, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
          },
        }) as never;
      })
      .openapi(attackDefensesRoute, async (c) => {
        const order = c.req.valid('json');
        const userId = c.get('user').id;
        const at = { nowMs: Date.now(), timeScale };
        const crew = await crewOf(deps, userId);
        const territory = await territoryContext(deps, userId, [crew.pilot.sectorId], crew.pilot.sectorId);
        const ids = { seed: randomUUID(), logId: randomUUID(), wreckId: randomUUID() };
        const plan: ActionPlan<DefenseScene, AttackDefensesOutcome> = {
          read: async (trx) => present(await readDefenseScene(trx, userId, territory.ownerIds), userId),
          decide: (scene) =>
            decideAttackDefenses(scene.crew, order, { sector: scene.sector, defenses: scene.defenses, who: { ...territory.who, userId }, ids }, at),
          respond: (scene, outcome, changes) => {
            const after = crewAfter(scene.crew, changes);
            const { engagement, ...attack } = outcome;
            return { status: 200, body: { attack: { ...attack, rounds: engagement.rounds }, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
          },
        };
        return answerAction(c, deps, plan) as never;
      })
      .openapi(attackPlanetRoute, async (c) => {
        const order = c.req.valid('json');
        const userId = c.get('user').id;
        const at = { nowMs: Date.now(), timeScale };
        // The owner is looked up first, so its crew is locked with the attacker's (user-id order) before the planet row.
        const ownerId = await planetOwner(deps.region, order.planet);
        const teammate = ownerId !== null && ownerId !== userId && (await areTeammates(deps.accounts, userId, ownerId));
        const ids = { seed: randomUUID(), logId: randomUUID() };
        const plan: ActionPlan<PlanetScene, PlanetAttackOutcome> = {
          read: async (trx) => present(await readPlanetScene(trx, userId, order.planet, ownerId && ownerId !== userId ? [ownerId] : []), userId),
          decide: (scene) =>
            decideAttackPlanet(
              scene.crew,
              scene.planet,
              { fighters: order.fighters },
              { sector: scene.sector, teammate: teammate && scene.planet?.ownerUserId === ownerId, ...ids, owner: scene.others[0] ?? null },
              at,
            ),
          respond: (scene, outcome, changes) => {
            const after = crewAfter(scene.crew, changes);
            const { engagement, ...attack } = outcome;
            return { status: 200, body: { attack: { ...attack, rounds: engagement.rounds }, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
          },
        };
        return answerAction(c, deps, plan) as never;
      })
      .openapi(logsRoute, async (c) => {
        const { limit } = c.req.valid('query');
        const userId = c.get('user').id;
        const rows = await combatLogsOf(deps.region, userId, limit);
        return c.json({ logs: rows.map((r) => logView(r, userId)) }, 200);
      })
      .openapi(logRoute, async (c) => {
        const { id } = c.req.valid('param');
        const userId = c.get('user').id;
        const row = await combatLogFor(deps.region, userId, id);
        if (!row) throw new Problem('not_found', { detail: 'No such combat log of yours' });
        return c.json(logView(row, userId), 200);
      });
  },
};
