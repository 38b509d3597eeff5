import { describe, expect, it } from 'vitest';
import { adjacencyFromEdges, checkConnectivity, hopDistances, reverseAdjacency, strongComponents } from './connectivity.js';

const edges = (pairs: [number, number][]): [number[], number[]] => [pairs.map(([a]) => a), pairs.map(([, b]) => b)];

describe('adjacencyFromEdges', () => {
  it('groups targets per node in ascending order', () => {
    const graph = adjacencyFromEdges(
      3,
      ...edges([
        [0, 2],
        [1, 0],
        [0, 1],
      ]),
    );
    expect([...graph.offsets]).toEqual([0, 2, 3, 3]);
    expect([...graph.targets]).toEqual([1, 2, 0]);
    const reversed = reverseAdjacency(graph);
    expect([...reversed.offsets]).toEqual([0, 1, 2, 3]);
    expect([...reversed.targets]).toEqual([1, 0, 0]);
  });

  it('rejects an edge to a node that does not exist', () => {
    expect(() => adjacencyFromEdges(2, [0], [2])).toThrow(RangeError);
  });
});

describe('strongComponents', () => {
  it('finds cycles, mutual pairs and loners', () => {
    const graph = adjacencyFromEdges(
      6,
      ...edges([
        [0, 1],
        [1, 2],
        [2, 0],
        [2, 3],
        [3, 4],
        [4, 3],
      ]),
    );
    const { componentOf, count } = strongComponents(graph);
    expect(count).toBe(3);
    expect(componentOf[0]).toBe(componentOf[1]);
    expect(componentOf[1]).toBe(componentOf[2]);
    expect(componentOf[3]).toBe(componentOf[4]);
    expect(new Set([componentOf[0], componentOf[3], componentOf[5]]).size).toBe(3);
  });

  it('handles a 300,000-node ring and chain without recursion', () => {
    const n = 300_000;
    const from = Array.from({ length: n }, (_, i) => i);
    const ring = adjacencyFromEdges(
      n,
      from,
      from.map((i) => (i + 1) % n),
    );
    expect(strongComponents(ring).count).toBe(1);
    const chain = adjacencyFromEdges(n, from.slice(0, -1), from.slice(1));
    expect(strongComponents(chain).count).toBe(n);
  });
});

describe('hopDistances', () => {
  it('counts hops along directed edges and marks the unreachable with -1', () => {
    const graph = adjacencyFromEdges(
      5,
      ...edges([
        [0, 1],
        [1, 2],
        [0, 2],
        [3, 0],
      ]),
    );
    expect([...hopDistances(graph, 0)]).toEqual([0, 1, 1, -1, -1]);
  });
});

describe('checkConnectivity', () => {
  it('reports sectors sector 1 cannot reach and sectors that cannot reach it', () => {
    const warps = [
      { from: 1, to: 2, gate: false },
      { from: 2, to: 1, gate: false },
      { from: 2, to: 3, gate: false },
      { from: 4, to: 1, gate: false },
    ];
    expect(checkConnectivity(4, warps)).toEqual({ connected: false, unreachableFromRoot: [4], cannotReachRoot: [3] });
    expect(checkConnectivity(4, [...warps, { from: 3, to: 4, gate: false }])).toEqual({
      connected: true,
      unreachableFromRoot: [],
      cannotReachRoot: [],
    });
  });
});
