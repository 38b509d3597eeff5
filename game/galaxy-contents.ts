import { GOODS, type Commodity } from './catalog/goods.js';
import { EARTH_STATION_NAME, NAME_ROOTS, PLANET_NAME_SUFFIXES, PORT_NAME_SUFFIXES, STARDOCK_NAME } from './catalog/names.js';
import { STARTER_PAIR } from './catalog/galaxy.js';
import { NEW_EARTH, PLANET_TYPE_WEIGHTS } from './catalog/planets.js';
import {
  CAPACITY_RANGE,
  EARTH_STATION_CLASS,
  EARTH_STATION_STOCK,
  INITIAL_STOCK_SHARE,
  PORT_CLASS_WEIGHTS,
  STARDOCK_CLASS,
  portClassDef,
} from './catalog/ports.js';
import type { PlanetDef, PortDef, PortGoodDef, SectorDef } from './galaxy.js';
import type { Random } from './random.js';

/** Earth Station in sector 1, the Stardock in its FedSpace sector, trading ports elsewhere at each sector's port density. */
export function placePorts(
  rng: Random,
  sectors: readonly SectorDef[],
  stardockSectorId: number,
  portDensity: number | ((sector: SectorDef) => number),
): PortDef[] {
  const densityOf = typeof portDensity === 'number' ? () => portDensity : portDensity;
  const ports: PortDef[] = [];
  for (const sector of sectors) {
    if (sector.id === 1) ports.push(earthStation());
    else if (sector.id === stardockSectorId) ports.push({ sectorId: sector.id, name: STARDOCK_NAME, portClass: STARDOCK_CLASS, goods: {} });
    else if (rng.chance(densityOf(sector))) ports.push(tradingPort(rng, sector.id));
  }
  return ports;
}

function earthStation(): PortDef {
  const goods: PortDef['goods'] = {};
  for (const [commodity, mode] of Object.entries(portClassDef(EARTH_STATION_CLASS).trades)) {
    goods[commodity as Commodity] = { mode, capacity: EARTH_STATION_STOCK, stock: EARTH_STATION_STOCK, fixedPrice: true };
  }
  return { sectorId: 1, name: EARTH_STATION_NAME, portClass: EARTH_STATION_CLASS, goods };
}

/**
 * Two complementary ports in neighbouring sectors near sector 1 (STARTER_PAIR), replacing what
 * was drawn there. `near` lists the candidate pairs (two-way neighbours within reach, outside
 * FedSpace); with none (tiny galaxies) the ports are left as they are.
 */
export function placeStarterPair(rng: Random, ports: PortDef[], near: ReadonlyArray<readonly [number, number]>): PortDef[] {
  if (near.length === 0) return ports;
  const [a, b] = rng.pick(near);
  const [classA, classB] = rng.pick(STARTER_PAIR.classes);
  const kept = ports.filter((p) => p.sectorId !== a && p.sectorId !== b);
  return [...kept, tradingPort(rng, a, classA, STARTER_PAIR.stockShare), tradingPort(rng, b, classB, STARTER_PAIR.stockShare)].sort(
    (x, y) => x.sectorId - y.sectorId,
  );
}

function tradingPort(
  rng: Random,
  sectorId: number,
  forcedClass?: number,
  stockShare: Readonly<Record<'buy' | 'sell', readonly [number, number]>> = INITIAL_STOCK_SHARE,
): PortDef {
  const portClass = forcedClass ?? rng.pickWeighted(PORT_CLASS_WEIGHTS);
  const trades = portClassDef(portClass).trades;
  const goods: PortDef['goods'] = {};
  for (const good of GOODS) {
    const mode = trades[good];
    if (!mode) continue;
    const [minCapacity, maxCapacity] = CAPACITY_RANGE[good];
    const capacity = rng.int(minCapacity, maxCapacity);
    const [minShare, maxShare] = stockShare[mode];
    const stock = Math.round(capacity * (minShare + rng.next() * (maxShare - minShare)));
    const def: PortGoodDef = { mode, capacity, stock, fixedPrice: false };
    goods[good] = def;
  }
  return { sectorId, name: `${rng.pick(NAME_ROOTS)} ${rng.pick(PORT_NAME_SUFFIXES)}`, portClass, goods };
}

/** New Earth in sector 1; generated planets stay out of FedSpace, at most one a sector. */
export function placePlanets(rng: Random, sectors: readonly SectorDef[], planetDensity: number): PlanetDef[] {
  const planets: PlanetDef[] = [];
  for (const sector of sectors) {
    if (sector.id === 1) {
      planets.push({ sectorId: 1, name: NEW_EARTH.name, planetType: NEW_EARTH.planetType, claimable: false });
    } else if (!sector.fedspace && rng.chance(planetDensity)) {
      planets.push({
        sectorId: sector.id,
        name: `${rng.pick(NAME_ROOTS)} ${rng.pick(PLANET_NAME_SUFFIXES)}`,
        planetType: rng.pickWeighted(PLANET_TYPE_WEIGHTS),
        claimable: true,
      });
    }
  }
  return planets;
}
