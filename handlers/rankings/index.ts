import { createRoute, z } from '@hono/zod-openapi';
import { rankFor } from '../../game/catalog/experience.js';
import { type Config, isMultiRegional } from '../../platform/config.js';
import type { AccountDb, RegionDb } from '../../platform/db/database.js';
import { currentStandings, killStandings, mergedBoard, planetStandings } from '../../world/rankings.js';
import { teamStandings } from '../../world/teams.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { AUTH_PROBLEMS, problemResponses } from '../openapi.js';

const Entry = z
  .object({
    position: z.number().int(),
    name: z.string(),
    net_worth: z.number().int(),
    experience: z.number().int(),
    rank: z.string(),
  })
  .openapi('RankingEntry');

/** Every leaderboard pages the same way. */
const PageQuery = z.strictObject({
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
});

const rankingsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['rankings'],
  summary: 'Leaderboard by net worth (credits + hull value + cargo at base prices) or experience',
  description: 'Read from the latest snapshot of the rankings job (refreshed every 15 minutes); computed live while no snapshot exists yet.',
  security: [{ bearer: [] }],
  request: {
    query: PageQuery.extend({
      by: z
        .enum(['networth', 'experience'])
        .default('networth')
        .openapi({ param: { name: 'by', in: 'query' } }),
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
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

const teamRankingsRoute = createRoute({
  method: 'get',
  path: '/teams',
  tags: ['rankings'],
  summary: "Team leaderboard: the members' summed net worth plus the treasury",
  description: 'Members from the teams, their standings from the latest rankings snapshot (live while none exists).',
  security: [{ bearer: [] }],
  request: {
    query: PageQuery,
  },
  responses: {
    200: {
      description: 'One page of the team leaderboard',
      content: {
        'application/json': {
          schema: z
            .object({
              as_of: z.string().datetime(),
              page: z.number().int(),
              per_page: z.number().int(),
              total: z.number().int(),
              entries: z.array(
                z
                  .object({
                    position: z.number().int(),
                    team_id: z.number().int(),
                    name: z.string(),
                    tag: z.string(),
                    members: z.number().int(),
                    net_worth: z.number().int(),
                    experience: z.number().int(),
                  })
                  .openapi('TeamRankingEntry'),
              ),
            })
            .openapi('TeamRankings'),
        },
      },
    },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

interface Board {
  total: number;
  rows: Array<{ position: number; name: string; net_worth: number; experience: number }>;
}

/** One page of the rankings job's snapshot taken at `at`. */
async function fromSnapshot(db: RegionDb, at: Date, by: 'networth' | 'experience', page: number, perPage: number): Promise<Board> {
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

/**
 * The net worth or experience board: in multi-regional mode every region's snapshot merged on the
 * nexus, once any region has published one; else this region's latest snapshot, or live while it
 * has none.
 */
async function standingsBoard(
  deps: { accounts: AccountDb; region: RegionDb; config: Pick<Config, 'regions'> },
  by: 'networth' | 'experience',
  page: number,
  perPage: number,
): Promise<{ asOf: Date; board: Board }> {
  const merged = isMultiRegional(deps.config) ? await mergedBoard(deps.accounts, by, page, perPage) : undefined;
  if (merged) return { asOf: merged.asOf, board: merged };
  const latest = await deps.region
    .selectFrom('ranking_snapshots')
    .select((eb) => eb.fn.max('window_start').as('at'))
    .executeTakeFirst();
  if (!latest?.at) return { asOf: new Date(), board: await live(deps.region, by, page, perPage) };
  return { asOf: new Date(latest.at), board: await fromSnapshot(deps.region, latest.at, by, page, perPage) };
}

/** Standings now, for a world whose first snapshot has not been taken yet (the job's own computation). */
async function live(db: RegionDb, by: 'networth' | 'experience', page: number, perPage: number): Promise<Board> {
  const standings = await currentStandings(db);
  const position = by === 'networth' ? 'networth_position' : 'experience_position';
  const rows = standings
    .sort((a, b) => a[position] - b[position])
    .slice((page - 1) * perPage, page * perPage)
    .map((s) => ({ position: s[position], name: s.name, net_worth: s.net_worth, experience: s.experience }));
  return { total: standings.length, rows };
}

const killsRoute = createRoute({
  method: 'get',
  path: '/kills',
  tags: ['rankings'],
  summary: 'Leaderboard by ships destroyed (by your fighters aboard or deployed), live from the combat logs',
  security: [{ bearer: [] }],
  request: {
    query: PageQuery,
  },
  responses: {
    200: {
      description: 'One page of the kills leaderboard',
      content: {
        'application/json': {
          schema: z
            .object({
              page: z.number().int(),
              per_page: z.number().int(),
              total: z.number().int(),
              entries: z.array(z.object({ position: z.number().int(), name: z.string(), kills: z.number().int() })),
            })
            .openapi('KillRankings'),
        },
      },
    },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

const planetsRoute = createRoute({
  method: 'get',
  path: '/planets',
  tags: ['rankings'],
  summary: 'Leaderboard by planets owned (then colonists on them), live',
  security: [{ bearer: [] }],
  request: {
    query: PageQuery,
  },
  responses: {
    200: {
      description: 'One page of the planets leaderboard',
      content: {
        'application/json': {
          schema: z
            .object({
              page: z.number().int(),
              per_page: z.number().int(),
              total: z.number().int(),
              entries: z.array(
                z.object({
                  position: z.number().int(),
                  name: z.string(),
                  planets: z.number().int(),
                  colonists: z.number().int(),
                  top_citadel: z.number().int().openapi({ description: 'The highest citadel level among them' }),
                }),
              ),
            })
            .openapi('PlanetRankings'),
        },
      },
    },
    ...problemResponses(...AUTH_PROBLEMS, 'validation_failed'),
  },
});

export const rankingsBundle: Bundle = {
  name: 'rankings',
  basePath: '/api/v1/rankings',
  create(deps) {
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    app.openapi(teamRankingsRoute, async (c) => {
      const { page, per_page } = c.req.valid('query');
      const { asOf, standings } = await teamStandings(deps);
      return c.json(
        { as_of: asOf.toISOString(), page, per_page, total: standings.length, entries: standings.slice((page - 1) * per_page, page * per_page) },
        200,
      );
    });
    app.openapi(killsRoute, async (c) => {
      const { page, per_page } = c.req.valid('query');
      const board = await killStandings(deps.region, per_page, (page - 1) * per_page);
      return c.json({ page, per_page, total: board.total, entries: board.rows.map((r, i) => ({ position: (page - 1) * per_page + i + 1, ...r })) }, 200);
    });
    app.openapi(planetsRoute, async (c) => {
      const { page, per_page } = c.req.valid('query');
      const board = await planetStandings(deps.region, per_page, (page - 1) * per_page);
      return c.json({ page, per_page, total: board.total, entries: board.rows.map((r, i) => ({ position: (page - 1) * per_page + i + 1, ...r })) }, 200);
    });
    return app.openapi(rankingsRoute, async (c) => {
      const { by, page, per_page } = c.req.valid('query');
      const { asOf, board } = await standingsBoard(deps, by, page, per_page);
      return c.json(
        {
          by,
          as_of: asOf.toISOString(),
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
