import { createRoute, z } from '@hono/zod-openapi';
import { runAction } from '../../platform/actions.js';
import type { DomainEvent } from '../../platform/events.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { problemResponses } from '../openapi.js';
import { lockPilot, readPilot } from '../player/pilot.js';
import { playerView, shipView } from '../player/views.js';
import { CommodityName, IdempotencyHeader, PlayerView, ShipView } from '../schemas.js';
import { executeTrade, quoteTrade } from './trading.js';

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

const ERRORS =
  'Errors: `no_port`, `good_not_sold_here`, `good_not_bought_here`, `exceeds_stock`, `exceeds_demand`, `insufficient_holds`, ' +
  '`insufficient_cargo`, `insufficient_credits`, `insufficient_turns` (409); invalid input (422). A refused trade changes nothing.';

const quoteRoute = createRoute({
  method: 'get',
  path: '/quote',
  tags: ['trade'],
  summary: "Price a trade at this sector's port without making it",
  description: ERRORS,
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
    ...problemResponses(401, 409, 422),
  },
});

const tradeRoute = (side: 'buy' | 'sell') =>
  createRoute({
    method: 'post',
    path: `/${side}`,
    tags: ['trade'],
    summary: side === 'buy' ? "Buy from this sector's port" : "Sell to this sector's port",
    description: `Costs ${1} turn. ${ERRORS}`,
    security: [{ bearer: [] }],
    request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: TradeBody } }, required: true } },
    responses: {
      200: { description: 'The trade', content: { 'application/json': { schema: TradeResult } } },
      ...problemResponses(401, 409, 422),
    },
  });

export const tradeBundle: Bundle = {
  name: 'trade',
  basePath: '/api/v1/trade',
  create(deps) {
    const { db, config } = deps;
    const timeScale = config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));

    const trade = (side: 'buy' | 'sell') =>
      app.openapi(tradeRoute(side), async (c) => {
        const { good, quantity } = c.req.valid('json');
        const userId = c.get('user').id;
        return runAction(c, deps, async (trx) => {
          const now = Date.now();
          const pilot = await lockPilot(trx, userId);
          const events: DomainEvent[] = [];
          const result = await executeTrade(trx, pilot, side, good, quantity, now, timeScale, events);
          return { status: 200 as const, body: { trade: result, player: playerView(pilot.player, now, timeScale), ship: shipView(pilot.ship) }, events };
        });
      });
    trade('buy');
    trade('sell');

    return app.openapi(quoteRoute, async (c) => {
      const { good, quantity, side } = c.req.valid('query');
      const pilot = await readPilot(db, c.get('user').id);
      return c.json(await quoteTrade(db, pilot, side, good, quantity, Date.now(), timeScale), 200);
    });
  },
};
