/**
 * The shortest way from `from` to the first sector `isGoal` accepts, over the given warps (a
 * chart the pilot does not have: the autopilot only flies known space, so the end-to-end tests
 * fly it hop by hop, each hop a plain move to a neighbour). The hops, without `from`.
 */
export function chartOver(warps: ReadonlyArray<{ from: number; to: number }>, from: number, isGoal: (sector: number) => boolean): number[] {
  const next = new Map<number, number[]>();
  for (const w of warps) next.set(w.from, [...(next.get(w.from) ?? []), w.to]);
  const cameFrom = new Map<number, number>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const here = queue.shift()!;
    if (isGoal(here)) {
      const way = [here];
      while (way[0] !== from) way.unshift(cameFrom.get(way[0]!)!);
      return way.slice(1);
    }
    for (const there of next.get(here) ?? []) {
      if (!cameFrom.has(there)) {
        cameFrom.set(there, here);
        queue.push(there);
      }
    }
  }
  throw new Error(`no way from ${from}`);
}
