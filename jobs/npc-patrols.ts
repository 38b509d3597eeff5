import { createHash, randomUUID } from 'node:crypto';
import { PIRATE } from '../game/catalog/npcs.js';
import { GAME_HOUR_MS } from '../game/catalog/time.js';
import { noChanges } from '../game/changes.js';
import { decideAttack, type Target } from '../game/combat.js';
import { decideMove } from '../game/movement.js';
import { bountyChanges, decideFine, decidePirate, respawnPirate } from '../game/npcs.js';
import { createRandom } from '../game/random.js';
import { type ActionPlan, runAction } from '../world/action.js';
import { protectionOf, readFedspace, readForAttack } from '../world/arms.js';
import { readForMove } from '../world/movement.js';
import { crewsOf, present, spawnPilot, toCrew, type CrewRow, CREW_SELECT } from '../world/pilots.js';
import { runStatement, Statement } from '../world/statement.js';
import { warpGraph } from '../world/warp-graph.js';
import type { JobDefinition } from './runner.js';

/** A stable id per galaxy, region and slot (a version-8 UUID), so the pirate roster is created once. */
export function pirateId(seed: string, regionId: number, slot: number): string {
  const h = createHash('sha256').update(`npc-pirate:${seed}:${regionId}:${slot}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * NPC patrols (GAME.md "NPCs"), once a game hour: pirates roam the frontier, raid weak traders at
 * PIRATE_ATTACK_RATE and flee stronger ships; a destroyed pirate's bounty is paid to whoever
 * destroyed it and the pirate comes back after a delay; Federation police fine wanted pilots in
 * FedSpace. Every step is an action through the action core (decideAttack, decideMove, the
 * applier) under a key of its window or of the log it settles, so a re-run changes nothing.
 */
export const npcPatrolsJob: JobDefinition = {
  name: 'npc-patrols',
  summary: 'pirates raid and roam the frontier, police fine wanted pilots in FedSpace',
  every: { ms: GAME_HOUR_MS, clock: 'game' },
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const stats = { pirates: 0, created: 0, raids: 0, destroyed_traders: 0, moves: 0, bounties: 0, respawned: 0, fines: 0, fined_credits: 0 };
    const galaxy = await ctx.region.selectFrom('galaxy').select('seed').executeTakeFirst();
    if (!galaxy) return stats;
    const graph = await warpGraph(ctx.region);
    const sectors = await ctx.region.selectFrom('sectors').select(['id', 'region_id', 'fedspace', 'zone']).orderBy('id').execute();
    const fedspaceIds = new Set(sectors.filter((s) => s.fedspace).map((s) => s.id));
    const frontier = sectors.filter((s) => !s.fedspace && s.zone === 'frontier');
    const regionOf = new Map(sectors.map((s) => [s.id, s.region_id]));
    const fedspace = await readFedspace(ctx.region, graph);
    const window = ctx.windowStart.toISOString();
    const at = { nowMs: ctx.windowStart.getTime(), timeScale: ctx.config.gameTimeScale };
    const world = { region: ctx.region, outbox: ctx.outbox, logger: ctx.logger };
    const act = <Scene, Outcome>(userId: string, key: string, plan: ActionPlan<Scene, Outcome>) =>
      runAction(world, plan, { key: { userId, key, requestHash: key.split(':')[0]! }, transact: ctx.transaction }).catch((err: unknown) => {
        // A refusal (the target left, turns ran out) is no change; anything else is the job's failure.
        if (err instanceof Error && 'code' in err) return null;
        throw err;
      });

    // ---- the roster ----
    const perRegion = ctx.config.jobs.npcPiratesPerRegion;
    const regionIds = [...new Set(frontier.map((s) => s.region_id))].sort((a, b) => a - b);
    const ids: string[] = [];
    for (const regionId of regionIds) {
      const spawns = frontier.filter((s) => s.region_id === regionId);
      for (let slot = 0; slot < perRegion; slot++) {
        const userId = pirateId(galaxy.seed, regionId, slot);
        ids.push(userId);
        const exists = await ctx.region.selectFrom('players').select('user_id').where('user_id', '=', userId).executeTakeFirst();
        if (exists) continue;
        const home = createRandom(`${galaxy.seed}:npc-pirate:${regionId}:${slot}`).pick(spawns);
        const made = await ctx.transaction(async (trx) => {
          const spawned = await spawnPilot(trx, {
            userId,
            name: `Pirate ${regionId}-${slot + 1}`,
            sectorId: home.id,
            regionId,
            hull: PIRATE.hullId,
            fighters: PIRATE.fighters,
            credits: 0,
            reason: 'npc_capital',
            ref: { region_id: regionId, slot, pirate: true },
            npc: true,
            turnsAnchor: ctx.windowStart,
            remember: false,
          });
          if (spawned) {
            await trx
              .updateTable('ships')
              .set({ shields: PIRATE.shields })
              .where('id', '=', (await crewsOf(trx, [userId], { lock: false }))[0]!.ship.id)
              .execute();
            await trx.updateTable('players').set({ alignment: PIRATE.alignment }).where('user_id', '=', userId).execute();
          }
          return spawned;
        });
        if (made) stats.created++;
      }
    }
    stats.pirates = ids.length;

    // ---- each pirate's hour ----
    const protection = protectionOf(ctx.config);
    for (const userId of ids.sort()) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const [pirate] = await crewsOf(ctx.region, [userId], { lock: false });
      if (!pirate) continue;
      if (pirate.ship.hull === 'escape_pod') {
        // Destroyed: pay the bounty once per killing log, then respawn once the delay has passed.
        const log = await ctx.region
          .selectFrom('combat_logs')
          .select(['id', 'attacker_user_id', 'created_at'])
          .where('defender_user_id', '=', userId)
          .where('result', '=', 'destroyed')
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .executeTakeFirst();
        if (!log) continue;
        const paid = await act(log.attacker_user_id, `pirate-bounty:${log.id}`, {
          read: async (trx) => present((await crewsOf(trx, [log.attacker_user_id], { lock: true }))[0], log.attacker_user_id),
          decide: (hunter) => ({ changes: bountyChanges(hunter.pilot, pirate.pilot.name, log.id), outcome: { bounty: PIRATE.bounty } }),
          respond: (_s, outcome) => ({ status: 200, body: outcome }),
        });
        if (paid && !paid.replayed) stats.bounties++;
        const dueMs = new Date(log.created_at).getTime() + PIRATE.respawnGameMs / at.timeScale;
        if (dueMs > at.nowMs) continue;
        const spawnAt = createRandom(`${userId}:respawn:${log.id}`).pick(frontier.filter((s) => s.region_id === pirate.pilot.regionId));
        const back = await act(userId, `pirate-respawn:${log.id}`, {
          read: async (trx) => present((await crewsOf(trx, [userId], { lock: true }))[0], userId),
          decide: (crew) =>
            crew.ship.hull === 'escape_pod'
              ? { changes: respawnPirate(crew, { sectorId: spawnAt.id, regionId: spawnAt.region_id }), outcome: { respawned: spawnAt.id as number | null } }
              : { changes: noChanges(), outcome: { respawned: null } },
          respond: (_s, outcome) => ({ status: 200, body: outcome }),
        });
        if (back && !back.replayed) stats.respawned++;
        continue;
      }
      const sectorId = pirate.pilot.sectorId;
      const st = new Statement();
      const here = await runStatement<CrewRow & { created_at: string }>(
        ctx.region,
        `select ${CREW_SELECT}, players.created_at from players join ships on ships.id = players.ship_id
         where players.sector_id = ${st.value(sectorId)}::int and players.user_id <> ${st.value(userId)}::uuid order by players.user_id limit 100`,
        st.params,
      );
      const folk: Target[] = here.map((row) => ({ crew: toCrew(row), createdAtMs: new Date(row.created_at).getTime() }));
      const neighbours = Array.from(graph.targets.subarray(graph.offsets[sectorId]!, graph.offsets[sectorId + 1]!)).filter((to) => !fedspaceIds.has(to));
      const choice = decidePirate(
        pirate,
        folk,
        neighbours,
        { fedspace: fedspaceIds.has(sectorId), rate: ctx.config.jobs.pirateAttackRate, protection, random: createRandom(`${userId}:${window}`) },
        at,
      );
      const key = `npc-patrols:${window}`;
      if (choice.kind === 'attack') {
        const targetId = choice.target.crew.pilot.userId;
        const fightIds = { seed: `${userId}:${window}`, logId: randomUUID(), wreckId: randomUUID() };
        const result = await act(userId, key, {
          read: async (trx) => present(await readForAttack(trx, userId, targetId, fedspace, at.nowMs, at.timeScale), userId),
          decide: (scene) =>
            decideAttack(
              scene.attacker,
              scene.target,
              { target: choice.target.crew.pilot.name, fighters: Math.min(choice.fighters, scene.attacker.ship.fighters) },
              { sector: scene.sector, protection, teammate: false, ...fightIds, escapeTo: scene.escapeTo, escapeSnapshot: scene.escapeSnapshot },
              at,
            ),
          respond: (_scene, outcome) => ({ status: 200, body: { destroyed: outcome.destroyed, log_id: outcome.log_id } }),
        });
        if (result && !result.replayed) {
          stats.raids++;
          if ((JSON.parse(result.text) as { destroyed: boolean }).destroyed) stats.destroyed_traders++;
        }
      } else if (choice.kind === 'flee' || choice.kind === 'roam') {
        const to = choice.to;
        const result = await act(userId, key, {
          read: async (trx) => present(await readForMove(trx, userId, to, [], at.nowMs, at.timeScale), userId),
          decide: (scene) =>
            decideMove(scene.crew, to, { ...scene.passage, toRegionId: regionOf.get(to) ?? scene.passage.toRegionId }, at, { remember: false }),
          respond: (_scene, hop) => ({ status: 200, body: { ...hop, kind: choice.kind } }),
        });
        if (result && !result.replayed) stats.moves++;
      }
    }

    // ---- the Federation police ----
    const wanted = await ctx.region
      .selectFrom('players')
      .innerJoin('sectors', 'sectors.id', 'players.sector_id')
      .select('players.user_id')
      .where('sectors.fedspace', '=', true)
      .where('players.npc', '=', false)
      .where('players.alignment', '<', 0)
      .orderBy('players.user_id')
      .execute();
    for (const { user_id: userId } of wanted) {
      const result = await act(userId, `police-fine:${window}`, {
        read: async (trx) => {
          const crew = present((await crewsOf(trx, [userId], { lock: true }))[0], userId);
          return { crew, fedspace: fedspaceIds.has(crew.pilot.sectorId) };
        },
        decide: (scene) => decideFine(scene.crew, { fedspace: scene.fedspace }),
        respond: (_s, outcome) => ({ status: 200, body: outcome }),
      });
      if (result && !result.replayed) {
        const fined = (JSON.parse(result.text) as { fined: number }).fined;
        if (fined > 0) {
          stats.fines++;
          stats.fined_credits += fined;
        }
      }
    }
    return stats;
  },
};
