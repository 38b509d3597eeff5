import { crewAfter } from '../../game/changes.js';
import { decideMove, type Hop } from '../../game/movement.js';
import type { GameTime } from '../../game/pilot.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { onlineUserIds } from '../../platform/presence.js';
import { knownMap } from '../../world/known-space.js';
import { teammateIds } from '../../world/teams.js';
import type { ActionPlan } from '../../world/action.js';
import { type MoveScene, readForMove } from '../../world/movement.js';
import { crewOf, present } from '../../world/pilots.js';
import { answerAction } from '../action-route.js';
import { playerView, shipView } from '../views.js';
import { mapRoute, moveRoute, scanRoute, stateRoute } from './routes.js';
import { decideScan, isProtected, type ScanOutcome, scanBand } from '../../game/combat.js';
import { HULLS } from '../../game/catalog/hulls.js';
import type { Protection } from '../../game/combat.js';
import { protectionOf, readForScan, type ScanScene } from '../../world/arms.js';

/** A warp hop as the action core runs it: the locked read, decideMove, and the answer. The bench's raw-SQL baseline runs this same plan. */
export function movePlan(userId: string, to: number, online: readonly string[] | null, at: GameTime): ActionPlan<MoveScene, Hop> {
  return {
    read: async (trx) => present(await readForMove(trx, userId, to, online, at.nowMs, at.timeScale), userId),
    decide: (scene) => decideMove(scene.crew, to, scene.passage, at),
    respond: (scene, hop, changes) => ({
      status: 200,
      body: { hop, player: playerView(crewAfter(scene.crew, changes).pilot, at), sector: scene.passage.snapshot },
    }),
  };
}

/** A scan as the action core runs it: the crew locked (it spends a turn), what is in the sector read alongside. */
export function scanPlan(userId: string, sectorId: number, protection: Protection, at: GameTime): ActionPlan<ScanScene, ScanOutcome> {
  return {
    read: async (trx) => present(await readForScan(trx, userId, sectorId), userId),
    decide: (scene) => decideScan(scene.crew, sectorId, scene.adjacent && scene.exists, at),
    respond: (scene, outcome, changes) => ({
      status: 200,
      body: {
        scan: {
          sector_id: outcome.sector_id,
          ships: scene.ships.map((t) => ({
            pilot: t.crew.pilot.name,
            hull: t.crew.ship.hull,
            hull_name: HULLS[t.crew.ship.hull]?.name ?? t.crew.ship.hull,
            npc: t.crew.pilot.npc,
            escape_pod: t.crew.ship.hull === 'escape_pod',
            protected: isProtected(t, protection, at),
            fighters: scanBand(t.crew.ship.fighters),
            shields: scanBand(t.crew.ship.shields),
          })),
          // Nothing can be deployed yet: the summary stays empty until sector defenses land.
          defenses: { fighters: 0, mines: 0, owners: [] as string[] },
          wrecks: scene.wrecks,
        },
        player: playerView(crewAfter(scene.crew, changes).pilot, at),
      },
    }),
  };
}

export const playerBundle: Bundle = {
  name: 'player',
  basePath: '/api/v1/player',
  create(deps) {
    const timeScale = deps.config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));

    return app
      .openapi(stateRoute, async (c) => {
        const { pilot, ship } = await crewOf(deps, c.get('user').id);
        return c.json({ player: playerView(pilot, { nowMs: Date.now(), timeScale }), ship: shipView(ship) }, 200);
      })
      .openapi(moveRoute, async (c) => {
        const { to } = c.req.valid('json');
        const userId = c.get('user').id;
        // Asked before the transaction (no bus round trip while rows are locked); during a bus
        // outage the snapshot lists everyone whose pilot is there.
        const online = await onlineUserIds(deps.bus, to).then(
          (ids) => [...ids],
          () => null,
        );
        return answerAction(c, deps, movePlan(userId, to, online, { nowMs: Date.now(), timeScale })) as never;
      })
      .openapi(scanRoute, async (c) => {
        const { sector } = c.req.valid('json');
        const userId = c.get('user').id;
        return answerAction(c, deps, scanPlan(userId, sector, protectionOf(deps.config), { nowMs: Date.now(), timeScale })) as never;
      })
      .openapi(mapRoute, async (c) => {
        const userId = c.get('user').id;
        const { pilot } = await crewOf(deps, userId);
        return c.json({ current_sector_id: pilot.sectorId, ...(await knownMap(deps.region, await teammateIds(deps.accounts, userId))) }, 200);
      });
  },
};
