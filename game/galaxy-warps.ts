import { WARP_SHAPE } from './catalog/galaxy.js';
import { adjacencyFromEdges, strongComponents, type Adjacency } from './connectivity.js';
import { distanceSquared, forEachSectorNear, nearestSectors, type RegionLayout } from './galaxy-layout.js';
import type { Random } from './random.js';

/** Warps of one region in local indices: exits[i] lists where sector i warps to. */
export interface RegionWarps {
  exits: number[][];
  /** most exits a sector should have: 1 for dead ends, one less than usual for a sector keeping a slot free */
  cap: Uint8Array;
}

/**
 * Draws mostly two-way warps to near neighbours, a few longer shortcuts, then turns a share of
 * two-way pairs one-way. Connectivity is not guaranteed here; connectRegion repairs it.
 */
export function drawRegionWarps(rng: Random, layout: RegionLayout, options: { oneWayShare: number; keepSlotFree?: number }): RegionWarps {
  const n = layout.count;
  const exits: number[][] = Array.from({ length: n }, () => []);
  const cap = new Uint8Array(n);
  const target = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const deadEnd = i !== 0 && n > 2 && rng.chance(WARP_SHAPE.deadEndShare);
    cap[i] = deadEnd ? 1 : WARP_SHAPE.maxExits - (i === options.keepSlotFree ? 1 : 0);
    target[i] = deadEnd ? 1 : Math.min(cap[i] as number, rng.pickWeighted(WARP_SHAPE.exitWeights));
  }
  const out = (i: number): number[] => exits[i] as number[];
  const hasRoom = (i: number): boolean => out(i).length < (cap[i] as number);
  const link = (a: number, b: number): void => {
    if (!out(a).includes(b)) out(a).push(b);
    if (!out(b).includes(a)) out(b).push(a);
  };
  const linkNearest = (i: number, want: number, candidates: number, reachCells: number): void => {
    if (out(i).length >= want) return;
    for (const j of nearestSectors(layout, i, candidates, reachCells)) {
      if (!out(i).includes(j) && hasRoom(j)) link(i, j);
      if (out(i).length >= want) return;
    }
  };

  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  for (const i of order) linkNearest(i, target[i] as number, WARP_SHAPE.neighbourCandidates, 2);
  // Sectors drawn late can find their neighbours full; let them reach a little further.
  for (const i of order) linkNearest(i, Math.min(2, target[i] as number), 4 * WARP_SHAPE.neighbourCandidates, 4);

  const reach = WARP_SHAPE.shortcutReachCells;
  for (const i of order) {
    if (cap[i] === 1 || !hasRoom(i) || !rng.chance(WARP_SHAPE.shortcutShare)) continue;
    for (let attempt = 0; attempt < 4; attempt++) {
      const dx = rng.int(-reach, reach);
      const dy = rng.int(-reach, reach);
      const x = (layout.cellX[i] as number) + dx;
      const y = (layout.cellY[i] as number) + dy;
      if (dx * dx + dy * dy < 9 || x < 0 || y < 0 || x >= layout.cols || y >= layout.cols) continue;
      const j = layout.occupant[y * layout.cols + x] as number;
      if (j < 0 || cap[j] === 1 || !hasRoom(j) || out(i).includes(j)) continue;
      link(i, j);
      break;
    }
  }

  // Converting a share q of pairs leaves q / (2 − q) of directed warps one-way.
  const pairShare = (2 * options.oneWayShare) / (1 + options.oneWayShare);
  for (let i = 0; i < n; i++) {
    for (const j of [...out(i)]) {
      if (j < i || !out(j).includes(i) || !rng.chance(pairShare)) continue;
      if (cap[i] === 1 || cap[j] === 1) continue;
      const [source, dest] = rng.chance(0.5) ? [i, j] : [j, i];
      // Nobody drops below two exits; the other direction is tried before giving up.
      if (out(source).length > 2) out(source).splice(out(source).indexOf(dest), 1);
      else if (out(dest).length > 2) out(dest).splice(out(dest).indexOf(source), 1);
    }
  }
  return { exits, cap };
}

export function regionAdjacency(exits: readonly (readonly number[])[]): Adjacency {
  const from: number[] = [];
  const to: number[] = [];
  exits.forEach((targets, i) => {
    for (const j of targets) {
      from.push(i);
      to.push(j);
    }
  });
  return adjacencyFromEdges(exits.length, from, to);
}

type Join = { u: number; v: number; outward: boolean; inward: boolean; penalty: number; distance: number };

/**
 * Makes the region strongly connected. Each strongly connected component apart from the
 * capital's is joined to the nearest sector already joined to the capital: a warp out of it
 * and a warp into it, unless it already has one (a two-way warp when it has neither). Both
 * sides are strongly connected, so their union is too. Pairs that keep every sector within
 * maxExits win over any that would not; dead ends are kept where possible. Returns the number
 * of warps added.
 */
export function connectRegion(layout: RegionLayout, warps: RegionWarps, capital = 0): number {
  const { exits, cap } = warps;
  const { componentOf, count } = strongComponents(regionAdjacency(exits));
  if (count === 1) return 0;
  const out = (i: number): number[] => exits[i] as number[];
  const entries: number[][] = Array.from({ length: layout.count }, () => []);
  exits.forEach((targets, i) => targets.forEach((j) => (entries[j] as number[]).push(i)));
  const mainComponent = componentOf[capital] as number;
  const joined = new Uint8Array(layout.count);
  const members: number[][] = Array.from({ length: count }, () => []);
  componentOf.forEach((component, i) => {
    if (component === mainComponent) joined[i] = 1;
    else (members[component] as number[]).push(i);
  });

  // Cost of a new warp a -> b: 0 within the cap, 1 to turn a dead end into a corridor, 1000
  // past maxExits or into a slot kept free.
  const overflow = (a: number, b: number): number => {
    if (out(a).includes(b)) return 0;
    const n = out(a).length + 1;
    if (n <= (cap[a] as number)) return 0;
    return cap[a] === 1 && n <= WARP_SHAPE.maxExits ? 1 : 1000;
  };
  const leadsOut = (group: number[]): boolean => group.some((u) => out(u).some((j) => joined[j]));
  const leadsIn = (group: number[]): boolean => group.some((u) => (entries[u] as number[]).some((j) => joined[j]));
  const isAttached = (component: number): boolean => {
    const group = members[component] as number[];
    return leadsOut(group) && leadsIn(group);
  };
  const bestJoin = (component: number, reach: number): Join | null => {
    const group = members[component] as number[];
    const outward = !leadsOut(group);
    const inward = !leadsIn(group);
    let best: Join | null = null;
    for (const u of group) {
      forEachSectorNear(layout, u, reach, (v) => {
        if (!joined[v]) return;
        const penalty = (outward ? overflow(u, v) : 0) + (inward ? overflow(v, u) : 0);
        const distance = distanceSquared(layout, u, v);
        if (!best || penalty < best.penalty || (penalty === best.penalty && distance < best.distance)) {
          best = { u, v, outward, inward, penalty, distance };
        }
      });
    }
    return best;
  };
  // Widen the search until a pair fits within the caps; past maxReach, give up or overflow.
  const findJoin = (component: number, maxReach: number, overflowIfNeeded: boolean): Join | null => {
    for (let reach = 2; ; reach *= 2) {
      const best = bestJoin(component, reach);
      if (best && best.penalty < 1000) return best;
      if (reach >= maxReach) return overflowIfNeeded ? best : null;
    }
  };
  let added = 0;
  const addWarp = (a: number, b: number): void => {
    if (out(a).includes(b)) return;
    out(a).push(b);
    (entries[b] as number[]).push(a);
    added++;
  };
  const join = (component: number, pair: Join): void => {
    if (pair.outward) addWarp(pair.u, pair.v);
    if (pair.inward) addWarp(pair.v, pair.u);
    for (const w of members[component] as number[]) joined[w] = 1;
  };

  let pending = members.map((_, c) => c).filter((c) => c !== mainComponent);
  while (pending.length > 0) {
    const waiting: number[] = [];
    for (const component of pending) {
      if (isAttached(component)) {
        // Earlier joins already gave it a way in and a way out.
        for (const w of members[component] as number[]) joined[w] = 1;
        continue;
      }
      // Nothing fits nearby yet: wait, the capital's side grows as neighbours join.
      const pair = findJoin(component, 8, false);
      if (pair) join(component, pair);
      else waiting.push(component);
    }
    if (waiting.length > 0 && waiting.length === pending.length) {
      // Stuck: search the whole region, and overflow a cap only if nothing else is left.
      let rescued = -1;
      for (let k = 0; k < waiting.length && rescued < 0; k++) {
        const pair = findJoin(waiting[k] as number, layout.cols, false);
        if (pair) {
          join(waiting[k] as number, pair);
          rescued = k;
        }
      }
      if (rescued < 0) {
        rescued = 0;
        const pair = findJoin(waiting[0] as number, layout.cols, true);
        if (!pair) throw new Error('connectRegion: no sector is joined to the capital');
        join(waiting[0] as number, pair);
      }
      waiting.splice(rescued, 1);
    }
    pending = waiting;
  }
  return added;
}
