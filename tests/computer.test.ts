import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOODS } from '../game/catalog/goods.js';
import { generateGalaxy } from '../game/galaxy.js';
import { restingStock } from '../game/pricing.js';
import { bestLoad } from '../game/trade-routes.js';
import { planTradeRoute } from './browser/trade-route.js';
import { newPilot } from './game-helpers.js';
import { createTestApp, type TestApp } from './harness.js';
import { TEST_GALAXY } from './test-galaxy.js';
import { MapView } from '../handlers/player/routes.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

interface SeenPort {
  sector_id: number;
  name: string;
  class: number;
  live: boolean;
  hops: number | null;
  turns: number | null;
  seen_at: string;
  goods: Array<{ good: string; port_action: string; unit_price: number; stock: number }>;
}

/**
 * The ship's computer over HTTP: the port report lists what the pilot has seen (and only that),
 * with hops through known space; the route finder ranks the seen pairs by profit per turn.
 */
describe("the ship's computer", () => {
  it('reports every port seen, nearest first, live where the ship is and as last seen elsewhere', async () => {
    const p = await newPilot(t);
    const api = (method: string, path: string, body?: unknown) => t.call(method, path, { token: p.token, ...(body ? { body } : {}) });

    const first = await api('GET', '/api/v1/computer/ports');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ sector_id: 1, turns_per_warp: 2 });
    expect(first.body.ports.map((x: SeenPort) => [x.sector_id, x.class, x.live, x.hops, x.turns])).toEqual([[1, 0, true, 0, 0]]);

    // Fly the browser test's plan: past the buyer to the seller, charting both ports.
    const route = planTradeRoute(TEST_GALAXY, 50);
    for (const to of [...route.outbound.slice(1), ...route.toBuyer.slice(1)]) expect((await api('POST', '/api/v1/player/move', { to })).status).toBe(200);
    const report = (await api('GET', '/api/v1/computer/ports')).body as { sector_id: number; ports: SeenPort[] };
    expect(report.sector_id).toBe(route.buyAt);
    const seller = report.ports.find((x) => x.sector_id === route.buyAt)!;
    const buyer = report.ports.find((x) => x.sector_id === route.sellAt)!;
    expect(seller).toMatchObject({ live: true, hops: 0, turns: 0 });
    const course = await api('GET', `/api/v1/nav/plot?to=${route.sellAt}`);
    expect(buyer).toMatchObject({ live: false, hops: course.body.hops, turns: course.body.turns });
    expect(report.ports[0]!.sector_id).toBe(route.buyAt);
    const hops = report.ports.map((x) => x.hops ?? Infinity);
    expect(hops).toEqual([...hops].sort((a, b) => a - b));
    // Only ports in sectors flown through: nothing the pilot has not seen.
    const flown = new Set([1, ...route.outbound, ...route.toBuyer]);
    expect(report.ports.every((x) => flown.has(x.sector_id))).toBe(true);
    // The buyer's prices are the snapshot of the visit, matching the sector's last-seen view.
    const remembered = (await api('GET', `/api/v1/sectors/${route.sellAt}`)).body;
    expect(buyer.goods).toEqual(remembered.port.goods);
    expect(buyer.seen_at).toBe(remembered.last_seen_at);
  });

  it("ranks the seen pairs by profit per turn, priced for the ship's holds and credits over the plotted courses", async () => {
    const p = await newPilot(t);
    const api = (method: string, path: string, body?: unknown) => t.call(method, path, { token: p.token, ...(body ? { body } : {}) });
    const route = planTradeRoute(TEST_GALAXY, 50);
    // Both markets at their resting levels, where drift moves nothing: what the pilot sees on the
    // way and what the finder prices later are the same stocks however long the suite has run.
    const ports = await t.region.selectFrom('ports').select(['id', 'sector_id']).where('sector_id', 'in', [route.buyAt, route.sellAt]).execute();
    for (const row of await t.region
      .selectFrom('port_goods')
      .selectAll()
      .where(
        'port_id',
        'in',
        ports.map((p) => p.id),
      )
      .execute()) {
      await t.region
        .updateTable('port_goods')
        .set({ stock: restingStock(row), anchor_at: new Date() })
        .where('port_id', '=', row.port_id)
        .where('good', '=', row.good)
        .execute();
    }
    for (const to of [...route.outbound.slice(1), ...route.toBuyer.slice(1)]) expect((await api('POST', '/api/v1/player/move', { to })).status).toBe(200);

    const found = await api('GET', '/api/v1/computer/routes?limit=50');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ sector_id: route.buyAt, holds: 50, credits: 20_000, turns_per_warp: 2 });
    const routes = found.body.routes as Array<{
      from: { sector_id: number };
      to: { sector_id: number };
      out: { good: string; quantity: number; profit: number } | null;
      back: { good: string; quantity: number; profit: number } | null;
      profit: number;
      turns: number;
      profit_per_turn: number;
      approach_turns: number | null;
    }>;
    expect(routes.length).toBeGreaterThan(0);
    const perTurn = routes.map((r) => r.profit_per_turn);
    expect(perTurn).toEqual([...perTurn].sort((a, b) => b - a));
    const pair = routes.find((r) => [r.from.sector_id, r.to.sector_id].sort().join() === [route.buyAt, route.sellAt].sort().join())!;
    expect(pair).toBeDefined();
    // The ship is at the seller: the route starts here and carries the planned good to the buyer.
    expect(pair.from.sector_id).toBe(route.buyAt);
    expect(pair.approach_turns).toBe(0);
    // The best load from the seller to the buyer, as game/trade-routes prices the stocks seen
    // (the resting levels set above).
    const galaxy = generateGalaxy(TEST_GALAXY);
    const seen = (sectorId: number) => {
      const p = galaxy.ports.find((x) => x.sectorId === sectorId)!;
      return { sectorId, goods: GOODS.flatMap((good) => (p.goods[good] ? [{ good, ...p.goods[good]!, stock: restingStock(p.goods[good]!) }] : [])) };
    };
    const expected = bestLoad(seen(route.buyAt), seen(route.sellAt), { holds: 50, credits: 20_000 })!;
    expect(pair.out).toEqual(expected);
    expect(pair.out!.profit).toBeGreaterThanOrEqual(route.expectedProfit);
    const there = (await api('GET', `/api/v1/nav/plot?to=${route.sellAt}`)).body.turns as number;
    const trades = (pair.out ? 2 : 0) + (pair.back ? 2 : 0);
    // Back from the buyer: the course the browser test flies, toBuyer reversed as the plotter finds it.
    expect(pair.turns).toBeGreaterThanOrEqual(there * 2 - 2 + trades);
    expect(pair.profit_per_turn).toBeCloseTo(pair.profit / pair.turns, 1);

    expect((await api('GET', '/api/v1/computer/routes?limit=1')).body.routes).toHaveLength(1);
  });

  it('refuses bad input with a problem and a code, and strangers with 401', async () => {
    const p = await newPilot(t);
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'limit=1&sort=profit']) {
      const res = await t.call('GET', `/api/v1/computer/routes?${query}`, { token: p.token });
      expect([res.status, res.headers.get('content-type'), res.body.code]).toEqual([422, 'application/problem+json', 'validation_failed']);
    }
    expect((await t.call('GET', '/api/v1/computer/ports')).status).toBe(401);
  });
});

describe('the map of a new pilot', () => {
  it('includes where the known warps lead, the sectors not yet visited', async () => {
    const p = await newPilot(t);
    const map = (await t.call('GET', '/api/v1/player/map', { token: p.token })).body;
    const terra = (await t.call('GET', '/api/v1/sectors/1', { token: p.token })).body;
    expect(map.sectors.map((s: { id: number }) => s.id)).toEqual([1]);
    const exits = terra.warps.map((w: { to: number }) => w.to).sort((a: number, b: number) => a - b);
    expect(map.unexplored.map((s: { id: number }) => s.id)).toEqual(exits);
    for (const s of map.unexplored) expect(Number.isInteger(s.x) && Number.isInteger(s.y)).toBe(true);
  });
});

describe('the map of a pilot who has flown', () => {
  it('lists each visited sector once with its port class and when it was seen, every warp out of them, and only unvisited ends as unexplored', async () => {
    const p = await newPilot(t);
    const terra = (await t.call('GET', '/api/v1/sectors/1', { token: p.token })).body;
    const next = terra.warps[0].to as number;
    expect((await t.call('POST', '/api/v1/player/move', { token: p.token, body: { to: next } })).status).toBe(200);
    const res = await t.call('GET', '/api/v1/player/map', { token: p.token });
    expect(res.status).toBe(200);
    expect(MapView.safeParse(res.body).success).toBe(true);
    const map = res.body as {
      current_sector_id: number;
      sectors: Array<{ id: number; port_class: number | null; last_seen_at: string }>;
      warps: Array<{ from: number; to: number }>;
      unexplored: Array<{ id: number }>;
    };
    expect(map.current_sector_id).toBe(next);
    expect(map.sectors.map((s) => s.id)).toEqual([1, next].sort((a, b) => a - b));
    const galaxy = generateGalaxy(TEST_GALAXY);
    const portClass = (id: number) => galaxy.ports.find((port) => port.sectorId === id)?.portClass ?? null;
    for (const s of map.sectors) {
      expect(s.port_class).toBe(portClass(s.id));
      expect(new Date(s.last_seen_at).toISOString()).toBe(s.last_seen_at);
    }
    const expectedWarps = galaxy.warps
      .filter((w) => w.from === 1 || w.from === next)
      .map((w) => ({ from: w.from, to: w.to }))
      .sort((a, b) => a.from - b.from || a.to - b.to);
    expect(map.warps).toEqual(expectedWarps);
    const beyond = [...new Set(expectedWarps.map((w) => w.to).filter((id) => id !== 1 && id !== next))].sort((a, b) => a - b);
    expect(map.unexplored.map((s) => s.id)).toEqual(beyond);
  });
});
