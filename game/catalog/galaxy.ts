/** Shape of a generated galaxy (GAME.md "Universe"). */
export const DEFAULT_GALAXY = {
  terranSectors: 500,
  nexusSectors: 1000,
  portDensity: 0.15,
  planetDensity: 0.08,
  oneWayShare: 0.05,
} as const;

/**
 * Around Terra ports are denser than the galaxy's average (GAME.md "Trading": a new pilot finds a
 * profitable pair within 10 hops of sector 1 on every seed). At the average 15% a newcomer flying
 * outward met a port every seven sectors and a matching pair after ~46 hops; within `hops` of
 * sector 1 (FedSpace excepted) sectors hold a port at `portDensity`, which puts 10–27 trading
 * ports within four hops (2–16 before), several of them a warp or two apart.
 */
export const NEAR_START = {
  hops: 4,
  portDensity: 0.45,
} as const;

/**
 * And one pair of ports that complement each other (what one sells the other buys, every good)
 * sits in two neighbouring sectors at most `maxHops` from sector 1, so every seed has a two-way
 * trade a newcomer can work from the first hour (the rest is left to chance and density).
 */
export const STARTER_PAIR = {
  maxHops: 3,
  /** stocks drawn from the profitable end of INITIAL_STOCK_SHARE (catalog/ports.ts): the pair pays from day one */
  stockShare: { sell: [0.76, 0.86], buy: [0.29, 0.4] },
  /** complementary class pairs: BBS–SSB, BSB–SBS, SBB–BSS */
  classes: [
    [1, 4],
    [2, 5],
    [3, 6],
  ] as const satisfies readonly (readonly [number, number])[],
} as const;

export const REGION_NAMES = {
  terran: { region: 'Terran Space', capital: 'Terra' },
  nexus: { region: 'Central Nexus', capital: 'Nexus Prime' },
} as const;

/** Sectors 1..10 of Terran Space: no combat, no deployed defenses. */
export const FEDSPACE_SECTORS = 10;

/** Zone by hops from the region's capital: ≤ federation, ≤ border, else frontier. FedSpace is always federation. */
export const ZONE_HOPS = {
  federation: 1,
  border: 10,
} as const;

export const WARP_SHAPE = {
  maxExits: 6,
  /** exits a sector aims for while warps are drawn (more can arrive from neighbours) */
  exitWeights: [
    [2, 25],
    [3, 35],
    [4, 25],
    [5, 10],
    [6, 5],
  ] as const satisfies readonly (readonly [number, number])[],
  /** sectors with a single two-way exit */
  deadEndShare: 0.02,
  /** sectors that also get a longer two-way warp, which keeps big maps from being too deep */
  shortcutShare: 0.04,
  /** how far (in map cells) a shortcut may reach */
  shortcutReachCells: 8,
  /** nearest sectors considered for ordinary warps */
  neighbourCandidates: 10,
} as const;

/** Map coordinates: one sector per cell at most, jittered inside it. */
export const MAP_LAYOUT = {
  cellSize: 100,
  /** share of cells in a region's disc that hold a sector */
  fill: 0.75,
  /** empty cells between two regions */
  regionGapCells: 6,
} as const;
