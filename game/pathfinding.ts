import { adjacencyFromEdges, reverseAdjacency, type Adjacency } from './connectivity.js';

/**
 * Warps as a compact graph indexed by sector id (index 0 unused), with search buffers reused
 * across plots so a course on a million sectors allocates only its answer.
 */
export interface WarpGraph extends Adjacency {
  /** sector id → sector it was reached from in the current plot */
  readonly parent: Int32Array;
  /** sector id → hops from the origin in the current plot (valid where `seen` holds its stamp) */
  readonly cost: Int32Array;
  /** sector id → plot number that last reached it; avoids clearing the buffers per plot */
  readonly seen: Uint32Array;
  /** sector id → plot number that settled it (its cost is final) */
  readonly settled: Uint32Array;
  readonly queue: Int32Array;
  /** chosen at the first plot, so graphs used only for hopsFrom never pay for them */
  landmarks: Landmarks | null;
  readonly open: OpenList;
  plotCount: number;
  /** sectors the last plot settled: what a plot's time is made of (the bench reports it) */
  lastSettled: number;
}

/**
 * Hop distances to and from a few far-apart sectors. By the triangle inequality they bound
 * every course from below (d(v,t) ≥ d(L,t) − d(L,v) and d(v,t) ≥ d(v,L) − d(t,L)), which lets
 * the plotter search toward the destination instead of in every direction (ALT: A*, landmarks,
 * triangle inequality). The bound only ever underestimates, so courses stay the shortest, in
 * known space too (a course there is never shorter than on the whole map).
 */
interface Landmarks {
  readonly count: number;
  /**
   * Per sector, its 2 × count distances side by side: [v * 2count + 2k] = hops from landmark k to
   * v, [… + 1] = hops from v to landmark k; UNREACHED where none. One sector's bounds sit in one
   * cache line, where an array per landmark cost a cache miss per landmark per sector reached.
   */
  readonly table: Uint16Array;
  /** the destination's row, copied out once per plot */
  readonly goal: Int32Array;
}

const UNREACHED = 0xffff;
const LANDMARKS = 8;

export function buildWarpGraph(warps: readonly { from: number; to: number }[]): WarpGraph {
  let maxId = 0;
  for (const warp of warps) maxId = Math.max(maxId, warp.from, warp.to);
  const from = new Int32Array(warps.length);
  const to = new Int32Array(warps.length);
  warps.forEach((warp, i) => {
    from[i] = warp.from;
    to[i] = warp.to;
  });
  return warpGraphFromEdges(maxId + 1, from, to);
}

/** The same graph from edge arrays, as the warp loader reads them without a row object per warp. */
export function warpGraphFromEdges(nodeCount: number, from: Int32Array, to: Int32Array): WarpGraph {
  const graph = adjacencyFromEdges(nodeCount, from, to);
  return {
    ...graph,
    parent: new Int32Array(graph.nodeCount),
    cost: new Int32Array(graph.nodeCount),
    seen: new Uint32Array(graph.nodeCount),
    settled: new Uint32Array(graph.nodeCount),
    queue: new Int32Array(graph.nodeCount),
    landmarks: null,
    open: new OpenList(),
    plotCount: 0,
    lastSettled: 0,
  };
}

/** The graph's landmarks, chosen once (a serving process may call this at load, off the hot path). */
export function landmarksOf(graph: WarpGraph): Landmarks {
  graph.landmarks ??= chooseLandmarks(graph, reverseAdjacency(graph), graph.queue);
  return graph.landmarks;
}

/**
 * Farthest-point choice: each landmark is the sector farthest (in hops, either way) from those
 * chosen so far, so they sit on the rim of the map where their bounds are tightest.
 */
function chooseLandmarks(graph: Adjacency, reverse: Adjacency, queue: Int32Array): Landmarks {
  const fromLandmark: Uint16Array[] = [];
  const toLandmark: Uint16Array[] = [];
  const n = graph.nodeCount;
  if (n < 2) return interleave(n, fromLandmark, toLandmark);
  const nearest = new Uint16Array(n).fill(UNREACHED);
  let next = farthestOf(hopsInto(graph, firstNodeWithWarps(graph), new Uint16Array(n), queue));
  for (let k = 0; k < LANDMARKS && next > 0; k++) {
    const out = hopsInto(graph, next, new Uint16Array(n), queue);
    const back = hopsInto(reverse, next, new Uint16Array(n), queue);
    fromLandmark.push(out);
    toLandmark.push(back);
    for (let v = 0; v < n; v++) nearest[v] = Math.min(nearest[v] as number, out[v] as number, back[v] as number);
    next = farthestOf(nearest);
  }
  return interleave(n, fromLandmark, toLandmark);
}

function interleave(n: number, fromLandmark: Uint16Array[], toLandmark: Uint16Array[]): Landmarks {
  const count = fromLandmark.length;
  const width = 2 * count;
  const table = new Uint16Array(n * width);
  for (let k = 0; k < count; k++) {
    const out = fromLandmark[k] as Uint16Array;
    const back = toLandmark[k] as Uint16Array;
    for (let v = 0, at = 2 * k; v < n; v++, at += width) {
      table[at] = out[v] as number;
      table[at + 1] = back[v] as number;
    }
  }
  return { count, table, goal: new Int32Array(width) };
}

function firstNodeWithWarps(graph: Adjacency): number {
  for (let v = 0; v < graph.nodeCount; v++) if ((graph.offsets[v + 1] as number) > (graph.offsets[v] as number)) return v;
  return 0;
}

/** The reached node farthest away, 0 when none is farther than 0 hops. */
function farthestOf(hops: Uint16Array): number {
  let best = 0;
  let bestHops = 0;
  for (let v = 1; v < hops.length; v++) {
    const h = hops[v] as number;
    if (h !== UNREACHED && h > bestHops) {
      best = v;
      bestHops = h;
    }
  }
  return best;
}

function hopsInto(graph: Adjacency, root: number, hops: Uint16Array, queue: Int32Array): Uint16Array {
  const { offsets, targets } = graph;
  hops.fill(UNREACHED);
  hops[root] = 0;
  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  while (head < tail) {
    const v = queue[head++] as number;
    const next = Math.min((hops[v] as number) + 1, UNREACHED - 1);
    for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
      const w = targets[e] as number;
      if (hops[w] !== UNREACHED) continue;
      hops[w] = next;
      queue[tail++] = w;
    }
  }
  return hops;
}

/** Copy the destination's distances out of the table: every bound of the plot compares against them. */
function aimAt(landmarks: Landmarks, t: number): void {
  const { table, goal } = landmarks;
  const width = goal.length;
  for (let j = 0, at = t * width; j < width; j++, at++) goal[j] = table[at] as number;
}

/** A lower bound on the hops from v to the destination `aimAt` chose. */
function hopsAtLeast(landmarks: Landmarks, v: number): number {
  let bound = 0;
  const { table, goal } = landmarks;
  const width = goal.length;
  for (let j = 0, at = v * width; j < width; j += 2, at += 2) {
    const lv = table[at] as number;
    const lt = goal[j] as number;
    if (lv !== UNREACHED && lt !== UNREACHED && lt - lv > bound) bound = lt - lv;
    const vl = table[at + 1] as number;
    const tl = goal[j + 1] as number;
    if (vl !== UNREACHED && tl !== UNREACHED && vl - tl > bound) bound = vl - tl;
  }
  return bound;
}

/**
 * The plotter's open list: a binary heap of sectors keyed by estimated course length, ties to
 * the sector farther from the origin (it is nearer the destination).
 */
class OpenList {
  private keys = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(node: number, estimate: number, cost: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    const key = estimate * 1048576 + (1048575 - cost);
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if ((this.keys[up] as number) <= key) break;
      this.keys[i] = this.keys[up] as number;
      this.nodes[i] = this.nodes[up] as number;
      i = up;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
  }

  pop(): number {
    const top = this.nodes[0] as number;
    const last = --this.size;
    const key = this.keys[last] as number;
    const node = this.nodes[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && (this.keys[child + 1] as number) < (this.keys[child] as number)) child++;
      if ((this.keys[child] as number) >= key) break;
      this.keys[i] = this.keys[child] as number;
      this.nodes[i] = this.nodes[child] as number;
      i = child;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
    return top;
  }
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
 * the cheapest. A* over the landmark bound finds it exactly; equal courses break ties the same
 * way every time for the same map.
 */
export function plotCourse(graph: WarpGraph, from: number, to: number, options: CourseOptions): Course | null {
  const { offsets, targets, parent, cost, seen, settled, open } = graph;
  const inGraph = (id: number): boolean => Number.isInteger(id) && id >= 1 && id < graph.nodeCount;
  if (!inGraph(from) || !inGraph(to)) return null;
  if (from === to) return { path: [from], hops: 0, turns: 0 };
  const { isKnown } = options;
  if (isKnown && !isKnown(to)) return null;

  if (graph.plotCount === 0xffffffff) {
    seen.fill(0);
    settled.fill(0);
    graph.plotCount = 0;
  }
  const landmarks = landmarksOf(graph);
  aimAt(landmarks, to);
  const stamp = ++graph.plotCount;
  open.clear();
  seen[from] = stamp;
  cost[from] = 0;
  open.push(from, hopsAtLeast(landmarks, from), 0);
  graph.lastSettled = 0;
  while (open.size > 0) {
    const v = open.pop();
    if (settled[v] === stamp) continue;
    if (v === to) return courseTo(parent, from, to, options.turnsPerWarp);
    settled[v] = stamp;
    graph.lastSettled++;
    const next = (cost[v] as number) + 1;
    for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
      const w = targets[e] as number;
      if (settled[w] === stamp || (seen[w] === stamp && (cost[w] as number) <= next)) continue;
      if (isKnown && !isKnown(w)) continue;
      seen[w] = stamp;
      cost[w] = next;
      parent[w] = v;
      open.push(w, next + hopsAtLeast(landmarks, w), next);
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
