import { createRoute, z } from '@hono/zod-openapi';
import { AUTH_PROBLEMS, problemResponses } from '../openapi.js';
import { PortGoodView } from '../schemas.js';

const SeenPort = z
  .object({
    sector_id: z.number().int(),
    port_id: z.number().int(),
    name: z.string(),
    class: z.number().int().min(0).max(9),
    class_code: z.string(),
    class_name: z.string(),
    goods: z.array(PortGoodView).openapi({ description: 'Prices and stock as you last saw them (live for the sector you are in)' }),
    seen_at: z.string().openapi({ format: 'date-time', description: 'When you last saw the port' }),
    live: z.boolean().openapi({ description: 'true for the port in your sector: its market now' }),
    hops: z.number().int().nullable().openapi({ description: 'Warps from your sector through known space; null when no known course reaches it' }),
    turns: z.number().int().nullable().openapi({ description: 'Turns the plotted course there costs your hull' }),
  })
  .openapi('SeenPort');

export const PortReport = z
  .object({
    sector_id: z.number().int().openapi({ description: 'Where you are: hops are counted from here' }),
    turns_per_warp: z.number().int(),
    ports: z.array(SeenPort).openapi({ description: 'Every port you have seen, nearest first' }),
  })
  .openapi('PortReport');

export const portsRoute = createRoute({
  method: 'get',
  path: '/ports',
  tags: ['computer'],
  summary: 'The port report: every port you have seen, with its last-seen prices and how far it is',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'The ports you know', content: { 'application/json': { schema: PortReport } } },
    ...problemResponses(...AUTH_PROBLEMS, 'universe_missing'),
  },
});

const RouteEnd = z.object({ sector_id: z.number().int(), port_name: z.string(), class: z.number().int() });

const RouteLeg = z
  .object({
    good: z.enum(['ore', 'organics', 'equipment']),
    quantity: z.number().int(),
    cost: z.number().int().openapi({ description: 'What the load costs where it is bought, at the prices you saw' }),
    revenue: z.number().int(),
    profit: z.number().int(),
  })
  .openapi('RouteLeg');

const TradeRouteView = z
  .object({
    from: RouteEnd.openapi({ description: 'Start here: the end nearer to you' }),
    to: RouteEnd,
    out: RouteLeg.nullable().openapi({ description: 'The load to carry from → to; null when nothing pays that way' }),
    back: RouteLeg.nullable().openapi({ description: 'The load to carry back' }),
    profit: z.number().int().openapi({ description: 'One round trip' }),
    turns: z.number().int().openapi({ description: 'One round trip: both courses and every trade' }),
    profit_per_turn: z.number(),
    approach_turns: z.number().int().nullable().openapi({ description: 'Turns from your sector to `from`' }),
  })
  .openapi('TradeRoute');

export const RoutesQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 20 }),
});

export const RouteReport = z
  .object({
    sector_id: z.number().int(),
    holds: z.number().int().openapi({ description: "Your ship's holds: the largest load" }),
    credits: z.number().int().openapi({ description: 'What you can spend on a load' }),
    turns_per_warp: z.number().int(),
    routes: z.array(TradeRouteView).openapi({ description: 'Known port pairs that pay, best credits per turn first' }),
  })
  .openapi('RouteReport');

export const routesRoute = createRoute({
  method: 'get',
  path: '/routes',
  tags: ['computer'],
  summary: 'The trade-route finder: known port pairs ranked by profit per turn',
  description:
    'Each pair is priced at what you last saw there, for your holds and credits, over the plotted courses there and back ' + '(game/trade-routes.ts).',
  security: [{ bearer: [] }],
  request: { query: RoutesQuery },
  responses: {
    200: { description: 'The best routes you know', content: { 'application/json': { schema: RouteReport } } },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed', 'universe_missing'),
  },
});
