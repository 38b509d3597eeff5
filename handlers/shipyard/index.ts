import { createRoute, z } from '@hono/zod-openapi';
import { crewAfter } from '../../game/changes.js';
import { BUYABLE_HULL_IDS } from '../../game/catalog/hulls.js';
import { EQUIPMENT_ITEMS } from '../../game/catalog/stardock.js';
import type { GameTime } from '../../game/pilot.js';
import { decideEquipment, decideHullPurchase, equipmentOffers, hullOffers, tradeInValue } from '../../game/shipyard.js';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import type { ActionPlan } from '../../world/action.js';
import { readForShipyard, type ShipyardScene } from '../../world/arms.js';
import { present, withPilot } from '../../world/pilots.js';
import { answerAction } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { IdempotencyHeader, PlayerView, ShipView } from '../schemas.js';
import { playerView, shipView } from '../views.js';

const HullName = z.enum(BUYABLE_HULL_IDS).openapi('HullId');
const EquipmentName = z.enum(EQUIPMENT_ITEMS).openapi('EquipmentItem');
const Blocked = z.enum(['same_hull', 'cargo_would_not_fit', 'insufficient_credits']).nullable();

const HullOffer = z
  .object({
    id: HullName,
    name: z.string(),
    price: z.number().int(),
    holds: z.number().int(),
    max_holds: z.number().int(),
    max_fighters: z.number().int(),
    max_shields: z.number().int(),
    starting_shields: z.number().int(),
    turns_per_warp: z.number().int(),
    trade_in: z.number().int().openapi({ description: 'What the Stardock pays for your current hull (50% of its price)' }),
    net_cost: z.number().int().openapi({ description: 'price − trade-in; negative: you are paid the difference' }),
    carry_over: z.object({
      cargo_fits: z.boolean(),
      fighters: z.number().int(),
      shields: z.number().int(),
      mines: z.number().int(),
      genesis_torpedoes: z.number().int(),
    }),
    blocked_by: Blocked.openapi({ description: 'The code a purchase would get now, or null' }),
  })
  .openapi('HullOffer');

const EquipmentOffer = z
  .object({
    item: EquipmentName,
    unit_price: z.number().int().openapi({ description: 'The next unit; each extra hold costs more than the last' }),
    owned: z.number().int(),
    capacity: z.number().int().openapi({ description: 'The most your hull carries' }),
    max_quantity: z.number().int().openapi({ description: 'The most you can buy now (room and credits)' }),
  })
  .openapi('EquipmentOffer');

const Shipyard = z
  .object({ trade_in_value: z.number().int(), hulls: z.array(HullOffer), equipment: z.array(EquipmentOffer), player: PlayerView, ship: ShipView })
  .openapi('Shipyard');

const shipyardRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['shipyard'],
  summary: 'What the Stardock sells you: hulls with your trade-in, equipment with the most you can buy',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'The Stardock', content: { 'application/json': { schema: Shipyard } } },
    ...problemResponses(...AUTH_PROBLEMS, 'no_stardock', 'universe_missing'),
  },
});

const HullBody = z.strictObject({ hull: HullName }).openapi('HullPurchaseRequest');
const HullResult = z
  .object({
    purchase: z.object({
      hull: HullName,
      hull_name: z.string(),
      price: z.number().int(),
      trade_in: z.number().int(),
      net_cost: z.number().int(),
      fighters_dropped: z.number().int(),
      credits_after: z.number().int(),
    }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('HullPurchaseResult');

const hullRoute = createRoute({
  method: 'post',
  path: '/hull',
  tags: ['shipyard'],
  summary: 'Buy a hull, trading in yours at 50%',
  description: 'Cargo, fighters, shields, mines and torpedoes carry over as far as the new hull holds them; cargo that would not fit refuses the purchase.',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: HullBody } }, required: true } },
  responses: {
    200: { description: 'The new ship', content: { 'application/json': { schema: HullResult } } },
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, 'no_stardock', 'same_hull', 'cargo_would_not_fit', 'insufficient_credits'),
  },
});

const EquipmentBody = z.strictObject({ item: EquipmentName, quantity: z.number().int().min(1).max(1_000_000) }).openapi('EquipmentPurchaseRequest');
const EquipmentResult = z
  .object({
    purchase: z.object({ item: EquipmentName, quantity: z.number().int(), total: z.number().int(), credits_after: z.number().int() }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('EquipmentPurchaseResult');

const equipmentRoute = createRoute({
  method: 'post',
  path: '/equipment',
  tags: ['shipyard'],
  summary: 'Buy holds, fighters, shields, mines or genesis torpedoes',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: EquipmentBody } }, required: true } },
  responses: {
    200: { description: 'The purchase', content: { 'application/json': { schema: EquipmentResult } } },
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, 'no_stardock', 'exceeds_capacity', 'insufficient_credits', 'invalid_quantity'),
  },
});

function shipyardPlan<O>(
  userId: string,
  at: GameTime,
  decide: (scene: ShipyardScene) => ReturnType<typeof decideHullPurchase> | ReturnType<typeof decideEquipment>,
) {
  return {
    read: async (trx) => present(await readForShipyard(trx, userId, true), userId),
    decide,
    respond: (scene, outcome, changes) => {
      const after = crewAfter(scene.crew, changes);
      return { status: 200, body: { purchase: outcome, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
    },
  } as ActionPlan<ShipyardScene, O>;
}

export const shipyardBundle: Bundle = {
  name: 'shipyard',
  basePath: '/api/v1/shipyard',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(shipyardRoute, async (c) => {
        const userId = c.get('user').id;
        const scene = await withPilot(deps, userId, async () => present(await readForShipyard(deps.region, userId, false), userId));
        if (!scene.atStardock) throw new Problem('no_stardock', { detail: 'Fly to the Stardock to buy ships and hardware' });
        const at = { nowMs: Date.now(), timeScale };
        return c.json(
          {
            trade_in_value: tradeInValue(scene.crew.ship),
            hulls: hullOffers(scene.crew),
            equipment: equipmentOffers(scene.crew),
            player: playerView(scene.crew.pilot, at),
            ship: shipView(scene.crew.ship),
          },
          200,
        );
      })
      .openapi(hullRoute, async (c) => {
        const { hull } = c.req.valid('json');
        const userId = c.get('user').id;
        const plan = shipyardPlan(userId, { nowMs: Date.now(), timeScale }, (scene) => decideHullPurchase(scene.crew, hull, scene.atStardock));
        return answerAction(c, deps, plan) as never;
      })
      .openapi(equipmentRoute, async (c) => {
        const { item, quantity } = c.req.valid('json');
        const userId = c.get('user').id;
        const plan = shipyardPlan(userId, { nowMs: Date.now(), timeScale }, (scene) => decideEquipment(scene.crew, item, quantity, scene.atStardock));
        return answerAction(c, deps, plan) as never;
      });
  },
};
