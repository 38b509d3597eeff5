import type { WarpDef } from './galaxy.js';

/**
 * Compact directed graph: the targets of node v are targets[offsets[v] .. offsets[v+1]),
 * ascending. Everything here is iterative, so 100,000+ node graphs cannot overflow the stack.
 */
export interface Adjacency {
  nodeCount: number;
  offsets: Int32Array;
  targets: Int32Array;
}

export function adjacencyFromEdges(nodeCount: number, from: ArrayLike<number>, to: ArrayLike<number>): Adjacency {
  const edgeCount = from.length;
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    const a = from[e] as number;
    const b = to[e] as number;
    if (!(a >= 0 && a < nodeCount && b >= 0 && b < nodeCount)) {
      throw new RangeError(`edge ${a} -> ${b} outside nodes 0..${nodeCount - 1}`);
    }
    (offsets[a + 1] as number)++;
  }
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  const cursor = offsets.slice(0, nodeCount);
  const targets = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const a = from[e] as number;
    targets[(cursor[a] as number)++] = to[e] as number;
  }
  // Sorted neighbour lists make every traversal (and so every tie) deterministic.
  for (let v = 0; v < nodeCount; v++) {
    const start = offsets[v] as number;
    const end = offsets[v + 1] as number;
    if (end - start > 1) targets.subarray(start, end).sort();
  }
  return { nodeCount, offsets, targets };
}

export function reverseAdjacency(graph: Adjacency): Adjacency {
  const from = new Int32Array(graph.targets.length);
  for (let v = 0; v < graph.nodeCount; v++) {
    from.fill(v, graph.offsets[v] as number, graph.offsets[v + 1] as number);
  }
  return adjacencyFromEdges(graph.nodeCount, graph.targets, from);
}

/** BFS hop counts from root; -1 where unreachable. */
export function hopDistances(graph: Adjacency, root: number): Int32Array {
  const distance = new Int32Array(graph.nodeCount).fill(-1);
  const queue = new Int32Array(graph.nodeCount);
  let head = 0;
  let tail = 0;
  distance[root] = 0;
  queue[tail++] = root;
  while (head < tail) {
    const v = queue[head++] as number;
    const next = (distance[v] as number) + 1;
    for (let e = graph.offsets[v] as number, end = graph.offsets[v + 1] as number; e < end; e++) {
      const w = graph.targets[e] as number;
      if (distance[w] === -1) {
        distance[w] = next;
        queue[tail++] = w;
      }
    }
  }
  return distance;
}

/** Strongly connected components by an iterative Tarjan; component ids are 0..count-1. */
export function strongComponents(graph: Adjacency): { componentOf: Int32Array; count: number } {
  const n = graph.nodeCount;
  const { offsets, targets } = graph;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  let sp = 0;
  let depth = 0;
  let counter = 0;
  let count = 0;
  const enter = (v: number): void => {
    index[v] = low[v] = counter++;
    stack[sp++] = v;
    onStack[v] = 1;
    callNode[depth] = v;
    callEdge[depth] = offsets[v] as number;
    depth++;
  };

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    enter(root);
    while (depth > 0) {
      const v = callNode[depth - 1] as number;
      const e = callEdge[depth - 1] as number;
      if (e < (offsets[v + 1] as number)) {
        callEdge[depth - 1] = e + 1;
        const w = targets[e] as number;
        if (index[w] === -1) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      depth--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp] as number;
          onStack[w] = 0;
          componentOf[w] = count;
        } while (w !== v);
        count++;
      }
      if (depth > 0) {
        const parent = callNode[depth - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
    }
  }
  return { componentOf, count };
}

export interface ConnectivityReport {
  connected: boolean;
  /** sectors the root cannot reach */
  unreachableFromRoot: number[];
  /** sectors that cannot reach the root */
  cannotReachRoot: number[];
}

/** Sectors are 1..sectorCount; connected means every sector reaches root and is reached from it. */
export function checkConnectivity(sectorCount: number, warps: readonly WarpDef[], root = 1): ConnectivityReport {
  const from = new Int32Array(warps.length);
  const to = new Int32Array(warps.length);
  warps.forEach((warp, i) => {
    from[i] = warp.from;
    to[i] = warp.to;
  });
  const forward = adjacencyFromEdges(sectorCount + 1, from, to);
  const outward = hopDistances(forward, root);
  const inward = hopDistances(reverseAdjacency(forward), root);
  const unreachableFromRoot: number[] = [];
  const cannotReachRoot: number[] = [];
  for (let id = 1; id <= sectorCount; id++) {
    if (outward[id] === -1) unreachableFromRoot.push(id);
    if (inward[id] === -1) cannotReachRoot.push(id);
  }
  return {
    connected: unreachableFromRoot.length === 0 && cannotReachRoot.length === 0,
    unreachableFromRoot,
    cannotReachRoot,
  };
}
