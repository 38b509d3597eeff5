import { createRoute, z } from '@hono/zod-openapi';
import { crewAfter } from '../../game/changes.js';
import { CITADEL_LEVELS, MAX_CITADEL_LEVEL, PLANET_NAME_MAX, PLANET_TYPES } from '../../game/catalog/planets.js';
import type { Decision } from '../../game/changes.js';
import type { Crew, GameTime } from '../../game/pilot.js';
import {
  citadelOf,
  decideAllocation,
  decideCitadel,
  decideColonists,
  decideGenesis,
  decideLand,
  decideLeave,
  decidePlanetCargo,
  decidePlanetFighters,
  type Planet,
  planetAfter,
  planetAt,
  productionPerDay,
} from '../../game/planets.js';
import type { ProblemCode } from '../../contract/problems.js';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import type { ActionPlan } from '../../world/action.js';
import { crewOf, present } from '../../world/pilots.js';
import { type PlanetScene, planetById, planetsOf, readGenesisScene, readPlanetScene } from '../../world/planets.js';
import { answerAction } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { IdempotencyHeader, PlayerView, ShipView } from '../schemas.js';
import { playerView, shipView } from '../views.js';

const PlanetTypeName = z.enum(PLANET_TYPES).openapi('PlanetType');
const Goods = z.object({ ore: z.number().int(), organics: z.number().int(), equipment: z.number().int() });
const AllocationShape = z.object({ fuel_ore: z.number().int(), organics: z.number().int(), equipment: z.number().int(), fighters: z.number().int() });

const PlanetSummary = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: PlanetTypeName,
    sector_id: z.number().int(),
    owner: z.string().nullable(),
    yours: z.boolean(),
    citadel_level: z.number().int(),
  })
  .openapi('PlanetSummary');

const PlanetDetail = PlanetSummary.extend({
  landed: z.boolean().openapi({ description: 'You are landed on it' }),
  colonists: z.number().int(),
  population_cap: z.number().int(),
  storage_cap: z.number().int().openapi({ description: 'Most units of each good in stock' }),
  fighters_cap: z.number().int(),
  allocation: AllocationShape.openapi({ description: 'Percent of the colonists working on each product; the rest idle' }),
  production_per_day: AllocationShape.openapi({ description: 'Units a game day at this population and allocation' }),
  stock: Goods,
  fighters: z.number().int(),
  shields: z.number().int(),
  citadel: z.object({
    level: z.number().int(),
    building_level: z.number().int().nullable(),
    done_at: z.string().nullable(),
    ms_left: z.number().int().nullable().openapi({ description: 'Real milliseconds until the build is done' }),
    next: z
      .object({
        level: z.number().int(),
        credits: z.number().int(),
        goods: Goods,
        build_hours: z.number().int(),
        population_cap: z.number().int(),
        storage_cap: z.number().int(),
        shields: z.number().int(),
      })
      .nullable()
      .openapi({ description: 'What the next level costs and gives; null at the top level' }),
  }),
  next_production_in_ms: z.number().int().openapi({ description: 'Real milliseconds until the next game day of production is counted' }),
}).openapi('Planet');

/** Full for the owner; name, owner, type and citadel level for anyone else in its sector. */
function planetView(planet: Planet, viewer: Crew, at: GameTime): z.infer<typeof PlanetSummary> | z.infer<typeof PlanetDetail> {
  const now = planetAt(planet, at);
  const summary = {
    id: now.id,
    name: now.name,
    type: now.type,
    sector_id: now.sectorId,
    owner: now.ownerName,
    yours: now.ownerUserId === viewer.pilot.userId,
    citadel_level: now.citadelLevel,
  };
  if (!summary.yours) return summary;
  const level = citadelOf(now.citadelLevel);
  const per = productionPerDay(now);
  const next = now.citadelLevel < MAX_CITADEL_LEVEL ? CITADEL_LEVELS[now.citadelLevel + 1]! : null;
  const dayMs = Math.max(1, Math.ceil(86_400_000 / at.timeScale));
  return {
    ...summary,
    landed: viewer.pilot.landedPlanetId === now.id,
    colonists: now.colonists,
    population_cap: level.population,
    storage_cap: level.storage,
    fighters_cap: level.fighters,
    allocation: { fuel_ore: now.allocation.ore, organics: now.allocation.organics, equipment: now.allocation.equipment, fighters: now.allocation.fighters },
    production_per_day: { fuel_ore: per.ore, organics: per.organics, equipment: per.equipment, fighters: per.fighters },
    stock: { ...now.stock },
    fighters: now.fighters,
    shields: now.shields,
    citadel: {
      level: now.citadelLevel,
      building_level: now.building?.level ?? null,
      done_at: now.building ? new Date(now.building.doneAtMs).toISOString() : null,
      ms_left: now.building ? Math.max(0, now.building.doneAtMs - at.nowMs) : null,
      next: next
        ? {
            level: next.level,
            credits: next.credits,
            goods: { ...next.goods },
            build_hours: next.buildHours,
            population_cap: next.population,
            storage_cap: next.storage,
            shields: next.shields,
          }
        : null,
    },
    next_production_in_ms: Math.max(0, now.anchorMs + dayMs - at.nowMs),
  };
}

const Id = z.coerce
  .number()
  .int()
  .positive()
  .max(Number.MAX_SAFE_INTEGER)
  .openapi({ param: { name: 'id', in: 'path' }, example: 1 });

const PlanetName = z
  .string()
  .trim()
  .min(1)
  .max(PLANET_NAME_MAX)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} '’.-]*$/u, "Letters, digits, spaces and . - ' only, starting with a letter or digit");

const GenesisBody = z
  .strictObject({
    name: PlanetName.openapi({ description: 'What to call the new planet' }),
    type: PlanetTypeName.optional().openapi({ description: 'Drawn by a seeded rule when left out' }),
  })
  .openapi('GenesisRequest');

const Quantity = z.number().int().min(1).max(1_000_000);
const ColonistsBody = z.strictObject({ action: z.enum(['drop', 'load']), quantity: Quantity }).openapi('PlanetColonistsRequest');
const Percent = z.number().int().min(0).max(100);
const AllocationBody = z
  .strictObject({ fuel_ore: Percent, organics: Percent, equipment: Percent, fighters: Percent })
  .refine((a) => a.fuel_ore + a.organics + a.equipment + a.fighters <= 100, { message: 'The percentages add up to more than 100', path: ['fighters'] })
  .openapi('PlanetAllocationRequest');
const CargoBody = z
  .strictObject({ action: z.enum(['load', 'unload']), good: z.enum(['ore', 'organics', 'equipment']), quantity: Quantity })
  .openapi('PlanetCargoRequest');
const FightersBody = z.strictObject({ action: z.enum(['deposit', 'withdraw']), quantity: Quantity }).openapi('PlanetFightersRequest');
const EmptyBody = z.strictObject({}).openapi('EmptyRequest');

const PlanetResult = z.object({ planet: PlanetDetail, player: PlayerView, ship: ShipView }).openapi('PlanetResult');
const GenesisResult = z
  .object({
    genesis: z.object({
      planet_id: z.number().int(),
      name: z.string(),
      type: PlanetTypeName,
      sector_id: z.number().int(),
      torpedoes_left: z.number().int(),
      experience_gained: z.number().int(),
    }),
    planet: PlanetDetail,
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('GenesisResult');
const CitadelResult = z
  .object({
    citadel: z.object({
      planet_id: z.number().int(),
      building_level: z.number().int(),
      done_at: z.string(),
      credits_spent: z.number().int(),
      goods_spent: Goods,
    }),
    planet: PlanetDetail,
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('CitadelResult');

const LANDED = ['planet_not_found', 'not_planet_owner', 'not_landed', 'validation_failed'] as const satisfies readonly ProblemCode[];

const action = (path: string, summary: string, body: z.ZodType, result: z.ZodType, problems: readonly ProblemCode[], required = true) =>
  createRoute({
    method: 'post',
    path,
    tags: ['planets'],
    summary,
    security: [{ bearer: [] }],
    request: { headers: IdempotencyHeader, params: z.object({ id: Id }), body: { content: { 'application/json': { schema: body } }, required } },
    responses: {
      200: { description: 'Done', content: { 'application/json': { schema: result } } },
      ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, 'universe_missing', ...problems),
    },
  });

const genesisRoute = createRoute({
  method: 'post',
  path: '/genesis',
  tags: ['planets'],
  summary: 'Fire a genesis torpedo: a new planet, yours, in this sector (not FedSpace; at most 3 a sector)',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: GenesisBody } }, required: true } },
  responses: {
    201: { description: 'The planet', content: { 'application/json': { schema: GenesisResult } } },
    ...problemResponses(
      ...AUTH_PROBLEMS,
      ...BODY_PROBLEMS,
      ...KEY_PROBLEMS,
      'universe_missing',
      'planet_in_fedspace',
      'sector_planets_full',
      'no_genesis_torpedo',
    ),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['planets'],
  summary: 'Your planets, in full',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'Your planets', content: { 'application/json': { schema: z.object({ planets: z.array(PlanetDetail) }).openapi('PlanetList') } } },
    ...problemResponses(...AUTH_PROBLEMS, 'universe_missing'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['planets'],
  summary: 'A planet: in full if it is yours; its name, owner, type and citadel level if it is in your sector',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: Id }) },
  responses: {
    200: { description: 'The planet', content: { 'application/json': { schema: z.union([PlanetDetail, PlanetSummary]) } } },
    ...problemResponses(...AUTH_PROBLEMS, 'universe_missing', 'planet_not_found', 'validation_failed'),
  },
});

const landRoute = action(
  '/{id}/land',
  'Land on your planet in this sector (1 turn)',
  EmptyBody,
  PlanetResult,
  ['planet_not_found', 'not_planet_owner', 'already_landed', 'insufficient_turns', 'validation_failed'],
  false,
);
const leaveRoute = action(
  '/{id}/leave',
  'Take off from the planet (1 turn); flying a warp takes off by itself',
  EmptyBody,
  PlanetResult,
  ['planet_not_found', 'not_landed', 'insufficient_turns', 'validation_failed'],
  false,
);
const colonistsRoute = action(
  '/{id}/colonists',
  'Drop colonists from your holds onto the planet, or load them back (one hold each); landed',
  ColonistsBody,
  PlanetResult,
  [...LANDED, 'insufficient_cargo', 'planet_population_full', 'exceeds_planet_stock', 'insufficient_holds'],
);
const allocationRoute = action('/{id}/allocation', 'Set how the colonists work (percent per product); landed', AllocationBody, PlanetResult, [
  ...LANDED,
  'invalid_allocation',
]);
const cargoRoute = action(
  '/{id}/cargo',
  'Load planet stock into your holds, or unload into planet stock (storage cap by citadel level); landed',
  CargoBody,
  PlanetResult,
  [...LANDED, 'exceeds_planet_stock', 'exceeds_planet_storage', 'insufficient_holds', 'insufficient_cargo'],
);
const fightersRoute = action('/{id}/fighters', 'Station fighters on the planet, or take them aboard; landed', FightersBody, PlanetResult, [
  ...LANDED,
  'insufficient_fighters',
  'exceeds_planet_storage',
  'exceeds_planet_stock',
  'exceeds_capacity',
]);
const citadelRoute = action(
  '/{id}/citadel',
  'Build the next citadel level: credits from you, goods from planet stock, done after its build time in game hours; one build at a time; landed',
  EmptyBody,
  CitadelResult,
  [...LANDED, 'citadel_building', 'citadel_max', 'insufficient_credits', 'insufficient_planet_goods'],
  false,
);

export const planetsBundle: Bundle = {
  name: 'planets',
  basePath: '/api/v1/planets',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    const now = (): GameTime => ({ nowMs: Date.now(), timeScale });
    /** An action on one planet: the locked read, the rule, the answer with the planet as written. */
    const onPlanet = <O>(
      userId: string,
      planetId: number,
      at: GameTime,
      decide: (scene: PlanetScene) => Decision<O>,
      extra?: (outcome: O) => Record<string, unknown>,
    ) => {
      const plan: ActionPlan<PlanetScene, O> = {
        read: async (trx) => present(await readPlanetScene(trx, userId, planetId), userId),
        decide,
        respond: (scene, outcome, changes) => {
          const after = crewAfter(scene.crew, changes);
          return {
            status: 200,
            body: {
              ...(extra ? extra(outcome) : {}),
              planet: planetView(planetAfter(scene.planet!, changes), after, at),
              player: playerView(after.pilot, at),
              ship: shipView(after.ship),
            },
          };
        },
      };
      return plan;
    };
    return app
      .openapi(genesisRoute, async (c) => {
        const order = c.req.valid('json');
        const userId = c.get('user').id;
        const at = now();
        return answerAction(c, deps, {
          read: async (trx) => present(await readGenesisScene(trx, userId), userId),
          decide: (scene) => decideGenesis(scene.crew, scene, { name: order.name, ...(order.type ? { type: order.type } : {}) }, at),
          respond: (scene, outcome, changes) => {
            const after = crewAfter(scene.crew, changes);
            const planet: Planet = {
              id: outcome.planet_id,
              sectorId: outcome.sector_id,
              regionId: scene.sector.regionId,
              name: outcome.name,
              type: outcome.type,
              claimable: true,
              ownerUserId: after.pilot.userId,
              ownerName: after.pilot.name,
              colonists: 0,
              stock: { ore: 0, organics: 0, equipment: 0 },
              fighters: 0,
              shields: 0,
              allocation: { ore: 0, organics: 0, equipment: 0, fighters: 0 },
              citadelLevel: 0,
              building: null,
              anchorMs: at.nowMs,
            };
            return {
              status: 201,
              body: { genesis: outcome, planet: planetView(planet, after, at), player: playerView(after.pilot, at), ship: shipView(after.ship) },
            };
          },
        }) as never;
      })
      .openapi(listRoute, async (c) => {
        const userId = c.get('user').id;
        const at = now();
        const crew = await crewOf(deps, userId);
        const planets = await planetsOf(deps.region, userId);
        return c.json({ planets: planets.map((p) => planetView(p, crew, at)) }, 200) as never;
      })
      .openapi(getRoute, async (c) => {
        const { id } = c.req.valid('param');
        const userId = c.get('user').id;
        const [crew, planet] = await Promise.all([crewOf(deps, userId), planetById(deps.region, id)]);
        if (!planet || (planet.ownerUserId !== userId && planet.sectorId !== crew.pilot.sectorId))
          throw new Problem('planet_not_found', { detail: 'No planet of yours or in your sector by that id' });
        return c.json(planetView(planet, crew, now()), 200) as never;
      })
      .openapi(landRoute, async (c) => {
        const { id } = c.req.valid('param');
        const userId = c.get('user').id;
        const at = now();
        return answerAction(
          c,
          deps,
          onPlanet(userId, id, at, (s) => decideLand(s.crew, s.planet, at)),
        ) as never;
      })
      .openapi(leaveRoute, async (c) => {
        const { id } = c.req.valid('param');
        const userId = c.get('user').id;
        const at = now();
        return answerAction(
          c,
          deps,
          onPlanet(userId, id, at, (s) => decideLeave(s.crew, s.planet, at)),
        ) as never;
      })
      .openapi(colonistsRoute, async (c) => {
        const { id } = c.req.valid('param');
        const order = c.req.valid('json') as z.infer<typeof ColonistsBody>;
        const userId = c.get('user').id;
        const at = now();
        return answerAction(
          c,
          deps,
          onPlanet(userId, id, at, (s) => decideColonists(s.crew, s.planet, order, at)),
        ) as never;
      })
      .openapi(allocationRoute, async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json') as z.infer<typeof AllocationBody>;
        const userId = c.get('user').id;
        const at = now();
        const allocation = { ore: body.fuel_ore, organics: body.organics, equipment: body.equipment, fighters: body.fighters };
        return answerAction(
          c,
          deps,
          onPlanet(userId, id, at, (s) => decideAllocation(s.crew, s.planet, allocation, at)),
        ) as never;
      })
      .openapi(cargoRoute, async (c) => {
        const { id } = c.req.valid('param');
        const order = c.req.valid('json') as z.infer<typeof CargoBody>;
        const userId = c.get('user').id;
        const at = now();
        return answerAction(
          c,
          deps,
          onPlanet(userId, id, at, (s) => decidePlanetCargo(s.crew, s.planet, order, at)),
        ) as never;
      })
      .openapi(fightersRoute, async (c) => {
        const { id } = c.req.valid('param');
        const order = c.req.valid('json') as z.infer<typeof FightersBody>;
        const userId = c.get('user').id;
        const at = now();
        return answerAction(
          c,
          deps,
          onPlanet(userId, id, at, (s) => decidePlanetFighters(s.crew, s.planet, order, at)),
        ) as never;
      })
      .openapi(citadelRoute, async (c) => {
        const { id } = c.req.valid('param');
        const userId = c.get('user').id;
        const at = now();
        return answerAction(
          c,
          deps,
          onPlanet(
            userId,
            id,
            at,
            (s) => decideCitadel(s.crew, s.planet, at),
            (outcome) => ({ citadel: outcome }),
          ),
        ) as never;
      });
  },
};
