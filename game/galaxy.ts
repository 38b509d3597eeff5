import { DEFAULT_GALAXY, FEDSPACE_SECTORS, MAP_LAYOUT, NEAR_START, REGION_NAMES, STARTER_PAIR, ZONE_HOPS } from './catalog/galaxy.js';
import type { Commodity } from './catalog/goods.js';
import type { PlanetType } from './catalog/planets.js';
import type { TradeMode } from './catalog/ports.js';
import { checkConnectivity, hopDistances } from './connectivity.js';
import { placePlanets, placePorts, placeStarterPair } from './galaxy-contents.js';
import { regionCols, scatterRegion, type RegionLayout } from './galaxy-layout.js';
import { connectRegion, drawRegionWarps, regionAdjacency, type RegionWarps } from './galaxy-warps.js';
import { createRandom } from './random.js';

export interface GalaxyParams {
  seed: string;
  /** default world: 500 */
  terranSectors: number;
  /** default world: 1000; 0 = no Central Nexus */
  nexusSectors: number;
  portDensity?: number;
  planetDensity?: number;
  oneWayShare?: number;
}

/** The generated galaxy's two regions are `terran` and `nexus`; an admin's new region names its own. */
export type RegionSlug = string;
export type Zone = 'federation' | 'border' | 'frontier';

export interface RegionDef {
  id: number;
  slug: RegionSlug;
  name: string;
  capitalSectorId: number;
  firstSectorId: number;
  lastSectorId: number;
}

export interface SectorDef {
  id: number;
  regionId: number;
  name: string | null;
  x: number;
  y: number;
  zone: Zone;
  fedspace: boolean;
}

/** A directed edge; a two-way warp is two WarpDefs. */
export interface WarpDef {
  from: number;
  to: number;
  gate: boolean;
}

export interface PortGoodDef {
  /** the port's side: 'sell' = players buy here */
  mode: TradeMode;
  capacity: number;
  stock: number;
  fixedPrice: boolean;
}

export interface PortDef {
  sectorId: number;
  name: string;
  portClass: number;
  goods: Partial<Record<Commodity, PortGoodDef>>;
}

export interface PlanetDef {
  sectorId: number;
  name: string;
  planetType: PlanetType;
  claimable: boolean;
}

export interface Galaxy {
  params: Required<GalaxyParams>;
  regions: RegionDef[];
  sectors: SectorDef[];
  /** sorted by from, then to */
  warps: WarpDef[];
  ports: PortDef[];
  planets: PlanetDef[];
}

/**
 * Same params → the same galaxy, byte for byte (see serializeGalaxy). Each region and each kind
 * of content draws from its own seeded stream, so adding the Nexus or changing port density
 * does not reshuffle Terran Space's map.
 */
export function generateGalaxy(input: GalaxyParams): Galaxy {
  const params = resolveParams(input);
  const { seed, terranSectors, nexusSectors } = params;
  const terranCols = regionCols(terranSectors);
  const nexusCols = nexusSectors > 0 ? regionCols(nexusSectors) : 0;
  const specs = [
    { id: 1, slug: 'terran' as const, first: 1, count: terranSectors, origin: { x: 0, y: 0 } },
    ...(nexusSectors > 0
      ? [
          {
            id: 2,
            slug: 'nexus' as const,
            first: terranSectors + 1,
            count: nexusSectors,
            // East of Terran Space, centred on it.
            origin: {
              x: (terranCols + MAP_LAYOUT.regionGapCells) * MAP_LAYOUT.cellSize,
              y: Math.floor((terranCols - nexusCols) / 2) * MAP_LAYOUT.cellSize,
            },
          },
        ]
      : []),
  ];

  const total = terranSectors + nexusSectors;
  const exits: number[][] = Array.from({ length: total + 1 }, () => []);
  const sectors: SectorDef[] = [];
  const regions: RegionDef[] = [];
  let gate: { terran: number; nexus: number } | null = null;
  /** Terran sectors' hops from sector 1 (index = sector id), for the denser ports near the start */
  const startHops = new Int32Array(total + 1).fill(-1);

  for (const spec of specs) {
    const isTerran = spec.slug === 'terran';
    const layout = scatterRegion(createRandom(`${seed}/${spec.slug}/layout`), spec.count, spec.origin, isTerran ? FEDSPACE_SECTORS - 1 : 0);
    const warps = drawRegionWarps(createRandom(`${seed}/${spec.slug}/warps`), layout, {
      oneWayShare: params.oneWayShare,
      // The Nexus capital keeps an exit free for the gate.
      keepSlotFree: isTerran ? undefined : 0,
    });
    connectRegion(layout, warps);
    const hops = hopDistances(regionAdjacency(warps.exits), 0);

    for (let i = 0; i < spec.count; i++) {
      const id = spec.first + i;
      exits[id] = (warps.exits[i] as number[]).map((j) => spec.first + j);
      const fedspace = isTerran && id <= FEDSPACE_SECTORS;
      if (isTerran) startHops[id] = hops[i] as number;
      sectors.push({
        id,
        regionId: spec.id,
        name: i === 0 ? REGION_NAMES[spec.slug].capital : null,
        x: layout.x[i] as number,
        y: layout.y[i] as number,
        zone: zoneFor(fedspace, hops[i] as number),
        fedspace,
      });
    }
    regions.push({
      id: spec.id,
      slug: spec.slug,
      name: REGION_NAMES[spec.slug].region,
      capitalSectorId: spec.first,
      firstSectorId: spec.first,
      lastSectorId: spec.first + spec.count - 1,
    });

    if (isTerran && nexusSectors > 0) gate = { terran: spec.first + gateSector(layout, warps), nexus: terranSectors + 1 };
  }
  if (gate) {
    (exits[gate.terran] as number[]).push(gate.nexus);
    (exits[gate.nexus] as number[]).push(gate.terran);
  }

  const warps: WarpDef[] = [];
  for (let from = 1; from <= total; from++) {
    for (const to of (exits[from] as number[]).sort((a, b) => a - b)) {
      const isGate = gate !== null && ((from === gate.terran && to === gate.nexus) || (from === gate.nexus && to === gate.terran));
      warps.push({ from, to, gate: isGate });
    }
  }

  const stardockSectorId = createRandom(`${seed}/stardock`).int(2, FEDSPACE_SECTORS);
  const galaxy: Galaxy = {
    params,
    regions,
    sectors,
    warps,
    ports: placeStarterPair(
      createRandom(`${seed}/starter`),
      placePorts(createRandom(`${seed}/ports`), sectors, stardockSectorId, (sector) =>
        startHops[sector.id]! >= 0 && startHops[sector.id]! <= NEAR_START.hops ? Math.max(params.portDensity, NEAR_START.portDensity) : params.portDensity,
      ),
      starterCandidates(exits, startHops, stardockSectorId),
    ),
    planets: placePlanets(createRandom(`${seed}/planets`), sectors, params.planetDensity),
  };

  const report = checkConnectivity(total, warps);
  if (!report.connected) {
    throw new Error(`galaxy ${seed} is not strongly connected: ${report.unreachableFromRoot.length} unreachable, ${report.cannotReachRoot.length} stranded`);
  }
  return galaxy;
}

/** Two-way neighbours in Terran Space outside FedSpace, both within STARTER_PAIR.maxHops of sector 1. */
function starterCandidates(exits: readonly number[][], startHops: Int32Array, stardockSectorId: number): Array<[number, number]> {
  const fits = (id: number) => id > FEDSPACE_SECTORS && id !== stardockSectorId && startHops[id]! > 0 && startHops[id]! <= STARTER_PAIR.maxHops;
  const pairs: Array<[number, number]> = [];
  for (let a = 1; a < exits.length; a++) {
    if (!fits(a)) continue;
    for (const b of exits[a]!) if (b > a && fits(b) && exits[b]!.includes(a)) pairs.push([a, b]);
  }
  return pairs;
}

function resolveParams(input: GalaxyParams): Required<GalaxyParams> {
  const params = {
    seed: input.seed,
    terranSectors: input.terranSectors,
    nexusSectors: input.nexusSectors,
    portDensity: input.portDensity ?? DEFAULT_GALAXY.portDensity,
    planetDensity: input.planetDensity ?? DEFAULT_GALAXY.planetDensity,
    oneWayShare: input.oneWayShare ?? DEFAULT_GALAXY.oneWayShare,
  };
  if (!Number.isInteger(params.terranSectors) || params.terranSectors < FEDSPACE_SECTORS) {
    throw new RangeError(`terranSectors must be a whole number >= ${FEDSPACE_SECTORS} (FedSpace), got ${params.terranSectors}`);
  }
  if (!Number.isInteger(params.nexusSectors) || params.nexusSectors < 0) {
    throw new RangeError(`nexusSectors must be a whole number >= 0, got ${params.nexusSectors}`);
  }
  for (const key of ['portDensity', 'planetDensity', 'oneWayShare'] as const) {
    if (!(params[key] >= 0 && params[key] <= 1)) throw new RangeError(`${key} must be within [0, 1], got ${params[key]}`);
  }
  return params;
}

/**
 * The gate leaves from the region's sector furthest toward its neighbour (the easternmost Terran
 * sector faces the Nexus; a new region's westernmost faces the galaxy), preferring sectors past
 * the first `keep` local indices (FedSpace) with a free exit slot.
 */
function gateSector(layout: RegionLayout, warps: RegionWarps, facing: 'east' | 'west' = 'east', keep = FEDSPACE_SECTORS): number {
  const free = (i: number): boolean => (warps.exits[i] as number[]).length < (warps.cap[i] as number) && warps.cap[i] !== 1;
  const preferences = [(i: number) => i >= keep && free(i), free, () => true];
  const further = (i: number, best: number) =>
    facing === 'east' ? (layout.x[i] as number) > (layout.x[best] as number) : (layout.x[i] as number) < (layout.x[best] as number);
  for (const acceptable of preferences) {
    let best = -1;
    for (let i = 0; i < layout.count; i++) {
      if (acceptable(i) && (best < 0 || further(i, best))) best = i;
    }
    if (best >= 0) return best;
  }
  throw new Error('a region without sectors has no gate');
}

function zoneFor(fedspace: boolean, hopsFromCapital: number): Zone {
  if (fedspace || hopsFromCapital <= ZONE_HOPS.federation) return 'federation';
  return hopsFromCapital <= ZONE_HOPS.border ? 'border' : 'frontier';
}

/** Stable JSON: object keys sorted, so equal galaxies serialize to identical bytes. */
export function serializeGalaxy(galaxy: Galaxy): string {
  return JSON.stringify(galaxy, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
    return sorted;
  });
}

// ---- a new region, added to a galaxy that is being played ----------------------------------

export interface RegionParams {
  seed: string;
  name: string;
  slug: RegionSlug;
  sectors: number;
  portDensity?: number;
  planetDensity?: number;
  oneWayShare?: number;
}

/** What the galaxy holds already, as the world layer reads it: where the new region may go. */
export interface RegionAnchor {
  /** the new region's id and first sector id: after the galaxy's */
  regionId: number;
  firstSectorId: number;
  /** the map's extent so far: the new region lies east of it, centred on it */
  bounds: { maxX: number; minY: number; maxY: number };
  /** the existing sector the gate joins (in the Central Nexus, or Terran Space without one) */
  gateSectorId: number;
}

export interface GeneratedRegion {
  params: Required<RegionParams>;
  region: RegionDef;
  sectors: SectorDef[];
  /** the region's own warps, and the two-way gate (both directions, gate = true); sorted by from, then to */
  warps: WarpDef[];
  /** the region's end of the gate, and the galaxy's */
  gate: { inside: number; outside: number };
  ports: PortDef[];
  planets: PlanetDef[];
}

/**
 * A region shaped like the Central Nexus (no FedSpace, no Earth Station or Stardock), numbered
 * after the galaxy's sectors and laid out east of them, its own warps strongly connected and
 * one two-way gate from its westernmost sector to the anchor's. Same params and anchor → the
 * same region; the region's streams are keyed on its slug, so two regions of one seed differ.
 */
export function generateRegion(input: RegionParams, anchor: RegionAnchor): GeneratedRegion {
  const params = {
    seed: input.seed,
    name: input.name,
    slug: input.slug,
    sectors: input.sectors,
    portDensity: input.portDensity ?? DEFAULT_GALAXY.portDensity,
    planetDensity: input.planetDensity ?? DEFAULT_GALAXY.planetDensity,
    oneWayShare: input.oneWayShare ?? DEFAULT_GALAXY.oneWayShare,
  };
  if (!Number.isInteger(params.sectors) || params.sectors < 2) throw new RangeError(`sectors must be a whole number >= 2, got ${params.sectors}`);
  for (const key of ['portDensity', 'planetDensity', 'oneWayShare'] as const) {
    if (!(params[key] >= 0 && params[key] <= 1)) throw new RangeError(`${key} must be within [0, 1], got ${params[key]}`);
  }
  const { seed, slug, sectors: count } = params;
  const { cellSize, regionGapCells } = MAP_LAYOUT;
  const cols = regionCols(count);
  const origin = {
    x: (Math.floor(anchor.bounds.maxX / cellSize) + 1 + regionGapCells) * cellSize,
    y: Math.floor((anchor.bounds.minY + anchor.bounds.maxY) / 2 / cellSize - cols / 2) * cellSize,
  };
  const layout = scatterRegion(createRandom(`${seed}/${slug}/layout`), count, origin, 0);
  const local = drawRegionWarps(createRandom(`${seed}/${slug}/warps`), layout, { oneWayShare: params.oneWayShare });
  connectRegion(layout, local);
  const proof = checkConnectivity(
    count,
    local.exits.flatMap((targets, i) => targets.map((j) => ({ from: i + 1, to: j + 1, gate: false }))),
  );
  if (!proof.connected) throw new Error(`region ${slug} of ${seed} is not strongly connected`);
  const hops = hopDistances(regionAdjacency(local.exits), 0);

  const first = anchor.firstSectorId;
  const sectors: SectorDef[] = Array.from({ length: count }, (_, i) => ({
    id: first + i,
    regionId: anchor.regionId,
    name: i === 0 ? `${params.name} Prime` : null,
    x: layout.x[i] as number,
    y: layout.y[i] as number,
    zone: zoneFor(false, hops[i] as number),
    fedspace: false,
  }));
  const gate = { inside: first + gateSector(layout, local, 'west', 0), outside: anchor.gateSectorId };
  const warps: WarpDef[] = [];
  local.exits.forEach((targets, i) => {
    for (const j of [...targets].sort((a, b) => a - b)) warps.push({ from: first + i, to: first + j, gate: false });
  });
  warps.push({ from: gate.inside, to: gate.outside, gate: true }, { from: gate.outside, to: gate.inside, gate: true });
  warps.sort((a, b) => a.from - b.from || a.to - b.to);

  return {
    params,
    region: { id: anchor.regionId, slug, name: params.name, capitalSectorId: first, firstSectorId: first, lastSectorId: first + count - 1 },
    sectors,
    warps,
    gate,
    // No Stardock out here (-1 is no sector), and Earth Station is sector 1's alone.
    ports: placePorts(createRandom(`${seed}/${slug}/ports`), sectors, -1, params.portDensity),
    planets: placePlanets(createRandom(`${seed}/${slug}/planets`), sectors, params.planetDensity),
  };
}
