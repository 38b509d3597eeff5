import { MAP_LAYOUT } from './catalog/galaxy.js';
import type { Random } from './random.js';

/**
 * A region's sectors on the map: at most one sector per grid cell of a disc, jittered inside
 * its cell. The grid doubles as the spatial index for nearest-neighbour warps.
 * Local index 0 is the capital (the sector nearest the disc's centre).
 */
export interface RegionLayout {
  count: number;
  /** the grid is cols × cols cells */
  cols: number;
  x: Int32Array;
  y: Int32Array;
  cellX: Int32Array;
  cellY: Int32Array;
  /** cell (cy * cols + cx) → local index, or -1 */
  occupant: Int32Array;
}

/** Side of the smallest disc grid that holds count sectors at the catalog's fill. */
export function regionCols(count: number): number {
  const wanted = Math.ceil(count / MAP_LAYOUT.fill);
  // Start just under the disc area estimate; the loop makes the answer exact.
  let cols = Math.max(1, Math.floor(Math.sqrt((wanted * 4) / Math.PI)) - 1);
  while (discCells(cols).length < wanted) cols++;
  return cols;
}

/**
 * @param nearCapital how many sectors after the capital take the next local indices in order
 *   of distance from it (FedSpace), so they form a cluster around the capital.
 */
export function scatterRegion(rng: Random, count: number, origin: { x: number; y: number }, nearCapital: number): RegionLayout {
  const cols = regionCols(count);
  const chosen = rng.shuffle(discCells(cols)).slice(0, count);
  const cellDistance = (a: number, b: number): number => ((a % cols) - (b % cols)) ** 2 + (Math.floor(a / cols) - Math.floor(b / cols)) ** 2;
  const byDistanceFrom = (from: number) => (a: number, b: number) => cellDistance(a, from) - cellDistance(b, from) || a - b;

  // The capital takes the cell nearest the disc's centre (cell index of the middle cell).
  const middle = Math.floor(cols / 2) * cols + Math.floor(cols / 2);
  const capital = [...chosen].sort(byDistanceFrom(middle))[0] as number;
  const others = chosen.filter((cell) => cell !== capital);
  const cluster = nearCapital > 0 ? [...others].sort(byDistanceFrom(capital)).slice(0, nearCapital) : [];
  const inCluster = new Set(cluster);
  // Everyone else keeps the shuffled order, so sector numbers say nothing about position.
  const cells = [capital, ...cluster, ...others.filter((cell) => !inCluster.has(cell))];

  const { cellSize } = MAP_LAYOUT;
  const margin = Math.floor(cellSize * 0.15);
  const layout: RegionLayout = {
    count,
    cols,
    x: new Int32Array(count),
    y: new Int32Array(count),
    cellX: new Int32Array(count),
    cellY: new Int32Array(count),
    occupant: new Int32Array(cols * cols).fill(-1),
  };
  cells.forEach((cell, i) => {
    const cx = cell % cols;
    const cy = Math.floor(cell / cols);
    layout.cellX[i] = cx;
    layout.cellY[i] = cy;
    layout.occupant[cell] = i;
    layout.x[i] = origin.x + cx * cellSize + rng.int(margin, cellSize - margin);
    layout.y[i] = origin.y + cy * cellSize + rng.int(margin, cellSize - margin);
  });
  return layout;
}

/** Cell indices of a cols × cols grid whose centres lie inside the inscribed disc. */
function discCells(cols: number): number[] {
  const cells: number[] = [];
  for (let cy = 0; cy < cols; cy++) {
    for (let cx = 0; cx < cols; cx++) {
      const dx = 2 * cx + 1 - cols;
      const dy = 2 * cy + 1 - cols;
      if (dx * dx + dy * dy <= cols * cols) cells.push(cy * cols + cx);
    }
  }
  return cells;
}

/** Squared map distance between two sectors of a layout. */
export function distanceSquared(layout: RegionLayout, a: number, b: number): number {
  const dx = (layout.x[a] as number) - (layout.x[b] as number);
  const dy = (layout.y[a] as number) - (layout.y[b] as number);
  return dx * dx + dy * dy;
}

/** Up to k sectors within reachCells grid cells of sector i, nearest first (ties by index). */
export function nearestSectors(layout: RegionLayout, i: number, k: number, reachCells: number): number[] {
  const found: number[] = [];
  forEachSectorNear(layout, i, reachCells, (j) => {
    if (j !== i) found.push(j);
  });
  found.sort((a, b) => distanceSquared(layout, i, a) - distanceSquared(layout, i, b) || a - b);
  return found.length > k ? found.slice(0, k) : found;
}

/** Visits every sector whose cell lies within reachCells of sector i's cell (i included). */
export function forEachSectorNear(layout: RegionLayout, i: number, reachCells: number, visit: (j: number) => void): void {
  const cx = layout.cellX[i] as number;
  const cy = layout.cellY[i] as number;
  const { cols, occupant } = layout;
  for (let y = Math.max(0, cy - reachCells); y <= Math.min(cols - 1, cy + reachCells); y++) {
    for (let x = Math.max(0, cx - reachCells); x <= Math.min(cols - 1, cx + reachCells); x++) {
      const j = occupant[y * cols + x] as number;
      if (j >= 0) visit(j);
    }
  }
}
