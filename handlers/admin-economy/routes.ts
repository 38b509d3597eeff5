import { z } from '@hono/zod-openapi';
import { adminRoute } from '../admin-route.js';
import { iso, isoOrNull } from '../schemas.js';

/** The economy admin API (reads, `admin:economy`): the contract. index.ts does the work. */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const WindowQuery = z.object({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name: 'from', in: 'query' }, description: 'Start (inclusive); default 7 days ago' }),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name: 'to', in: 'query' }, description: 'End (exclusive); default now' }),
});

const WindowView = z.object({ from: iso(), to: iso() });

export const moneySupplyRoute = adminRoute({
  method: 'get',
  path: '/money-supply',
  operationId: 'adminMoneySupply',
  summary: 'The money supply over time: credits created and destroyed per hour or day, and every pilot’s credits after each',
  scope: 'admin:economy',
  request: {
    query: WindowQuery.extend({
      bucket: z
        .enum(['hour', 'day'])
        .default('hour')
        .openapi({ param: { name: 'bucket', in: 'query' } }),
    }).strict(),
  },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          window: WindowView,
          bucket: z.enum(['hour', 'day']),
          opening_supply: z.number().int(),
          buckets: z.array(
            z.object({
              start: iso(),
              minted: z.number().int(),
              burned: z.number().int(),
              net: z.number().int(),
              entries: z.number().int(),
              supply: z.number().int(),
            }),
          ),
        })
        .openapi('AdminMoneySupply'),
      'Per bucket, from the ledger',
    ),
  },
});

const Flow = z.object({ reason: z.string(), credits_in: z.number().int(), credits_out: z.number().int(), entries: z.number().int() });
export const flowsRoute = adminRoute({
  method: 'get',
  path: '/flows',
  operationId: 'adminCreditFlows',
  summary: 'Credits by source and sink: the ledger by reason',
  scope: 'admin:economy',
  request: { query: WindowQuery.strict() },
  problems: ['validation_failed'],
  responses: { 200: json(z.object({ window: WindowView, sources: z.array(Flow), sinks: z.array(Flow) }).openapi('AdminCreditFlows'), 'By reason') },
});

export const topEarnersRoute = adminRoute({
  method: 'get',
  path: '/top-earners',
  operationId: 'adminTopEarners',
  summary: 'The pilots whose credits grew most in the window (NPCs left out)',
  scope: 'admin:economy',
  request: {
    query: WindowQuery.extend({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(20)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }).strict(),
  },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          window: WindowView,
          earners: z.array(z.object({ user_id: z.string(), name: z.string(), net: z.number().int(), earned: z.number().int(), credits: z.number().int() })),
        })
        .openapi('AdminTopEarners'),
      'Highest net first',
    ),
  },
});

export const pricesRoute = adminRoute({
  method: 'get',
  path: '/prices',
  operationId: 'adminPrices',
  summary: 'Each good’s unit price now across the ports that trade it: the band (lowest, highest) and the mean, per side',
  description: '`port_side: sell` is what pilots pay at ports that sell the good; `buy` is what ports pay for it. Earth Station’s fixed prices are left out.',
  scope: 'admin:economy',
  request: { query: z.object({}).strict() },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          at: iso(),
          goods: z.array(
            z.object({ good: z.string(), port_side: z.enum(['buy', 'sell']), ports: z.number().int(), min: z.number(), max: z.number(), mean: z.number() }),
          ),
        })
        .openapi('AdminPrices'),
      'Per good and side',
    ),
  },
});

export const priceHistoryRoute = adminRoute({
  method: 'get',
  path: '/prices/history',
  operationId: 'adminPriceHistory',
  summary: 'A good’s price history with its band: the hourly snapshots of the economy-snapshots job',
  scope: 'admin:economy',
  request: {
    query: WindowQuery.extend({
      good: z.enum(['ore', 'organics', 'equipment', 'colonists']).openapi({ param: { name: 'good', in: 'query' } }),
      side: z
        .enum(['buy', 'sell'])
        .default('sell')
        .openapi({ param: { name: 'side', in: 'query' }, description: '`sell`: what pilots pay; `buy`: what ports pay' }),
    }).strict(),
  },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          window: WindowView,
          good: z.string(),
          side: z.enum(['buy', 'sell']),
          points: z.array(z.object({ at: iso(), ports: z.number().int(), min: z.number(), max: z.number(), mean: z.number() })),
        })
        .openapi('AdminPriceHistory'),
      'Oldest first',
    ),
  },
});

export const npcsRoute = adminRoute({
  method: 'get',
  path: '/npcs',
  operationId: 'adminNpcActivity',
  summary: 'NPC activity: traders, pirates alive and destroyed, the npc-traders and npc-patrols runs with their stats',
  scope: 'admin:economy',
  request: { query: WindowQuery.strict() },
  problems: ['validation_failed'],
  responses: {
    200: json(
      z
        .object({
          window: WindowView,
          traders: z.number().int(),
          pirates_alive: z.number().int(),
          pirates_awaiting_respawn: z.number().int(),
          pirates_destroyed: z.number().int(),
          runs: z.array(
            z.object({ job: z.string(), window_start: iso(), status: z.string(), finished_at: isoOrNull(), stats: z.unknown(), error: z.string().nullable() }),
          ),
        })
        .openapi('AdminNpcActivity'),
      'NPCs and their jobs',
    ),
  },
});
