import { createRoute, z } from '@hono/zod-openapi';
import { type ChangeSet, crewAfter, mergeChanges } from '../../game/changes.js';
import { randomUUID } from 'node:crypto';
import { type Allegiance, type Defense, decideDefendedMove, isHostile, tollOwed } from '../../game/defenses.js';
import type { Hop } from '../../game/movement.js';
import { lockDefenses, type TerritoryContext, territoryContext } from '../../world/defenses.js';
import { type Crew, type GameTime, hullOf } from '../../game/pilot.js';
import { plotCourse, type WarpGraph } from '../../game/pathfinding.js';
import { Problem } from '../../platform/errors.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { onlineUserIds } from '../../platform/presence.js';
import { knownSectorIds } from '../../world/known-space.js';
import { teammateIds } from '../../world/teams.js';
import { readCourse } from '../../world/movement.js';
import { crewOf, crewsOf, present } from '../../world/pilots.js';
import { warpGraph } from '../../world/warp-graph.js';
import { answerAction } from '../action-route.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, KEY_PROBLEMS, problemResponses } from '../openapi.js';
import { HopView, IdempotencyHeader, PlayerView } from '../schemas.js';
import { playerView } from '../views.js';

const SectorId = z.coerce.number().int().positive().max(2_147_483_647);

const Course = z
  .object({ from: z.number().int(), to: z.number().int(), path: z.array(z.number().int()), hops: z.number().int(), turns: z.number().int() })
  .openapi('Course');

const plotRoute = createRoute({
  method: 'get',
  path: '/plot',
  tags: ['nav'],
  summary: 'Shortest course through the sectors you know, with its turn cost',
  description: '`no_route` when known space does not connect you to the target.',
  security: [{ bearer: [] }],
  request: { query: z.strictObject({ to: SectorId.openapi({ param: { name: 'to', in: 'query' } }) }) },
  responses: {
    200: { description: 'The course', content: { 'application/json': { schema: Course } } },
    ...problemResponses(...AUTH_PROBLEMS, 'no_route', 'validation_failed', 'universe_missing'),
  },
});

const AutopilotBody = z.strictObject({ to: z.number().int().positive().max(2_147_483_647) }).openapi('AutopilotRequest');

const autopilotRoute = createRoute({
  method: 'post',
  path: '/autopilot',
  tags: ['nav'],
  summary: 'Fly the plotted course hop by hop until arrival or a stop',
  description:
    'Stops early (`stopped_by`) when turns run out; before a known sector with hostile defenses (`defenses_ahead`) or one whose fighters demand a toll (`toll_ahead`); and at once in an unknown sector whose defenses hit it (`defenses_met`); at a gate into a region another shard serves (`region_gate`: cross it with /player/move). Each hop is reported.',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AutopilotBody } }, required: true } },
  responses: {
    200: {
      description: 'Where the autopilot got to',
      content: {
        'application/json': {
          schema: z
            .object({
              course: Course,
              hops: z.array(HopView),
              arrived: z.boolean(),
              stopped_by: z.enum(['insufficient_turns', 'defenses_ahead', 'toll_ahead', 'defenses_met', 'region_gate']).nullable(),
              stopped_at: z.number().int().nullable().optional().openapi({ description: 'The defended sector that stopped the autopilot' }),
              player: PlayerView,
            })
            .openapi('AutopilotResult'),
        },
      },
    },
    ...problemResponses(...AUTH_PROBLEMS, ...BODY_PROBLEMS, ...KEY_PROBLEMS, 'no_route', 'already_here', 'insufficient_turns', 'universe_missing'),
  },
});

interface Course {
  from: number;
  to: number;
  path: number[];
  hops: number;
  turns: number;
}

function plotFor(graph: WarpGraph, known: Set<number>, crew: Crew, to: number): Course {
  const from = crew.pilot.sectorId;
  const course = plotCourse(graph, from, to, { isKnown: (id) => known.has(id), turnsPerWarp: hullOf(crew.ship).turnsPerWarp });
  if (!course) throw new Problem('no_route', { detail: `No course to sector ${to} through known space` });
  return { from, to, ...course };
}

/**
 * Fly a course hop by hop as one decision: each hop is decided on the crew as the hops before
 * left it, and the autopilot stops where turns run out (after at least one hop).
 */
type StopReason = 'insufficient_turns' | 'defenses_ahead' | 'toll_ahead' | 'defenses_met' | 'region_gate';

interface CourseDefenses {
  defenses: Defense[];
  who: Allegiance;
  cameFrom: number | null;
  refuge: TerritoryContext['refuge'];
}

function decideCourse(crew: Crew, course: Course, passages: Awaited<ReturnType<typeof readCourse>>, territory: CourseDefenses, at: GameTime) {
  const steps: ChangeSet[] = [];
  const hops: Hop[] = [];
  let current = crew;
  let cameFrom = territory.cameFrom;
  let stoppedBy: StopReason | null = null;
  let stoppedAt: number | null = null;
  for (const [i, next] of course.path.slice(1).entries()) {
    const toRegionId = passages[i]!.toRegionId;
    // A sector this shard does not hold is across a gate into another one: that hop is a
    // hand-off (POST /player/move), never part of a course.
    if (toRegionId === null) {
      stoppedBy = 'region_gate';
      stoppedAt = current.pilot.sectorId;
      break;
    }
    const passage = { warp: 'out' as const, ...passages[i]!, toRegionId };
    const there = territory.defenses.filter((d) => d.sectorId === next && isHostile(d, territory.who));
    // Stop before hostile defenses the pilot knows of, and before any toll (only the pilot may say whether to pay).
    if (there.length > 0 && (passage.known || tollOwed(there, territory.who) > 0)) {
      stoppedBy = tollOwed(there, territory.who) > 0 ? 'toll_ahead' : 'defenses_ahead';
      stoppedAt = next;
      break;
    }
    const fightIds = (n: number) => ({ seed: randomUUID(), logId: randomUUID(), wreckId: randomUUID(), n });
    const decision = decideDefendedMove(
      current,
      next,
      passage,
      {
        defenses: territory.defenses.filter((d) => d.sectorId === next || d.sectorId === current.pilot.sectorId),
        who: territory.who,
        cameFrom,
        toll: undefined,
        departureIds: fightIds(2 * i),
        entryIds: fightIds(2 * i + 1),
        refuge: territory.refuge,
        fromRegionId: current.pilot.regionId,
      },
      at,
    );
    if ('refused' in decision) {
      if (decision.refused.code === 'insufficient_turns' && hops.length > 0) {
        stoppedBy = 'insufficient_turns';
        break;
      }
      return decision;
    }
    cameFrom = current.pilot.sectorId;
    steps.push(decision.changes);
    hops.push(decision.outcome.hop);
    current = crewAfter(current, decision.changes);
    if (decision.outcome.destroyed || decision.outcome.departure || decision.outcome.entry) {
      stoppedBy = 'defenses_met';
      stoppedAt = decision.outcome.departure ? decision.outcome.hop.from : next;
      break;
    }
  }
  return { changes: mergeChanges(...steps), outcome: { hops, stoppedBy, stoppedAt, arrived: current.pilot.sectorId === course.to } };
}

export const navBundle: Bundle = {
  name: 'nav',
  basePath: '/api/v1/nav',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));
    return app
      .openapi(plotRoute, async (c) => {
        const { to } = c.req.valid('query');
        const userId = c.get('user').id;
        const crew = await crewOf(deps, userId);
        const [graph, known] = await Promise.all([
          warpGraph(deps.region),
          teammateIds(deps.accounts, userId).then((sharers) => knownSectorIds(deps.region, sharers)),
        ]);
        return c.json(plotFor(graph, known, crew, to), 200);
      })
      .openapi(autopilotRoute, async (c) => {
        const { to } = c.req.valid('json');
        const userId = c.get('user').id;
        const at = { nowMs: Date.now(), timeScale };
        // Plotted before the transaction, with who is online along the way; the locked read checks
        // the pilot is still where the course starts.
        const [crew, graph, known] = await Promise.all([
          crewOf(deps, userId),
          warpGraph(deps.region),
          teammateIds(deps.accounts, userId).then((sharers) => knownSectorIds(deps.region, sharers)),
        ]);
        const course = plotFor(graph, known, crew, to);
        const online = await Promise.all(course.path.slice(1).map((id) => onlineUserIds(deps.bus, id).then((ids) => [id, [...ids]] as const))).then(
          (entries) => new Map(entries),
          () => null,
        );
        const territory = await territoryContext(deps, userId, course.path, to);
        return answerAction(c, deps, {
          read: async (trx) => {
            const locked = await crewsOf(trx, [userId, ...territory.ownerIds], { lock: true });
            const start = present(
              locked.find((crew) => crew.pilot.userId === userId),
              userId,
            );
            if (start.pilot.sectorId !== course.from) throw new Problem('no_route', { detail: 'You moved while the course was plotted; plot again' });
            const held = territory.ownerIds.length > 0 ? await lockDefenses(trx, userId, course.path) : { defenses: [], cameFrom: null };
            return { crew: start, passages: await readCourse(trx, userId, course.path.slice(1), online, at.nowMs, timeScale), held };
          },
          decide: (scene) =>
            decideCourse(
              scene.crew,
              course,
              scene.passages,
              { defenses: scene.held.defenses, who: { ...territory.who, userId }, cameFrom: scene.held.cameFrom, refuge: territory.refuge },
              at,
            ),
          respond: (scene, outcome, changes) => ({
            status: 200,
            body: {
              course,
              hops: outcome.hops,
              arrived: outcome.arrived,
              stopped_by: outcome.stoppedBy,
              stopped_at: outcome.stoppedAt,
              player: playerView(crewAfter(scene.crew, changes).pilot, at),
            },
          }),
        }) as never;
      });
  },
};
