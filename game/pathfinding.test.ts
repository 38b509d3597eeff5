import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hopDistances } from './connectivity.js';
import { generateGalaxy } from './galaxy.js';
import { buildWarpGraph, hopsFrom, plotCourse } from './pathfinding.js';

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
      for (const [i, to] of (course?.path.slice(1) ?? []).entries()) expect(warpSet.has(`${course!.path[i]}>${to}`)).toBe(true);
    }
  });
});

describe('plotCourse over landmarks', () => {
  it('finds courses exactly as short as a breadth-first search, on any map and any known space', () => {
    const map = fc.integer({ min: 2, max: 40 }).chain((size) =>
      fc.record({
        size: fc.constant(size),
        warps: fc.array(fc.tuple(fc.integer({ min: 1, max: size }), fc.integer({ min: 1, max: size })), { maxLength: size * 3 }),
        known: fc.uniqueArray(fc.integer({ min: 1, max: size })),
        from: fc.integer({ min: 1, max: size }),
        to: fc.integer({ min: 1, max: size }),
      }),
    );
    fc.assert(
      fc.property(map, ({ size, warps, known, from, to }) => {
        const graph = buildWarpGraph([...warps.map(([a, b]) => ({ from: a, to: b })), { from: size, to: size }]);
        const knownSet = new Set(known);
        for (const isKnown of [undefined, (id: number) => knownSet.has(id)]) {
          const hops = hopsFrom(graph, from, isKnown);
          const course = plotCourse(graph, from, to, { turnsPerWarp: 1, isKnown });
          const expected = from === to ? 0 : isKnown && !isKnown(to) ? -1 : (hops[to] as number);
          expect(course?.hops ?? -1).toBe(expected);
          if (course) {
            expect(course.path[0]).toBe(from);
            expect(course.path.at(-1)).toBe(to);
            for (const [i, next] of course.path.slice(1).entries()) expect(warps.some(([a, b]) => a === course.path[i] && b === next)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('hopsFrom', () => {
  it("gives the plotter's hop count to every sector at once, through known space when asked", () => {
    const all = hopsFrom(graph, 1);
    expect([...all.slice(1, 7)]).toEqual([0, 1, 2, 2, 1, -1]);
    for (const to of [2, 3, 4, 5]) expect(all[to]).toBe(plotCourse(graph, 1, to, { turnsPerWarp: 1 })!.hops);
    const known = new Set([2, 3, 4]);
    expect([...hopsFrom(graph, 1, (id) => known.has(id)).slice(1, 7)]).toEqual([0, 1, 2, 3, -1, -1]);
    expect([...hopsFrom(graph, 99)].every((h) => h === -1)).toBe(true);
  });
});
