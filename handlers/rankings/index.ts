import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { BASE_PRICE } from '../../game/catalog/goods.js';
import { HULLS } from '../../game/catalog/hulls.js';
import { rankFor } from '../../game/catalog/experience.js';
import type { Db } from '../../platform/db/database.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { problemResponses } from '../openapi.js';

const Entry = z
  .object({
    position: z.number().int(),
    name: z.string(),
    net_worth: z.number().int(),
    experience: z.number().int(),
    rank: z.string(),
  })
  .openapi('RankingEntry');

const rankingsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['rankings'],
  summary: 'Leaderboard by net worth (credits + hull value + cargo at base prices) or experience',
  description: 'Read from the latest snapshot of the rankings job (refreshed every 15 minutes); computed live while no snapshot exists yet.',
  security: [{ bearer: [] }],
  request: {
    query: z.strictObject({
      by: z
        .enum(['networth', 'experience'])
        .default('networth')
        .openapi({ param: { name: 'by', in: 'query' } }),
      page: z.coerce
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(1)
        .openapi({ param: { name: 'page', in: 'query' } }),
      per_page: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(25)
        .openapi({ param: { name: 'per_page', in: 'query' } }),
    }),
  },
  responses: {
    200: {
      description: 'One page of the leaderboard',
      content: {
        'application/json': {
          schema: z
            .object({
              by: z.string(),
              as_of: z.string().datetime().openapi({ description: 'When these standings were taken: the snapshot’s time, or now while none exists' }),
              page: z.number().int(),
              per_page: z.number().int(),
              total: z.number().int(),
              entries: z.array(Entry),
            })
            .openapi('Rankings'),
        },
      },
    },
    ...problemResponses(401, 422),
  },
});

/** Net worth in SQL, from the same catalogs the game uses (hull list price, base prices). */
const hullValue = sql<number>`case ships.hull ${sql.join(
  Object.values(HULLS).map((h) => sql`when ${h.id} then ${h.cost ?? 0}::bigint`),
  sql` `,
)} else 0 end`;
const netWorth = sql<number>`(players.credits + ${hullValue}
  + ships.cargo_ore * ${BASE_PRICE.ore} + ships.cargo_organics * ${BASE_PRICE.organics}
  + ships.cargo_equipment * ${BASE_PRICE.equipment} + ships.cargo_colonists * ${BASE_PRICE.colonists})`;

interface Board {
  total: number;
  rows: Array<{ position: number; name: string; net_worth: number; experience: number }>;
}

/** One page of the rankings job's snapshot taken at `at`. */
async function fromSnapshot(db: Db, at: Date, by: 'networth' | 'experience', page: number, perPage: number): Promise<Board> {
  const position = by === 'networth' ? 'networth_position' : 'experience_position';
  const [rows, total] = await Promise.all([
    db
      .selectFrom('ranking_snapshots')
      .select(['name', 'net_worth', 'experience', `${position} as position`])
      .where('window_start', '=', at)
      .orderBy(position)
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    db
      .selectFrom('ranking_snapshots')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('window_start', '=', at)
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.n), rows };
}

/** Computed now, for a world whose first snapshot has not been taken yet. NPC traders are not ranked. */
async function live(db: Db, by: 'networth' | 'experience', page: number, perPage: number): Promise<Board> {
  const order = by === 'networth' ? netWorth : sql<number>`players.experience`;
  const [rows, total] = await Promise.all([
    db
      .selectFrom('players')
      .innerJoin('ships', 'ships.id', 'players.ship_id')
      .select(['players.name', 'players.experience', netWorth.as('net_worth')])
      .where('players.npc', '=', false)
      .orderBy(order, 'desc')
      // Byte order, as the snapshot sorts names, so ties rank the same either way.
      .orderBy(sql`players.name collate "C"`)
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    db
      .selectFrom('players')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('players.npc', '=', false)
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.n), rows: rows.map((r, i) => ({ ...r, position: (page - 1) * perPage + i + 1 })) };
}

export const rankingsBundle: Bundle = {
  name: 'rankings',
  basePath: '/api/v1/rankings',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app.openapi(rankingsRoute, async (c) => {
      const { by, page, per_page } = c.req.valid('query');
      const latest = await deps.db
        .selectFrom('ranking_snapshots')
        .select((eb) => eb.fn.max('window_start').as('at'))
        .executeTakeFirst();
      const board = latest?.at ? await fromSnapshot(deps.db, latest.at, by, page, per_page) : await live(deps.db, by, page, per_page);
      return c.json(
        {
          by,
          as_of: (latest?.at ? new Date(latest.at) : new Date()).toISOString(),
          page,
          per_page,
          total: board.total,
          entries: board.rows.map((r) => ({
            position: r.position,
            name: r.name,
            net_worth: Number(r.net_worth),
            experience: r.experience,
            rank: rankFor(r.experience).title,
          })),
        },
        200,
      );
    });
  },
};
