import { DEFAULT_GALAXY, FEDSPACE_SECTORS, MAP_LAYOUT, REGION_NAMES, ZONE_HOPS } from './catalog/galaxy.js';
import type { Commodity } from './catalog/goods.js';
import type { PlanetType } from './catalog/planets.js';
import type { TradeMode } from './catalog/ports.js';
import { checkConnectivity, hopDistances } from './connectivity.js';
import { placePlanets, placePorts } from './galaxy-contents.js';
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

export type RegionSlug = 'terran' | 'nexus';
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
    ports: placePorts(createRandom(`${seed}/ports`), sectors, stardockSectorId, params.portDensity),
    planets: placePlanets(createRandom(`${seed}/planets`), sectors, params.planetDensity),
  };

  const report = checkConnectivity(total, warps);
  if (!report.connected) {
    throw new Error(`galaxy ${seed} is not strongly connected: ${report.unreachableFromRoot.length} unreachable, ${report.cannotReachRoot.length} stranded`);
  }
  return galaxy;
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
 * The gate leaves from the easternmost Terran sector (facing the Nexus), preferring sectors
 * outside FedSpace with a free exit slot.
 */
function gateSector(layout: RegionLayout, warps: RegionWarps): number {
  const free = (i: number): boolean => (warps.exits[i] as number[]).length < (warps.cap[i] as number) && warps.cap[i] !== 1;
  const preferences = [(i: number) => i >= FEDSPACE_SECTORS && free(i), free, () => true];
  for (const acceptable of preferences) {
    let best = -1;
    for (let i = 0; i < layout.count; i++) {
      if (acceptable(i) && (best < 0 || (layout.x[i] as number) > (layout.x[best] as number))) best = i;
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
