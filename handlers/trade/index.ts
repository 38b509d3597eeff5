import { createRoute, z } from '@hono/zod-openapi';
import { crewAfter } from '../../game/changes.js';
import type { GameTime } from '../../game/pilot.js';
import { crewObstacle, decideTrade, priceTrade, type TradeOrder, type TradeOutcome } from '../../game/trade.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { type ActionPlan, refusalProblem } from '../../world/action.js';
import { present, withPilot } from '../../world/pilots.js';
import { readForTrade, type TradeScene } from '../../world/trading.js';
import { answerAction } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { CommodityName, IdempotencyHeader, PlayerView, ShipView } from '../schemas.js';
import { playerView, shipView } from '../views.js';

const Quantity = z.number().int().min(1).max(1_000_000);
const TradeBody = z.strictObject({ good: CommodityName, quantity: Quantity }).openapi('TradeRequest');
const QuantityParam = z.coerce.number().int().min(1).max(1_000_000);

const Priced = {
  side: z.enum(['buy', 'sell']),
  good: CommodityName,
  quantity: z.number().int(),
  total: z.number().int().openapi({ description: 'Credits paid (buy) or received (sell)' }),
  average_unit_price: z.number(),
  port_stock_after: z.number().int(),
  turns: z.number().int(),
  port_id: z.number().int(),
};
const Quote = z
  .object({
    ...Priced,
    can_execute: z.boolean().openapi({ description: 'Whether you could make this trade right now' }),
    blocked_by: z.string().nullable().openapi({ description: 'The error code the trade would get: insufficient_credits, insufficient_holds, …' }),
  })
  .openapi('TradeQuote');
const TradeResult = z
  .object({
    trade: z.object({ ...Priced, credits_after: z.number().int(), experience_gained: z.number().int() }),
    player: PlayerView,
    ship: ShipView,
  })
  .openapi('TradeResult');

const PORT_REFUSALS = ['no_port', 'good_not_sold_here', 'good_not_bought_here', 'exceeds_stock', 'exceeds_demand', 'invalid_quantity'] as const;
const PILOT_REFUSALS = ['insufficient_holds', 'insufficient_cargo', 'insufficient_credits', 'insufficient_turns'] as const;

const quoteRoute = createRoute({
  method: 'get',
  path: '/quote',
  tags: ['trade'],
  summary: "Price a trade at this sector's port without making it",
  description: 'What the pilot could not do now comes back as `can_execute: false` with the code in `blocked_by`.',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      good: CommodityName.openapi({ param: { name: 'good', in: 'query' } }),
      quantity: QuantityParam.openapi({ param: { name: 'quantity', in: 'query' } }),
      side: z.enum(['buy', 'sell']).openapi({ param: { name: 'side', in: 'query' }, description: 'Your side: buy from the port or sell to it' }),
    }),
  },
  responses: {
    200: { description: 'What the trade would cost or pay', content: { 'application/json': { schema: Quote } } },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', ...PORT_REFUSALS),
  },
});

const tradeRoute = (side: 'buy' | 'sell') =>
  createRoute({
    method: 'post',
    path: `/${side}`,
    tags: ['trade'],
    summary: side === 'buy' ? "Buy from this sector's port" : "Sell to this sector's port",
    description: 'Costs 1 turn. A refused trade changes nothing.',
    security: [{ bearer: [] }],
    request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: TradeBody } }, required: true } },
    responses: {
      200: { description: 'The trade', content: { 'application/json': { schema: TradeResult } } },
      ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, ...PORT_REFUSALS, ...PILOT_REFUSALS),
    },
  });

/** A trade as the action core runs it: the locked read, decideTrade, and the answer. The bench's raw-SQL baseline runs this same plan. */
export function tradePlan(userId: string, order: TradeOrder, at: GameTime): ActionPlan<TradeScene, TradeOutcome> {
  return {
    read: async (trx) => present(await readForTrade(trx, userId, order.good, true, at.nowMs, at.timeScale), userId),
    decide: (scene) => decideTrade(scene.crew, scene.port, order, at),
    respond: (scene, outcome, changes) => {
      const { port_name: _name, sector_id: _sector, ...trade } = outcome;
      const after = crewAfter(scene.crew, changes);
      return { status: 200, body: { trade, player: playerView(after.pilot, at), ship: shipView(after.ship) } };
    },
  };
}

export const tradeBundle: Bundle = {
  name: 'trade',
  basePath: '/api/v1/trade',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));

    for (const side of ['buy', 'sell'] as const) {
      app.openapi(tradeRoute(side), async (c) => {
        const { good, quantity } = c.req.valid('json');
        const userId = c.get('user').id;
        return answerAction(c, deps, tradePlan(userId, { side, good, quantity }, { nowMs: Date.now(), timeScale })) as never;
      });
    }

    return app.openapi(quoteRoute, async (c) => {
      const { good, quantity, side } = c.req.valid('query');
      const userId = c.get('user').id;
      const at = { nowMs: Date.now(), timeScale };
      const scene = await withPilot(deps, userId, async () => present(await readForTrade(deps.region, userId, good, false, at.nowMs, timeScale), userId));
      const price = priceTrade(scene.port, { side, good, quantity });
      if ('refused' in price) throw refusalProblem(price.refused);
      const obstacle = crewObstacle(scene.crew, price.priced, at);
      return c.json({ ...price.priced, port_id: scene.port!.id, can_execute: obstacle === null, blocked_by: obstacle?.code ?? null }, 200);
    });
  },
};
