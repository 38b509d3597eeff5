import { createHash } from 'node:crypto';
import { GOODS, type Good } from '../game/catalog/goods.js';
import { HULLS } from '../game/catalog/hulls.js';
import { NPC_TRADER, NPC_TRADER_NAMES } from '../game/catalog/npc-traders.js';
import { GAME_HOUR_MS } from '../game/catalog/time.js';
import { TURN_POOL } from '../game/catalog/turns.js';
import { adjacencyFromEdges, hopDistances, type Adjacency } from '../game/connectivity.js';
import { bestBuyerFor, planPurchase, type ReachablePort } from '../game/npc-trading.js';
import { currentUnitPrice, quoteBuy, quoteSell } from '../game/pricing.js';
import { createRandom } from '../game/random.js';
import type { Trx } from '../platform/actions.js';
import type { Db } from '../platform/db/database.js';
import { publishEvents, recordEvents, topics, type DomainEvent, type EventEnvelope } from '../platform/events.js';
import { changeCredits } from '../platform/ledger.js';
import type { JobContext, JobDefinition } from './runner.js';
import { driftedAt, type DriftedPortGood } from './port-market.js';

interface TradingPort {
  id: number;
  sectorId: number;
  regionId: number;
}

/** What every trader in a window looks at: ports, their markets at the window start, the warps. */
interface World {
  seed: string;
  ports: TradingPort[];
  portAt: Map<number, TradingPort>;
  /** by port id; each trader's trades are applied here after its transaction commits */
  markets: Map<number, DriftedPortGood[]>;
  graph: Adjacency;
}

interface LegResult {
  acted: boolean;
  trades: Array<{ side: 'buy' | 'sell'; good: Good; quantity: number; total: number }>;
  upkeep: number;
  moved: boolean;
  envelopes: EventEnvelope[];
  market?: { portId: number; goods: DriftedPortGood[] };
}

/**
 * NPC traders (GAME.md "NPCs"): a few pilots per region that, once a window, sell what they
 * carry here, buy what sells best at a port within a few warps, and fly there. Their trades
 * follow the players' rules: prices from the same curves at the port's drifted stock, credits
 * through the ledger, cargo within holds, and the same lock order (the trader's player row,
 * its ship, then the port's goods). Each trader acts once a window: the window is stamped on it
 * in the same transaction, so a re-run of the window (or a takeover mid-window) skips it.
 */
export const npcTradersJob: JobDefinition = {
  name: 'npc-traders',
  summary: 'fly NPC traders between ports so markets recover and move',
  every: { ms: GAME_HOUR_MS, clock: 'game' },
  timeoutMs: 10 * 60_000,
  async run(ctx) {
    const at = ctx.windowStart.getTime();
    const perRegion = ctx.config.jobs.npcTradersPerRegion;
    const world = await loadWorld(ctx.db, at, ctx.config.gameTimeScale);
    if (!world || perRegion === 0) return { traders: 0, created: 0, acted: 0, trades: 0 };
    const created = await ensureRoster(ctx, world, perRegion);

    const roster = await ctx.db
      .selectFrom('npc_traders')
      .innerJoin('players', 'players.user_id', 'npc_traders.user_id')
      .select('npc_traders.user_id')
      .where('npc_traders.slot', '<', perRegion)
      .where((eb) => eb.or([eb('npc_traders.acted_window', 'is', null), eb('npc_traders.acted_window', '<', ctx.windowStart)]))
      .orderBy('npc_traders.user_id')
      .execute();

    const stats = { traders: roster.length, created, acted: 0, trades: 0, units_bought: 0, units_sold: 0, spent: 0, earned: 0, upkeep: 0, moved: 0 };
    for (const { user_id } of roster) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const leg = await ctx.transaction((trx) => flyLeg(trx, ctx, world, user_id));
      if (!leg.acted) continue;
      if (leg.market) world.markets.set(leg.market.portId, leg.market.goods);
      await publishEvents(ctx.db, ctx.bus, leg.envelopes).catch((err: Error) =>
        ctx.logger.warn({ err: err.message }, 'event publish failed; the outbox relay will retry'),
      );
      stats.acted++;
      stats.upkeep += leg.upkeep;
      if (leg.moved) stats.moved++;
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

async function loadWorld(db: Db, atMs: number, timeScale: number): Promise<World | null> {
  const galaxy = await db.selectFrom('galaxy').select('seed').executeTakeFirst();
  if (!galaxy) return null;
  const [ports, goods, warps] = await Promise.all([
    db
      .selectFrom('ports')
      .select(['id', 'sector_id as sectorId', 'region_id as regionId'])
      .where('port_class', 'in', [...NPC_TRADER.portClasses])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('port_goods')
      .innerJoin('ports', 'ports.id', 'port_goods.port_id')
      .selectAll('port_goods')
      .where('ports.port_class', 'in', [...NPC_TRADER.portClasses])
      .execute(),
    // Gates join regions; a trader keeps to its own.
    db.selectFrom('warps').select(['from_sector_id', 'to_sector_id']).where('gate', '=', false).execute(),
  ]);
  const markets = new Map<number, DriftedPortGood[]>();
  for (const row of goods) {
    const list = markets.get(row.port_id) ?? [];
    list.push(driftedAt(row, atMs, timeScale));
    markets.set(row.port_id, list);
  }
  let maxSector = 0;
  for (const w of warps) maxSector = Math.max(maxSector, w.from_sector_id, w.to_sector_id);
  const graph = adjacencyFromEdges(
    maxSector + 1,
    warps.map((w) => w.from_sector_id),
    warps.map((w) => w.to_sector_id),
  );
  return { seed: galaxy.seed, ports, portAt: new Map(ports.map((p) => [p.sectorId, p])), markets, graph };
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
async function ensureRoster(ctx: JobContext, world: World, perRegion: number): Promise<number> {
  const existing = await ctx.db
    .selectFrom('npc_traders')
    .innerJoin('players', 'players.user_id', 'npc_traders.user_id')
    .select(['npc_traders.region_id', 'npc_traders.slot'])
    .execute();
  const have = new Set(existing.map((t) => `${t.region_id}:${t.slot}`));
  const hull = HULLS[NPC_TRADER.hullId];
  let created = 0;
  const regionIds = [...new Set(world.ports.map((p) => p.regionId))].sort((a, b) => a - b);
  for (const regionId of regionIds) {
    const ports = world.ports.filter((p) => p.regionId === regionId);
    for (let slot = 0; slot < perRegion; slot++) {
      if (have.has(`${regionId}:${slot}`)) continue;
      const id = npcTraderId(world.seed, regionId, slot);
      const home = createRandom(`${world.seed}:npc-trader:${regionId}:${slot}`).pick(ports);
      const made = await ctx.transaction(async (trx) => {
        const ship = await trx
          .insertInto('ships')
          .values({ owner_user_id: id, region_id: regionId, hull: hull.id, holds: hull.holds, fighters: NPC_TRADER.fighters, shields: 0 })
          .returning('id')
          .executeTakeFirstOrThrow();
        const player = await trx
          .insertInto('players')
          .values({
            user_id: id,
            region_id: regionId,
            name: npcTraderName(regionId, slot),
            sector_id: home.sectorId,
            ship_id: ship.id,
            credits: 0,
            turns: TURN_POOL.max,
            turns_anchor_at: ctx.windowStart,
            npc: true,
          })
          .onConflict((oc) => oc.column('user_id').doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (!player) {
          await trx.deleteFrom('ships').where('id', '=', ship.id).execute();
          return false;
        }
        await changeCredits(trx, id, NPC_TRADER.capital, 'npc_capital', { region_id: regionId, slot });
        // A row left by an earlier galaxy in this slot is taken over by the new trader.
        await trx
          .insertInto('npc_traders')
          .values({ user_id: id, region_id: regionId, slot })
          .onConflict((oc) => oc.columns(['region_id', 'slot']).doUpdateSet({ user_id: id, acted_window: null, legs: 0 }))
          .execute();
        return true;
      });
      if (made) created++;
    }
  }
  if (created > 0) ctx.logger.info({ created }, 'NPC traders created');
  return created;
}

/** Ports of the trader's region within NPC_TRADER.searchHops warps (not the one it is at). */
function reachableFrom(world: World, sectorId: number, regionId: number): ReachablePort[] {
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

/** One trader's turn in a window, in one transaction: sell, pay upkeep, buy, fly. */
async function flyLeg(trx: Trx, ctx: JobContext, world: World, userId: string): Promise<LegResult> {
  const idle: LegResult = { acted: false, trades: [], upkeep: 0, moved: false, envelopes: [] };
  const player = await trx.selectFrom('players').selectAll().where('user_id', '=', userId).where('npc', '=', true).forUpdate().executeTakeFirst();
  if (!player) return idle;
  const ship = await trx.selectFrom('ships').selectAll().where('id', '=', player.ship_id).forUpdate().executeTakeFirstOrThrow();
  const trader = await trx.selectFrom('npc_traders').select('acted_window').where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  const at = ctx.windowStart;
  if (trader.acted_window && trader.acted_window.getTime() >= at.getTime()) return idle;

  const window = at.toISOString();
  const cargo: Record<Good, number> = { ore: ship.cargo_ore, organics: ship.cargo_organics, equipment: ship.cargo_equipment };
  const result: LegResult = { acted: true, trades: [], upkeep: 0, moved: false, envelopes: [] };
  const events: DomainEvent[] = [];
  const here = world.portAt.get(player.sector_id);
  const reachable = reachableFrom(world, player.sector_id, player.region_id);
  let credits = player.credits;
  let destination: number | undefined;

  if (here) {
    const rows = await trx.selectFrom('port_goods').selectAll().where('port_id', '=', here.id).orderBy('good').forUpdate().execute();
    const goods = rows.map((row) => driftedAt(row, at.getTime(), ctx.config.gameTimeScale));
    const traded = new Set<Good>();
    const record = async (good: DriftedPortGood, side: 'buy' | 'sell', quantity: number, total: number, stockAfter: number) => {
      const ref = { port_id: here.id, good: good.good, quantity, window, npc: true };
      credits = await changeCredits(trx, userId, side === 'buy' ? -total : total, side === 'buy' ? 'trade_buy' : 'trade_sell', ref);
      good.stock = stockAfter;
      cargo[good.good] += side === 'buy' ? quantity : -quantity;
      traded.add(good.good);
      result.trades.push({ side, good: good.good, quantity, total });
      events.push({
        topic: topics.sector(here.sectorId),
        type: 'port.traded',
        data: {
          port_id: here.id,
          sector_id: here.sectorId,
          trader: player.name,
          side,
          good: good.good,
          quantity,
          unit_price: currentUnitPrice(good),
          stock: stockAfter,
        },
      });
    };

    for (const good of goods) {
      if (good.mode !== 'buy' || cargo[good.good] === 0) continue;
      const quantity = Math.min(cargo[good.good], good.capacity - good.stock);
      if (quantity < 1) continue;
      const quote = quoteSell(good, quantity);
      if (!('error' in quote)) await record(good, 'sell', quantity, quote.total, quote.stockAfter);
    }

    if (credits > NPC_TRADER.capital) {
      result.upkeep = credits - NPC_TRADER.capital;
      credits = await changeCredits(trx, userId, -result.upkeep, 'npc_upkeep', { window });
    }

    const used = cargo.ore + cargo.organics + cargo.equipment + ship.cargo_colonists;
    const plan = planPurchase({ portId: here.id, sectorId: here.sectorId, goods }, reachable, ship.holds - used, credits, NPC_TRADER.minMarginPct);
    const selling = plan && goods.find((g) => g.good === plan.good && g.mode === 'sell');
    if (plan && selling) {
      const quote = quoteBuy(selling, plan.quantity);
      if (!('error' in quote) && quote.total <= credits) {
        await record(selling, 'buy', plan.quantity, quote.total, quote.stockAfter);
        destination = plan.destination.sectorId;
      }
    }

    for (const good of goods) {
      if (!traded.has(good.good)) continue;
      await trx
        .updateTable('port_goods')
        .set({ stock: good.stock, anchor_at: new Date(good.anchorMs) })
        .where('port_id', '=', here.id)
        .where('good', '=', good.good)
        .execute();
    }
    result.market = { portId: here.id, goods };
  }

  // Nothing bought: carry what is left to whoever pays best, or look for trade elsewhere.
  const carried = GOODS.filter((g) => cargo[g] > 0).sort((a, b) => cargo[b] - cargo[a])[0];
  if (destination === undefined && carried) destination = bestBuyerFor(carried, cargo[carried], reachable)?.sectorId;
  if (destination === undefined) {
    const roam = createRandom(`${userId}:${window}`);
    const region = world.ports.filter((p) => p.regionId === player.region_id && p.sectorId !== player.sector_id);
    destination = reachable.length > 0 ? roam.pick(reachable).sectorId : region.length > 0 ? roam.pick(region).sectorId : player.sector_id;
  }

  await trx
    .updateTable('ships')
    .set({ cargo_ore: cargo.ore, cargo_organics: cargo.organics, cargo_equipment: cargo.equipment })
    .where('id', '=', ship.id)
    .execute();
  if (destination !== player.sector_id) {
    await trx.updateTable('players').set({ sector_id: destination }).where('user_id', '=', userId).execute();
    events.push(
      { topic: topics.sector(player.sector_id), type: 'sector.departed', data: { sector_id: player.sector_id, player: player.name } },
      { topic: topics.sector(destination), type: 'sector.arrived', data: { sector_id: destination, player: player.name, hull: ship.hull } },
    );
    result.moved = true;
  }
  await trx
    .updateTable('npc_traders')
    .set((eb) => ({ acted_window: at, legs: eb('legs', '+', 1) }))
    .where('user_id', '=', userId)
    .execute();
  result.envelopes = await recordEvents(trx, events);
  return result;
}
