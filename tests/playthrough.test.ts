import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, registerPlayer, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

interface PortGood {
  good: string;
  port_action: 'sells' | 'buys';
  unit_price: number;
  tradable: number;
}

/**
 * A new pilot, through HTTP alone: explores outward from Terra until it finds a port that buys a
 * good above Earth Station's fixed price, flies back to buy a full hold, flies the plotted course
 * to that port, sells at a profit, and finds both trades in its events feed.
 */
it('register, explore, buy at one port, fly, sell at another, and see the credits grow', async () => {
  const p = await registerPlayer(t);
  const api = (method: string, path: string, body?: unknown) => t.call(method, path, { token: p.token, ...(body ? { body } : {}) });

  const start = await api('GET', '/api/v1/player/state');
  expect(start.status).toBe(200);
  expect(start.body.player).toMatchObject({ credits: 20_000, sector_id: 1, turns: 1000 });
  expect(start.body.ship).toMatchObject({ hull: 'light_freighter', holds: 50, fighters: 30 });

  const terra = (await api('GET', '/api/v1/sectors/1')).body;
  const earthPrices = new Map<string, number>(terra.port.goods.map((g: PortGood) => [g.good, g.unit_price]));

  // Breadth-first exploration: fly to the nearest unvisited sector each time.
  const visited = new Set<number>([1]);
  const frontier: Array<{ via: number; to: number }> = terra.warps.map((w: { to: number }) => ({ via: 1, to: w.to }));
  let target: { sector: number; good: string; price: number } | undefined;
  for (let steps = 0; steps < 60 && !target && frontier.length > 0; steps++) {
    const next = frontier.shift()!;
    if (visited.has(next.to)) continue;
    const here = (await api('GET', '/api/v1/player/state')).body.player.sector_id;
    if (here !== next.via) {
      const flown = await api('POST', '/api/v1/nav/autopilot', { to: next.via });
      expect(flown.status, flown.text).toBe(200);
      expect(flown.body.arrived).toBe(true);
    }
    const moved = await api('POST', '/api/v1/player/move', { to: next.to });
    if (moved.status === 422 && moved.body.code === 'one_way_warp') continue;
    expect(moved.status, moved.text).toBe(200);
    visited.add(next.to);
    const sector = moved.body.sector;
    for (const w of sector.warps) if (!visited.has(w.to)) frontier.push({ via: next.to, to: w.to });
    const best = (sector.port?.goods ?? [])
      .filter((g: PortGood) => g.port_action === 'buys' && g.tradable >= 50 && earthPrices.has(g.good))
      .map((g: PortGood) => ({ good: g.good, margin: g.unit_price / earthPrices.get(g.good)! }))
      .sort((a: { margin: number }, b: { margin: number }) => b.margin - a.margin)[0];
    if (best && best.margin >= 1.08) target = { sector: next.to, good: best.good, price: earthPrices.get(best.good)! };
  }
  expect(target, 'a port buying above Earth prices within reach').toBeDefined();

  // Back to Terra through known space, buy a full hold.
  const home = await api('GET', '/api/v1/nav/plot?to=1');
  expect(home.status).toBe(200);
  expect(home.body.path.at(-1)).toBe(1);
  expect((await api('POST', '/api/v1/nav/autopilot', { to: 1 })).body.arrived).toBe(true);
  const quote = await api('GET', `/api/v1/trade/quote?good=${target!.good}&quantity=50&side=buy`);
  expect(quote.body).toMatchObject({ total: 50 * target!.price, can_execute: true, blocked_by: null });
  const bought = await api('POST', '/api/v1/trade/buy', { good: target!.good, quantity: 50 });
  expect(bought.status, bought.text).toBe(200);
  const creditsAfterBuy = bought.body.player.credits;
  expect(creditsAfterBuy).toBe(20_000 - 50 * target!.price);
  expect(bought.body.ship.cargo[target!.good]).toBe(50);

  // Fly the plotted course to the buyer and sell everything.
  const course = await api('GET', `/api/v1/nav/plot?to=${target!.sector}`);
  expect(course.status).toBe(200);
  const flight = await api('POST', '/api/v1/nav/autopilot', { to: target!.sector });
  expect(flight.body.arrived).toBe(true);
  expect(flight.body.hops.map((h: { to: number }) => h.to)).toEqual(course.body.path.slice(1));
  const sold = await api('POST', '/api/v1/trade/sell', { good: target!.good, quantity: 50 });
  expect(sold.status, sold.text).toBe(200);
  expect(sold.body.player.credits).toBeGreaterThan(20_000);
  expect(sold.body.trade.total).toBeGreaterThan(50 * target!.price);
  expect(sold.body.ship.cargo[target!.good]).toBe(0);

  // Both trades are in the events feed, in order, with their outbox ids.
  const feed = await api('GET', '/api/v1/events?after=0&limit=500');
  const trades = feed.body.events.filter((e: { type: string }) => e.type === 'trade.completed');
  expect(trades.map((e: { data: { side: string } }) => e.data.side)).toEqual(['buy', 'sell']);
  expect(trades[1].id).toBeGreaterThan(trades[0].id);
  const sectorTrade = feed.body.events.find((e: { type: string; topic: string }) => e.type === 'port.traded' && e.topic === `sector:${target!.sector}`);
  expect(sectorTrade.data).toMatchObject({ trader: p.username, side: 'sell', quantity: 50 });

  // The sector behind us is remembered as last seen; an unknown one is not ours to see.
  expect((await api('GET', '/api/v1/sectors/1')).body).toMatchObject({ id: 1, live: false });
  const unknown = await api('GET', '/api/v1/sectors/250');
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('sector_unknown');

  const rankings = await api('GET', '/api/v1/rankings?by=networth');
  expect(rankings.body.entries.find((e: { name: string }) => e.name === p.username).net_worth).toBe(sold.body.player.credits + 40_000);
}, 120_000);
