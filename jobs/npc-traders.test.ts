import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NPC_TRADER } from '../game/catalog/npc-traders.js';
import { quoteBuy, quoteSell } from '../game/pricing.js';
import { ledgerMismatches } from '../tests/game-helpers.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { nextGameHour, reopenWindow, runWindow, worldState } from '../tests/job-helpers.js';
import { npcTradersJob, npcTraderId } from './npc-traders.js';
import { driftedAt } from './port-market.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { NPC_TRADERS_PER_REGION: '12' } });
});
afterAll(async () => {
  await t.close();
});

const HOUR = 3_600_000;
const W1 = new Date(nextGameHour(1) + HOUR);
const W2 = new Date(W1.getTime() + HOUR);

const traders = () =>
  t.db
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .innerJoin('npc_traders', 'npc_traders.user_id', 'players.user_id')
    .select([
      'players.user_id',
      'players.name',
      'players.sector_id',
      'players.credits',
      'players.region_id',
      'ships.holds',
      'ships.hull',
      'ships.cargo_ore',
      'ships.cargo_organics',
      'ships.cargo_equipment',
      'npc_traders.acted_window',
    ])
    .where('players.npc', '=', true)
    .orderBy('players.user_id')
    .execute();
const portGoodsAt = async (sectorId: number, at: Date) => {
  const rows = await t.db
    .selectFrom('port_goods')
    .innerJoin('ports', 'ports.id', 'port_goods.port_id')
    .selectAll('port_goods')
    .where('ports.sector_id', '=', sectorId)
    .execute();
  return rows.map((row) => ({ row, drifted: driftedAt(row, at.getTime(), 1) }));
};
const tradesIn = (userId: string, window: Date) =>
  t.db
    .selectFrom('credit_ledger')
    .select(['reason', 'delta', 'ref'])
    .where('user_id', '=', userId)
    .where(sql<boolean>`ref->>'window' = ${window.toISOString()}`)
    .where('reason', 'in', ['trade_buy', 'trade_sell'])
    .orderBy('id')
    .execute();

describe('npc-traders job', () => {
  it('creates each region’s traders once, with their capital through the ledger', async () => {
    const regions = await t.db.selectFrom('regions').select('id').orderBy('id').execute();
    const galaxy = await t.db.selectFrom('galaxy').select('seed').executeTakeFirstOrThrow();
    const outcome = await runWindow(t, npcTradersJob, W1);
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { created: 12 * regions.length, traders: 12 * regions.length, acted: 12 * regions.length } });
    const all = await traders();
    expect(all.map((n) => n.user_id).sort()).toEqual(
      regions.flatMap((r) => Array.from({ length: 12 }, (_, slot) => slot).map((slot) => npcTraderId(galaxy.seed, r.id, slot))).sort(),
    );
    for (const npc of all) {
      expect(npc).toMatchObject({ hull: NPC_TRADER.hullId, holds: 150, acted_window: W1 });
      expect(npc.name).toMatch(/^Trader [A-Z][a-z]+/);
      expect(npc.cargo_ore + npc.cargo_organics + npc.cargo_equipment).toBeLessThanOrEqual(npc.holds);
      const capital = await t.db.selectFrom('credit_ledger').select('delta').where('user_id', '=', npc.user_id).where('reason', '=', 'npc_capital').execute();
      expect(capital.map((c) => c.delta)).toEqual([NPC_TRADER.capital]);
    }
    expect(outcome.stats!.trades).toBeGreaterThan(0);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('trades at the players’ prices: a sale is priced on the curve at the port’s drifted stock', async () => {
    // At W2 every trader is where it flew to; what it sells there must be priced by quoteSell at
    // that stock. Two traders may sell one good at one port in the same window, so the sales are
    // replayed in the order they were booked, each at the stock the previous one left.
    const before = await traders();
    const markets = new Map<string, Awaited<ReturnType<typeof portGoodsAt>>[number]>();
    const sellers = new Set<string>();
    const wanted = new Map<string, string[]>();
    for (const npc of before) {
      const cargo = { ore: npc.cargo_ore, organics: npc.cargo_organics, equipment: npc.cargo_equipment };
      for (const m of await portGoodsAt(npc.sector_id, W2)) {
        markets.set(`${m.row.port_id}:${m.row.good}`, m);
        if (m.row.mode !== 'buy' || (cargo[m.row.good as keyof typeof cargo] ?? 0) === 0) continue;
        wanted.set(npc.user_id, [...(wanted.get(npc.user_id) ?? []), `${m.row.port_id}:${m.row.good}`]);
        if (m.drifted.stock < m.drifted.capacity) sellers.add(npc.user_id);
      }
    }
    expect(sellers.size).toBeGreaterThan(0);

    expect(await runWindow(t, npcTradersJob, W2)).toMatchObject({ status: 'succeeded' });
    const sells = await t.db
      .selectFrom('credit_ledger')
      .select(['user_id', 'delta', 'ref'])
      .where(
        'user_id',
        'in',
        before.map((n) => n.user_id),
      )
      .where(sql<boolean>`ref->>'window' = ${W2.toISOString()}`)
      .where('reason', '=', 'trade_sell')
      .orderBy('id')
      .execute();
    const stockNow = new Map<string, number>();
    for (const sale of sells) {
      const ref = sale.ref as { port_id: number; good: string; quantity: number };
      expect(ref).toMatchObject({ window: W2.toISOString(), npc: true });
      const key = `${ref.port_id}:${ref.good}`;
      const at = markets.get(key)!;
      const good = { ...at.drifted, stock: stockNow.get(key) ?? at.drifted.stock };
      const npc = before.find((n) => n.user_id === sale.user_id)!;
      const carried = { ore: npc.cargo_ore, organics: npc.cargo_organics, equipment: npc.cargo_equipment }[ref.good as 'ore']!;
      expect(ref.quantity).toBe(Math.min(carried, good.capacity - good.stock));
      const quote = quoteSell(good, ref.quantity);
      if ('error' in quote) throw new Error(quote.error);
      expect(sale.delta).toBe(quote.total);
      stockNow.set(key, quote.stockAfter);
    }
    // Everyone who could sell did, unless an earlier seller filled the port first.
    const sold = new Set(sells.map((s) => s.user_id));
    expect(sold.size).toBeGreaterThan(0);
    for (const userId of sold) expect(sellers.has(userId)).toBe(true);
    for (const userId of sellers) {
      if (sold.has(userId)) continue;
      for (const key of wanted.get(userId)!) expect(stockNow.get(key)).toBe(markets.get(key)!.drifted.capacity);
    }
    // Profit above the working capital is spent: NPC traders never pile up money.
    for (const npc of await traders()) expect(npc.credits).toBeLessThanOrEqual(NPC_TRADER.capital);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('prices a purchase by quoteBuy at the drifted stock and moves goods from the port into the hold', async () => {
    const W3 = new Date(W2.getTime() + HOUR);
    const before = await traders();
    const markets = new Map<string, Awaited<ReturnType<typeof portGoodsAt>>[number]>();
    for (const npc of before) for (const m of await portGoodsAt(npc.sector_id, W3)) markets.set(`${m.row.port_id}:${m.row.good}`, m);
    await runWindow(t, npcTradersJob, W3);
    // Several traders may buy the same good at one port in one window: replay the buys in the
    // order they were booked, each priced at the stock the previous one left.
    const buys = await t.db
      .selectFrom('credit_ledger')
      .select(['delta', 'ref'])
      .where(
        'user_id',
        'in',
        before.map((n) => n.user_id),
      )
      .where(sql<boolean>`ref->>'window' = ${W3.toISOString()}`)
      .where('reason', '=', 'trade_buy')
      .orderBy('id')
      .execute();
    const stockNow = new Map<string, number>();
    let checked = 0;
    for (const buy of buys) {
      const ref = buy.ref as { port_id: number; good: string; quantity: number };
      const key = `${ref.port_id}:${ref.good}`;
      const at = markets.get(key)!;
      const quote = quoteBuy({ ...at.drifted, stock: stockNow.get(key) ?? at.drifted.stock }, ref.quantity);
      if ('error' in quote) throw new Error(quote.error);
      expect(buy.delta).toBe(-quote.total);
      stockNow.set(key, quote.stockAfter);
      checked++;
    }
    for (const [key, expected] of stockNow) {
      const [portId, good] = key.split(':');
      const stock = await t.db
        .selectFrom('port_goods')
        .select('stock')
        .where('port_id', '=', Number(portId))
        .where('good', '=', good!)
        .executeTakeFirstOrThrow();
      expect(stock.stock).toBe(expected);
    }
    expect(checked).toBeGreaterThan(0);
    const events = await t.db.selectFrom('outbox').select(['topic', 'data']).where('type', '=', 'port.traded').execute();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => /^sector:\d+$/.test(e.topic) && /^Trader /.test((e.data as { trader: string }).trader))).toBe(true);
  });

  it('acts once a window: running the window again changes nothing', async () => {
    const W3 = new Date(W2.getTime() + HOUR);
    const state = await worldState(t.db);
    await reopenWindow(t.db, 'npc-traders', W3);
    expect(await runWindow(t, npcTradersJob, W3)).toMatchObject({ status: 'succeeded', attempts: 2, stats: { traders: 0, created: 0, acted: 0 } });
    expect(await worldState(t.db)).toEqual(state);
  });
});
