import { describe, expect, it } from 'vitest';
import { hopDistances } from './connectivity.js';
import { generateGalaxy } from './galaxy.js';
import { buildWarpGraph, plotCourse } from './pathfinding.js';

const oneWay = (pairs: [number, number][]) => pairs.map(([from, to]) => ({ from, to }));
// 1 → 2 → 3 → 4, 1 → 5 → 4, 4 → 1, and 6 cut off.
const graph = buildWarpGraph(
  oneWay([
    [1, 2],
    [2, 3],
    [3, 4],
    [1, 5],
    [5, 4],
    [4, 1],
    [6, 6],
  ]),
);

describe('plotCourse', () => {
  it('finds the fewest hops and prices them at the hull turns per warp', () => {
    expect(plotCourse(graph, 1, 4, { turnsPerWarp: 3 })).toEqual({ path: [1, 5, 4], hops: 2, turns: 6 });
  });

  it('follows one-way warps only forward', () => {
    expect(plotCourse(graph, 4, 3, { turnsPerWarp: 2 })).toEqual({ path: [4, 1, 2, 3], hops: 3, turns: 6 });
  });

  it('in known-space mode routes only through known sectors, the origin excepted', () => {
    const known = new Set([2, 3, 4]);
    expect(plotCourse(graph, 1, 4, { turnsPerWarp: 1, isKnown: (id) => known.has(id) })).toEqual({ path: [1, 2, 3, 4], hops: 3, turns: 3 });
    expect(plotCourse(graph, 1, 5, { turnsPerWarp: 1, isKnown: (id) => known.has(id) })).toBeNull();
    expect(plotCourse(graph, 1, 4, { turnsPerWarp: 1, isKnown: (id) => id === 4 })).toBeNull();
  });

  it('answers a zero-hop course, and null for unreachable or unknown ids', () => {
    expect(plotCourse(graph, 3, 3, { turnsPerWarp: 2 })).toEqual({ path: [3], hops: 0, turns: 0 });
    expect(plotCourse(graph, 1, 6, { turnsPerWarp: 2 })).toBeNull();
    expect(plotCourse(graph, 1, 99, { turnsPerWarp: 2 })).toBeNull();
    expect(plotCourse(graph, 0, 1, { turnsPerWarp: 2 })).toBeNull();
  });

  it('agrees with BFS hop counts across a whole galaxy, along real warps', () => {
    const galaxy = generateGalaxy({ seed: 'plot', terranSectors: 300, nexusSectors: 200 });
    const warpGraph = buildWarpGraph(galaxy.warps);
    const hops = hopDistances(warpGraph, 1);
    const warpSet = new Set(galaxy.warps.map((w) => `${w.from}>${w.to}`));
    for (const sector of galaxy.sectors) {
      const course = plotCourse(warpGraph, 1, sector.id, { turnsPerWarp: 2 });
      expect(course?.hops).toBe(hops[sector.id]);
      expect(course?.turns).toBe(2 * (hops[sector.id] as number));
      course?.path.slice(1).forEach((to, i) => expect(warpSet.has(`${course.path[i]}>${to}`)).toBe(true));
    }
  });
});
