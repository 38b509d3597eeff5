import { crewAfter } from '../../game/changes.js';
import { randomUUID } from 'node:crypto';
import { type DefendedMoveOutcome, type DefenseFight, decideDefendedMove, type TollChoice } from '../../game/defenses.js';
import { defensesIn, type TerritoryContext, territoryContext } from '../../world/defenses.js';
import type { Defense } from '../../game/defenses.js';
import type { GameTime } from '../../game/pilot.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { onlineUserIds } from '../../platform/presence.js';
import { knownMap } from '../../world/known-space.js';
import { teammateIds } from '../../world/teams.js';
import type { ActionPlan } from '../../world/action.js';
import { type MoveScene, readForMove } from '../../world/movement.js';
import { crewOf, present, readCrew, withPilot } from '../../world/pilots.js';
import { readSectorView } from '../../world/sector-view.js';
import { crossGate, leavesShard } from '../../regions/gate.js';
import type { Context } from 'hono';
import type { AppEnv } from '../../platform/http/context.js';
import { actionKey, answerAction } from '../action-route.js';
import { defensesSummary, playerView, shipView } from '../views.js';
import { mapRoute, moveRoute, scanRoute, stateRoute } from './routes.js';
import { decideScan, isProtected, type ScanOutcome, scanBand } from '../../game/combat.js';
import { HULLS } from '../../game/catalog/hulls.js';
import type { Protection } from '../../game/combat.js';
import { protectionOf, readForScan, type ScanScene } from '../../world/arms.js';

const NO_TERRITORY: TerritoryContext = {
  ownerIds: [],
  who: { userId: '', teamId: null, ownerTeams: new Map() },
  refuge: { escapeTo: { sectorId: 1, regionId: 1 }, escapeSnapshot: null },
};

function fightView(fight: DefenseFight | null) {
  if (!fight) return null;
  const { engagement: _e, ...view } = fight;
  return view;
}

/**
 * A warp hop as the action core runs it: the locked read (the pilot, the stacks where it is and
 * where it goes, their owners), decideDefendedMove, and the answer. The bench's raw-SQL baseline
 * runs this same plan (with no territory context).
 */
export function movePlan(
  userId: string,
  to: number,
  online: readonly string[] | null,
  at: GameTime,
  territory: TerritoryContext = NO_TERRITORY,
  toll?: TollChoice,
): ActionPlan<MoveScene, DefendedMoveOutcome> {
  const who = { ...territory.who, userId };
  const fightIds = () => ({ seed: randomUUID(), logId: randomUUID(), wreckId: randomUUID() });
  const departureIds = fightIds();
  const entryIds = fightIds();
  return {
    read: async (trx) => present(await readForMove(trx, userId, to, online, at.nowMs, at.timeScale, territory.ownerIds), userId),
    decide: (scene) =>
      decideDefendedMove(
        scene.crew,
        to,
        scene.passage,
        {
          defenses: scene.defenses,
          who,
          cameFrom: scene.cameFrom,
          toll,
          departureIds,
          entryIds,
          refuge: territory.refuge,
          fromRegionId: scene.crew.pilot.regionId,
        },
        at,
      ),
    respond: (scene, outcome, changes) => {
      const after = crewAfter(scene.crew, changes);
      const acted = outcome.departure !== null || outcome.entry !== null;
      return {
        status: 200,
        body: {
          hop: outcome.hop,
          player: playerView(after.pilot, at),
          sector: scene.passage.snapshot,
          ...(acted
            ? {
                defenses: {
                  departure: fightView(outcome.departure),
                  mines: outcome.entry?.mines ?? [],
                  toll: outcome.entry?.toll ?? null,
                  fight: fightView(outcome.entry?.fight ?? null),
                  destroyed: outcome.destroyed,
                },
              }
            : {}),
        },
      };
    },
  };
}

/** A scan as the action core runs it: the crew locked (it spends a turn), what is in the sector read alongside. */
export function scanPlan(
  userId: string,
  sectorId: number,
  protection: Protection,
  at: GameTime,
  territory: TerritoryContext = NO_TERRITORY,
): ActionPlan<ScanScene & { defenses: Defense[] }, ScanOutcome> {
  return {
    read: async (trx) => ({ ...present(await readForScan(trx, userId, sectorId), userId), defenses: await defensesIn(trx, [sectorId]) }),
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
          defenses: defensesSummary(scene.defenses, { ...territory.who, userId }),
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

    /** A hop through a gate into a region another shard serves: the hand-off (regions/gate.ts). */
    const crossing = async (c: Context<AppEnv>, userId: string, to: number, regionId: number) => {
      const at = { nowMs: Date.now(), timeScale };
      const gate = await withPilot(deps, userId, async () => crossGate(deps, userId, to, regionId, at, await actionKey(c)));
      if (gate.status === 202) return c.json(gate.body, 202);
      const there = await deps.regional!.shards.db(regionId);
      const crew = await readCrew(there, userId);
      const sector = await readSectorView(there, to, userId, null, at.nowMs, timeScale);
      if (!crew || !sector) return c.json(gate.body, 202);
      return c.json({ hop: gate.body.hop, player: playerView(crew.pilot, at), sector, region: gate.body.region, transfer: gate.body.transfer }, 200);
    };

    return app
      .openapi(stateRoute, async (c) => {
        const { pilot, ship } = await crewOf(deps, c.get('user').id);
        return c.json({ player: playerView(pilot, { nowMs: Date.now(), timeScale }), ship: shipView(ship) }, 200);
      })
      .openapi(moveRoute, async (c) => {
        const { to, toll } = c.req.valid('json');
        const userId = c.get('user').id;
        const elsewhere = await leavesShard(deps, to);
        if (elsewhere !== undefined) return crossing(c, userId, to, elsewhere) as never;
        const territory = await territoryContext(deps, userId, [to], to, { includeHere: true });
        // Asked before the transaction (no bus round trip while rows are locked); during a bus
        // outage the snapshot lists everyone whose pilot is there.
        const online = await onlineUserIds(deps.bus, to).then(
          (ids) => [...ids],
          () => null,
        );
        return answerAction(c, deps, movePlan(userId, to, online, { nowMs: Date.now(), timeScale }, territory, toll)) as never;
      })
      .openapi(scanRoute, async (c) => {
        const { sector } = c.req.valid('json');
        const userId = c.get('user').id;
        const territory = await territoryContext(deps, userId, [sector], sector);
        return answerAction(c, deps, scanPlan(userId, sector, protectionOf(deps.config), { nowMs: Date.now(), timeScale }, territory)) as never;
      })
      .openapi(mapRoute, async (c) => {
        const userId = c.get('user').id;
        const { pilot } = await crewOf(deps, userId);
        return c.json({ current_sector_id: pilot.sectorId, ...(await knownMap(deps.region, await teammateIds(deps.accounts, userId))) }, 200);
      });
  },
};
