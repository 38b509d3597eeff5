import { generateGalaxy } from './game/galaxy.js';
import { routesNearStart } from './game/trade-routes.js';
import { buildWarpGraph, hopsFrom, plotCourse } from './game/pathfinding.js';
import { quoteBuy, quoteSell } from './game/pricing.js';
import { BASE_PRICE, GOODS } from './game/catalog/goods.js';
const seeds = Array.from({ length: 20 }, (_, i) => `seed-${i + 1}`);
const out: number[] = [];
for (const seed of ['sectorwars', 'alpha', 'beta', 'gamma', ...seeds]) {
  const g = generateGalaxy({ seed, terranSectors: 500, nexusSectors: 1000 });
  const fromStart = hopsFrom(buildWarpGraph(g.warps), 1);
  const trading = g.ports.filter((p) => p.portClass >= 1 && p.portClass <= 8);
  const within = (h: number) => trading.filter((p) => fromStart[p.sectorId]! <= h).length;
  const routes = routesNearStart(g, { maxHops: 10, holds: 50, credits: 20000, turnsPerWarp: 2 });
  const best = routes[0];
  // nearest pair paying >= 40 cr/turn
  const good = routes.filter((r) => r.profitPerTurn >= 40).sort((a, b) => a.hopsFromStart - b.hopsFromStart)[0];
  const margin = best ? best.profit / ((best.out?.cost ?? 0) + (best.back?.cost ?? 0)) : 0;
  console.log(seed.padEnd(11), '≤4', within(4), '≤10', within(10), 'total', trading.length, 'best', best ? `${best.profitPerTurn.toFixed(1)} cr/t margin ${(margin*100).toFixed(1)}% at ${best.hopsFromStart}h` : 'NONE', 'nearest≥40:', good ? `${good.hopsFromStart}h ${good.profitPerTurn.toFixed(0)}` : 'none');
}
