import { adjacencyFromEdges, type Adjacency } from './connectivity.js';

/**
 * Warps as a compact graph indexed by sector id (index 0 unused), with BFS buffers reused
 * across plots so a course on 100,000 sectors allocates only its answer.
 */
export interface WarpGraph extends Adjacency {
  /** sector id → sector it was reached from in the current plot */
  readonly parent: Int32Array;
  /** sector id → plot number that last reached it; avoids clearing parent per plot */
  readonly seen: Uint32Array;
  readonly queue: Int32Array;
  plotCount: number;
}

export function buildWarpGraph(warps: readonly { from: number; to: number }[]): WarpGraph {
  let maxId = 0;
  for (const warp of warps) maxId = Math.max(maxId, warp.from, warp.to);
  const from = new Int32Array(warps.length);
  const to = new Int32Array(warps.length);
  warps.forEach((warp, i) => {
    from[i] = warp.from;
    to[i] = warp.to;
  });
  const graph = adjacencyFromEdges(maxId + 1, from, to);
  return {
    ...graph,
    parent: new Int32Array(graph.nodeCount),
    seen: new Uint32Array(graph.nodeCount),
    queue: new Int32Array(graph.nodeCount),
    plotCount: 0,
  };
}

export interface CourseOptions {
  /** known-space mode: every sector after the origin must be known; omit for admin mode */
  isKnown?: (sectorId: number) => boolean;
  turnsPerWarp: number;
}

export interface Course {
  /** from .. to inclusive */
  path: number[];
  hops: number;
  turns: number;
}

/**
 * Shortest course by turn cost. Every hop costs the same turnsPerWarp, so the fewest hops is
 * the cheapest and BFS is exact; among equal courses the lowest sector ids win.
 */
export function plotCourse(graph: WarpGraph, from: number, to: number, options: CourseOptions): Course | null {
  const { offsets, targets, parent, seen, queue } = graph;
  const inGraph = (id: number): boolean => Number.isInteger(id) && id >= 1 && id < graph.nodeCount;
  if (!inGraph(from) || !inGraph(to)) return null;
  if (from === to) return { path: [from], hops: 0, turns: 0 };
  const { isKnown } = options;
  if (isKnown && !isKnown(to)) return null;

  if (graph.plotCount === 0xffffffff) {
    seen.fill(0);
    graph.plotCount = 0;
  }
  const stamp = ++graph.plotCount;
  seen[from] = stamp;
  let head = 0;
  let tail = 0;
  queue[tail++] = from;
  while (head < tail) {
    const v = queue[head++] as number;
    for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
      const w = targets[e] as number;
      if (seen[w] === stamp || (isKnown && !isKnown(w))) continue;
      seen[w] = stamp;
      parent[w] = v;
      if (w === to) return courseTo(parent, from, to, options.turnsPerWarp);
      queue[tail++] = w;
    }
  }
  return null;
}

function courseTo(parent: Int32Array, from: number, to: number, turnsPerWarp: number): Course {
  const path = [to];
  for (let at = to; at !== from; ) {
    at = parent[at] as number;
    path.push(at);
  }
  path.reverse();
  const hops = path.length - 1;
  return { path, hops, turns: hops * turnsPerWarp };
}

/**
 * Hops from `from` to every sector, through known space when `isKnown` is given (as plotCourse
 * routes: every sector after the origin must be known); -1 where no course reaches. One search
 * answers "how far is each port I know" at once, where a plot per port would repeat it.
 */
export function hopsFrom(graph: WarpGraph, from: number, isKnown?: (sectorId: number) => boolean): Int32Array {
  const { offsets, targets, queue } = graph;
  const hops = new Int32Array(graph.nodeCount).fill(-1);
  if (!Number.isInteger(from) || from < 1 || from >= graph.nodeCount) return hops;
  hops[from] = 0;
  let head = 0;
  let tail = 0;
  queue[tail++] = from;
  while (head < tail) {
    const v = queue[head++] as number;
    const next = (hops[v] as number) + 1;
    for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
      const w = targets[e] as number;
      if (hops[w] !== -1 || (isKnown && !isKnown(w))) continue;
      hops[w] = next;
      queue[tail++] = w;
    }
  }
  return hops;
}
