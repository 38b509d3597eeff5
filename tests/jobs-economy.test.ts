import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PRICE, type Good } from '../game/catalog/goods.js';
import { NPC_TRADER } from '../game/catalog/npc-traders.js';
import { currentUnitPrice, priceBand } from '../game/pricing.js';
import { marketDriftJob } from '../jobs/market-drift.js';
import { npcTradersJob } from '../jobs/npc-traders.js';
import { driftedGood as driftedAt } from '../world/sector-view.js';
import { ledgerMismatches } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';
import { jobDeps, nextGameHour, npcLegEntries, runWindow } from './job-helpers.js';

/**
 * A simulated game week of the world moving on its own: every game hour the market-drift job
 * and then the NPC traders run, on the test galaxy. Between the two runs of an hour nothing
 * else moves stock, so each hour's stock change must be exactly the hour's trades (drift is
 * accounted apart, by the market-drift run before it).
 */
const HOURS = 168;
const TIME_SCALE = 60; // a game hour is a minute of wall time: windows sit just ahead of now
const PER_REGION = 4;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { GAME_TIME_SCALE: String(TIME_SCALE), NPC_TRADERS_PER_REGION: String(PER_REGION) } });
});
afterAll(async () => {
  await t.close();
});

type Key = string;
const stockMap = async () => {
  const rows = await t.region.selectFrom('port_goods').select(['port_id', 'good', 'stock']).execute();
  return new Map<Key, number>(rows.map((r) => [`${r.port_id}:${r.good}`, r.stock]));
};
const cargoTotals = async () => {
  const row = await t.region
    .selectFrom('ships')
    .innerJoin('players', 'players.ship_id', 'ships.id')
    .select([
      sql<number>`coalesce(sum(cargo_ore), 0)::int`.as('ore'),
      sql<number>`coalesce(sum(cargo_organics), 0)::int`.as('organics'),
      sql<number>`coalesce(sum(cargo_equipment), 0)::int`.as('equipment'),
    ])
    .where('players.npc', '=', true)
    .executeTakeFirstOrThrow();
  return { ore: Number(row.ore), organics: Number(row.organics), equipment: Number(row.equipment) } as Record<Good, number>;
};
const moneySupply = async () => Number((await sql<{ n: number }>`select coalesce(sum(credits), 0)::bigint as n from players`.execute(t.region)).rows[0]!.n);

describe('NPC traders over a game week', () => {
  it('keep every price in its band, conserve goods trade by trade, and keep the ledger whole', { timeout: 240_000 }, async () => {
    const deps = jobDeps(t);
    const hour = 3_600_000 / TIME_SCALE;
    const start = nextGameHour(TIME_SCALE);
    const totals = { trades: 0, bought: 0, sold: 0, spent: 0, earned: 0, upkeep: 0 };
    const tradedGoods = new Set<string>();
    let supplyAfterFirstHour = 0;

    for (let h = 0; h < HOURS; h++) {
      const W = new Date(start + h * hour);
      expect((await runWindow(deps, marketDriftJob, W)).status).toBe('succeeded');
      const stockBefore = await stockMap();
      const cargoBefore = await cargoTotals();
      const npc = await runWindow(deps, npcTradersJob, W);
      expect(npc.status).toBe('succeeded');
      const stockAfter = await stockMap();
      const cargoAfter = await cargoTotals();

      const trades = await npcLegEntries(t.region, W);
      const expectedStock = new Map(stockBefore);
      const expectedCargo = { ...cargoBefore };
      for (const row of trades) {
        if (row.reason === 'npc_upkeep') {
          totals.upkeep += -row.delta;
          continue;
        }
        const ref = row.ref as { port_id: number; good: Good; quantity: number };
        const key = `${ref.port_id}:${ref.good}`;
        const into = row.reason === 'trade_sell' ? ref.quantity : -ref.quantity;
        expectedStock.set(key, expectedStock.get(key)! + into);
        expectedCargo[ref.good] -= into;
        tradedGoods.add(key);
        totals.trades++;
        if (row.reason === 'trade_buy') {
          totals.bought += ref.quantity;
          totals.spent += -row.delta;
        } else {
          totals.sold += ref.quantity;
          totals.earned += row.delta;
        }
      }
      // Goods are conserved: what left a port is in a hold, and the other way round.
      expect(stockAfter).toEqual(expectedStock);
      expect(cargoAfter).toEqual(expectedCargo);
      if (h === 0) supplyAfterFirstHour = await moneySupply();
    }

    // Prices: every port good of every port sits inside base × [0.6, 1.4], and stock inside [0, capacity].
    const end = start + (HOURS - 1) * hour;
    const goods = await t.region.selectFrom('port_goods').selectAll().execute();
    let violations = 0;
    for (const row of goods) {
      const good = driftedAt(row, end, TIME_SCALE);
      const [floor, ceiling] = priceBand(BASE_PRICE[good.good]);
      const price = currentUnitPrice(good);
      if (price < floor || price > ceiling || good.stock < 0 || good.stock > good.capacity) violations++;
    }
    expect(violations).toBe(0);
    // The markets moved: traders worked a good share of the galaxy's port goods, at a profit.
    expect(totals.trades).toBeGreaterThan(HOURS);
    expect(tradedGoods.size).toBeGreaterThanOrEqual(goods.length / 5);
    expect(totals.earned - totals.spent).toBeGreaterThan(0);

    // Credits: every balance is its ledger, and NPC trading adds no money: profit above the
    // working capital is paid out as upkeep, so the traders never hold more than they were given.
    expect(await ledgerMismatches(t)).toEqual([]);
    const traders = await t.region.selectFrom('players').select('credits').where('npc', '=', true).execute();
    expect(traders.length).toBeGreaterThan(0);
    expect(traders.every((n) => n.credits <= NPC_TRADER.capital)).toBe(true);
    const supply = await moneySupply();
    expect(supply).toBeLessThanOrEqual(traders.length * NPC_TRADER.capital);

    if (process.env.ECONOMY_REPORT) {
      process.stdout.write(
        `${JSON.stringify({ hours: HOURS, traders: traders.length, ...totals, gross_profit: totals.earned - totals.spent, money_supply_after_first_hour: supplyAfterFirstHour, money_supply_end: supply, price_band_violations: violations, port_goods: goods.length, port_goods_traded: tradedGoods.size })}\n`,
      );
    }
  });
});
