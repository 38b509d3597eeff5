import { createHash } from 'node:crypto';
import { NPC_TRADER, NPC_TRADER_NAMES } from '../game/catalog/npc-traders.js';
import { GAME_HOUR_MS } from '../game/catalog/time.js';
import { hopDistances } from '../game/connectivity.js';
import { decideNpcLeg, type NpcLegOutcome, type ReachablePort } from '../game/npc-trading.js';
import { createRandom } from '../game/random.js';
import { runAction } from '../world/action.js';
import { courseWithin, loadTradingWorld, readForNpcLeg, type TradingWorld, updateMarket } from '../world/npc-markets.js';
import { present, spawnPilot } from '../world/pilots.js';
import type { JobContext, JobDefinition } from './runner.js';

/**
 * NPC traders (GAME.md "NPCs"): a few pilots per region that, once a window, sell what they carry
 * here, buy what sells best at a port within a few warps, and fly there. Each leg is one action
 * through the action core: the same decisions (decideTrade, decideMove), the same applier, lock
 * order and ledger as a player's. A leg runs under the Idempotency-Key of its window, so a re-run
 * of the window (or a takeover mid-window) replays the legs that committed and changes nothing.
 */
export const npcTradersJob: JobDefinition = {
  name: 'npc-traders',
  summary: 'fly NPC traders between ports so markets recover and move',
  every: { ms: GAME_HOUR_MS, clock: 'game' },
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const at = ctx.windowStart.getTime();
    const perRegion = ctx.config.jobs.npcTradersPerRegion;
    const world = await loadTradingWorld(ctx.region, NPC_TRADER.portClasses, at, ctx.config.gameTimeScale);
    if (!world || perRegion === 0) return { traders: 0, created: 0, acted: 0, trades: 0 };
    const created = await ensureRoster(ctx, world, perRegion);

    const roster = await ctx.region
      .selectFrom('npc_traders')
      .innerJoin('players', 'players.user_id', 'npc_traders.user_id')
      .select(['npc_traders.user_id', 'players.sector_id', 'players.region_id'])
      .where('npc_traders.slot', '<', perRegion)
      .orderBy('npc_traders.user_id')
      .execute();

    const stats = { traders: roster.length, created, acted: 0, trades: 0, units_bought: 0, units_sold: 0, spent: 0, earned: 0, upkeep: 0, moved: 0 };
    for (const trader of roster) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const leg = await flyLeg(ctx, world, trader.user_id, reachableFrom(world, trader.sector_id, trader.region_id), trader.region_id);
      if (!leg) continue;
      stats.acted++;
      stats.upkeep += leg.upkeep;
      if (leg.hops > 0) stats.moved++;
      for (const trade of leg.trades) {
        stats.trades++;
        if (trade.side === 'buy') {
          stats.units_bought += trade.quantity;
          stats.spent += trade.total;
        } else {
          stats.units_sold += trade.quantity;
          stats.earned += trade.total;
        }
      }
    }
    return stats;
  },
};

/**
 * One trader's leg in the window. Its plan (what is in reach, at what prices) comes from the
 * window's snapshot; its trades are decided on the port's locked stock. Returns null when the
 * window had already flown this leg.
 */
async function flyLeg(ctx: JobContext, world: TradingWorld, userId: string, reachable: ReachablePort[], regionId: number): Promise<NpcLegOutcome | null> {
  const at = { nowMs: ctx.windowStart.getTime(), timeScale: ctx.config.gameTimeScale };
  const window = ctx.windowStart.toISOString();
  let portId: number | null = null;
  const result = await runAction(
    { region: ctx.region, outbox: ctx.outbox, logger: ctx.logger },
    {
      read: async (trx) => present(await readForNpcLeg(trx, userId, at.nowMs, at.timeScale), userId),
      decide: (scene) => {
        portId = scene.port?.id ?? null;
        return decideNpcLeg(
          scene.crew,
          scene.port,
          {
            reachable,
            roamTo: world.ports.filter((p) => p.regionId === regionId).map((p) => p.sectorId),
            course: (from, to) => courseWithin(world, from, to),
            random: createRandom(`${userId}:${window}`),
            capital: NPC_TRADER.capital,
            minMarginPct: NPC_TRADER.minMarginPct,
          },
          at,
        );
      },
      respond: (_scene, outcome) => ({ status: 200, body: outcome }),
    },
    { key: { userId, key: `npc-traders:${window}`, requestHash: 'npc-leg' }, transact: ctx.transaction },
  );
  if (result.replayed) return null;
  const leg = JSON.parse(result.text) as NpcLegOutcome;
  if (portId !== null) updateMarket(world, portId, leg.portGoods);
  return leg;
}

/** A stable id per galaxy, region and slot (a version-8 UUID), so creating the roster is idempotent. */
export function npcTraderId(seed: string, regionId: number, slot: number): string {
  const h = createHash('sha256').update(`npc-trader:${seed}:${regionId}:${slot}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function npcTraderName(regionId: number, slot: number): string {
  const name = NPC_TRADER_NAMES[(regionId * 5 + slot) % NPC_TRADER_NAMES.length]!;
  const round = Math.floor(slot / NPC_TRADER_NAMES.length);
  return round === 0 ? `Trader ${name}` : `Trader ${name} ${round + 1}`;
}

/** Create the traders each region is missing: a pilot at a port, a ship, and its capital through the ledger. */
async function ensureRoster(ctx: JobContext, world: TradingWorld, perRegion: number): Promise<number> {
  const existing = await ctx.region
    .selectFrom('npc_traders')
    .innerJoin('players', 'players.user_id', 'npc_traders.user_id')
    .select(['npc_traders.region_id', 'npc_traders.slot'])
    .execute();
  const have = new Set(existing.map((t) => `${t.region_id}:${t.slot}`));
  let created = 0;
  const regionIds = [...new Set(world.ports.map((p) => p.regionId))].sort((a, b) => a - b);
  for (const regionId of regionIds) {
    const ports = world.ports.filter((p) => p.regionId === regionId);
    for (let slot = 0; slot < perRegion; slot++) {
      if (have.has(`${regionId}:${slot}`)) continue;
      const userId = npcTraderId(world.seed, regionId, slot);
      const home = createRandom(`${world.seed}:npc-trader:${regionId}:${slot}`).pick(ports);
      const made = await ctx.transaction(async (trx) => {
        const spawned = await spawnPilot(trx, {
          userId,
          name: npcTraderName(regionId, slot),
          sectorId: home.sectorId,
          regionId,
          hull: NPC_TRADER.hullId,
          fighters: NPC_TRADER.fighters,
          credits: NPC_TRADER.capital,
          reason: 'npc_capital',
          ref: { region_id: regionId, slot },
          npc: true,
          turnsAnchor: ctx.windowStart,
          remember: false,
        });
        if (!spawned) return false;
        // A row left by an earlier galaxy in this slot is taken over by the new trader.
        await trx
          .insertInto('npc_traders')
          .values({ user_id: userId, region_id: regionId, slot })
          .onConflict((oc) => oc.columns(['region_id', 'slot']).doUpdateSet({ user_id: userId }))
          .execute();
        return true;
      });
      if (made) created++;
    }
  }
  if (created > 0) ctx.logger.info({ created }, 'NPC traders created');
  return created;
}

/** Ports of the trader's region within NPC_TRADER.searchHops warps (not the one it is at), as the window's snapshot has them. */
function reachableFrom(world: TradingWorld, sectorId: number, regionId: number): ReachablePort[] {
  if (sectorId >= world.graph.nodeCount) return [];
  const distance = hopDistances(world.graph, sectorId);
  const reachable: ReachablePort[] = [];
  for (const port of world.ports) {
    const hops = distance[port.sectorId] ?? -1;
    if (port.regionId !== regionId || hops < 1 || hops > NPC_TRADER.searchHops) continue;
    reachable.push({ portId: port.id, sectorId: port.sectorId, hops, goods: world.markets.get(port.id) ?? [] });
  }
  return reachable;
}
