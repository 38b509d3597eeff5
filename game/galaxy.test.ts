import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEAR_START, STARTER_PAIR } from './catalog/galaxy.js';
import { checkConnectivity, hopDistances } from './connectivity.js';
import { buildWarpGraph } from './pathfinding.js';
import { generateGalaxy, generateRegion, serializeGalaxy, type Galaxy } from './galaxy.js';

function exitCounts(galaxy: Galaxy): Map<number, number> {
  const counts = new Map<number, number>();
  for (const warp of galaxy.warps) counts.set(warp.from, (counts.get(warp.from) ?? 0) + 1);
  return counts;
}

function oneWayShare(galaxy: Galaxy): number {
  const edges = new Set(galaxy.warps.map((w) => `${w.from}>${w.to}`));
  return galaxy.warps.filter((w) => !edges.has(`${w.to}>${w.from}`)).length / galaxy.warps.length;
}

describe('the default world', () => {
  const galaxy = generateGalaxy({ seed: 'sectorwars', terranSectors: 500, nexusSectors: 1000 });

  it('numbers Terran Space 1..500 and the Central Nexus 501..1500', () => {
    expect(galaxy.sectors.map((s) => s.id)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    expect(galaxy.regions).toEqual([
      { id: 1, slug: 'terran', name: 'Terran Space', capitalSectorId: 1, firstSectorId: 1, lastSectorId: 500 },
      { id: 2, slug: 'nexus', name: 'Central Nexus', capitalSectorId: 501, firstSectorId: 501, lastSectorId: 1500 },
    ]);
    expect(galaxy.sectors.filter((s) => s.regionId === 2)).toHaveLength(1000);
    expect(galaxy.sectors[0]).toMatchObject({ id: 1, name: 'Terra', zone: 'federation', fedspace: true });
    expect(galaxy.sectors[500]).toMatchObject({ id: 501, name: 'Nexus Prime', zone: 'federation', fedspace: false });
  });

  it('makes sectors 1–10 FedSpace and nothing else', () => {
    expect(galaxy.sectors.filter((s) => s.fedspace).map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const zones = new Set(galaxy.sectors.map((s) => s.zone));
    expect([...zones].sort()).toEqual(['border', 'federation', 'frontier']);
  });

  it('puts Earth Station and New Earth in sector 1 and one Stardock in FedSpace', () => {
    const earth = galaxy.ports.find((p) => p.sectorId === 1);
    expect(earth).toMatchObject({ name: 'Earth Station', portClass: 0 });
    expect(earth?.goods.colonists).toEqual({ mode: 'sell', capacity: 1_000_000, stock: 1_000_000, fixedPrice: true });
    expect(Object.keys(earth?.goods ?? {})).toEqual(['ore', 'organics', 'equipment', 'colonists']);
    expect(galaxy.ports.filter((p) => p.portClass === 0)).toHaveLength(1);
    const stardocks = galaxy.ports.filter((p) => p.portClass === 9);
    expect(stardocks).toHaveLength(1);
    expect(stardocks[0]?.sectorId).toBeGreaterThanOrEqual(2);
    expect(stardocks[0]?.sectorId).toBeLessThanOrEqual(10);
    expect(stardocks[0]?.goods).toEqual({});
    expect(galaxy.planets[0]).toEqual({ sectorId: 1, name: 'New Earth', planetType: 'earthlike', claimable: false });
    expect(galaxy.planets.filter((p) => p.sectorId <= 10)).toHaveLength(1);
  });

  it("places ports more densely near Terra (NEAR_START) than the galaxy's average", () => {
    const fromTerra = hopDistances(buildWarpGraph(galaxy.warps), 1);
    const near = galaxy.sectors.filter((s) => !s.fedspace && fromTerra[s.id]! <= NEAR_START.hops);
    const ported = new Set(galaxy.ports.map((p) => p.sectorId));
    const share = near.filter((s) => ported.has(s.id)).length / near.length;
    expect(near.length).toBeGreaterThan(20);
    expect(share).toBeGreaterThan(NEAR_START.portDensity - 0.15);
    expect(share).toBeLessThan(NEAR_START.portDensity + 0.15);
  });

  it('puts a complementary starter pair in two neighbouring sectors near Terra, on every seed', () => {
    for (const seed of ['sectorwars', 'alpha', 'beta', 'gamma']) {
      const g = generateGalaxy({ seed, terranSectors: 500, nexusSectors: 1000 });
      const fromTerra = hopDistances(buildWarpGraph(g.warps), 1);
      const bySector = new Map(g.ports.map((p) => [p.sectorId, p]));
      const twoWay = new Set(g.warps.map((w) => `${w.from}>${w.to}`));
      const found = g.warps.some((w) => {
        const [a, b] = [bySector.get(w.from), bySector.get(w.to)];
        if (!a || !b || !twoWay.has(`${w.to}>${w.from}`) || fromTerra[w.from]! > STARTER_PAIR.maxHops || fromTerra[w.to]! > STARTER_PAIR.maxHops) return false;
        return STARTER_PAIR.classes.some(([x, y]) => (a.portClass === x && b.portClass === y) || (a.portClass === y && b.portClass === x));
      });
      expect(found, seed).toBe(true);
    }
  });

  it('places ports and planets near their densities, trading ports with classes 1–8', () => {
    expect(galaxy.ports.length / 1500).toBeGreaterThan(0.12);
    expect(galaxy.ports.length / 1500).toBeLessThan(0.18);
    expect(galaxy.planets.length / 1500).toBeGreaterThan(0.06);
    expect(galaxy.planets.length / 1500).toBeLessThan(0.1);
    const trading = galaxy.ports.filter((p) => p.portClass !== 0 && p.portClass !== 9);
    expect(new Set(trading.map((p) => p.portClass))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    for (const port of trading) {
      for (const good of Object.values(port.goods)) {
        expect(good.stock).toBeGreaterThanOrEqual(0);
        expect(good.stock).toBeLessThanOrEqual(good.capacity);
        expect(good.fixedPrice).toBe(false);
      }
    }
  });

  it('joins the regions by one two-way gate into the Nexus capital', () => {
    const gates = galaxy.warps.filter((w) => w.gate);
    expect(gates).toHaveLength(2);
    const terranEnd = gates.find((w) => w.to === 501)?.from;
    expect(terranEnd).toBeLessThanOrEqual(500);
    expect(gates.find((w) => w.from === 501)?.to).toBe(terranEnd);
    const crossing = galaxy.warps.filter((w) => w.from <= 500 !== w.to <= 500);
    expect(crossing).toEqual(gates);
  });

  it('gives every sector 1–6 exits, about 5% one-way, no loops or duplicates, sorted', () => {
    const counts = exitCounts(galaxy);
    for (const sector of galaxy.sectors) {
      expect(counts.get(sector.id)).toBeGreaterThanOrEqual(1);
      expect(counts.get(sector.id)).toBeLessThanOrEqual(6);
    }
    expect(oneWayShare(galaxy)).toBeGreaterThan(0.03);
    expect(oneWayShare(galaxy)).toBeLessThan(0.08);
    expect(galaxy.warps.every((w) => w.from !== w.to)).toBe(true);
    const keys = galaxy.warps.map((w) => w.from * 10_000 + w.to);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('is strongly connected through sector 1', () => {
    expect(checkConnectivity(1500, galaxy.warps).connected).toBe(true);
  });

  it('lays the Nexus out east of Terran Space on integer coordinates', () => {
    const terranMaxX = Math.max(...galaxy.sectors.filter((s) => s.regionId === 1).map((s) => s.x));
    const nexusMinX = Math.min(...galaxy.sectors.filter((s) => s.regionId === 2).map((s) => s.x));
    expect(nexusMinX).toBeGreaterThan(terranMaxX);
    expect(galaxy.sectors.every((s) => Number.isInteger(s.x) && Number.isInteger(s.y))).toBe(true);
  });
});

describe('determinism', () => {
  const params = { seed: 'replay', terranSectors: 200, nexusSectors: 150 };

  it('serializes the same params to identical bytes, whatever the key order given', () => {
    const first = serializeGalaxy(generateGalaxy(params));
    const second = serializeGalaxy(generateGalaxy({ nexusSectors: 150, terranSectors: 200, seed: 'replay', oneWayShare: 0.05 }));
    expect(second).toBe(first);
    expect(serializeGalaxy(generateGalaxy({ ...params, seed: 'other' }))).not.toBe(first);
  });

  it('sorts object keys in the serialized form', () => {
    expect(serializeGalaxy(generateGalaxy(params)).startsWith('{"params":{"nexusSectors":150,"oneWayShare":0.05,')).toBe(true);
  });

  it('leaves Terran Space untouched when only the Nexus size changes', () => {
    const small = generateGalaxy({ ...params, nexusSectors: 0 });
    const large = generateGalaxy(params);
    const terranWarps = (g: Galaxy) => g.warps.filter((w) => w.from <= 200 && w.to <= 200);
    expect(large.sectors.slice(0, 200)).toEqual(small.sectors);
    expect(terranWarps(large)).toEqual(terranWarps(small));
    expect(large.ports.filter((p) => p.sectorId <= 200)).toEqual(small.ports);
  });

  it('builds a Terran-only galaxy when nexusSectors is 0', () => {
    const galaxy = generateGalaxy({ ...params, nexusSectors: 0 });
    expect(galaxy.regions.map((r) => r.slug)).toEqual(['terran']);
    expect(galaxy.warps.some((w) => w.gate)).toBe(false);
  });
});

describe('connectivity over many seeds', () => {
  it('every small galaxy, with or without a Nexus, is strongly connected with 1–6 exits a sector', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.integer({ min: 20, max: 400 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (seed, terranSectors, nexusSectors, oneWay) => {
          const galaxy = generateGalaxy({ seed, terranSectors, nexusSectors, oneWayShare: oneWay });
          expect(checkConnectivity(terranSectors + nexusSectors, galaxy.warps)).toEqual({
            connected: true,
            unreachableFromRoot: [],
            cannotReachRoot: [],
          });
          const counts = exitCounts(galaxy);
          for (const sector of galaxy.sectors) {
            const exits = counts.get(sector.id) ?? 0;
            expect(exits >= 1 && exits <= 6).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the smallest legal galaxy (FedSpace only, one-sector Nexus) still works', () => {
    const galaxy = generateGalaxy({ seed: 'tiny', terranSectors: 10, nexusSectors: 1 });
    expect(galaxy.sectors).toHaveLength(11);
    expect(checkConnectivity(11, galaxy.warps).connected).toBe(true);
  });

  it('rejects a galaxy smaller than FedSpace and out-of-range shares', () => {
    expect(() => generateGalaxy({ seed: 'x', terranSectors: 9, nexusSectors: 0 })).toThrow(RangeError);
    expect(() => generateGalaxy({ seed: 'x', terranSectors: 20, nexusSectors: -1 })).toThrow(RangeError);
    expect(() => generateGalaxy({ seed: 'x', terranSectors: 20, nexusSectors: 0, portDensity: 1.5 })).toThrow(RangeError);
  });
});

describe('a 100,000-sector galaxy', () => {
  it('generates and is strongly connected', () => {
    const galaxy = generateGalaxy({ seed: 'huge', terranSectors: 100_000, nexusSectors: 1000 });
    expect(galaxy.sectors).toHaveLength(101_000);
    expect(checkConnectivity(101_000, galaxy.warps).connected).toBe(true);
  }, 60_000);
});

describe('a new region beside a galaxy', () => {
  const galaxy = generateGalaxy({ seed: 'sectorwars-tests', terranSectors: 200, nexusSectors: 60 });
  const anchor = {
    regionId: 3,
    firstSectorId: 261,
    bounds: {
      maxX: Math.max(...galaxy.sectors.map((s) => s.x)),
      minY: Math.min(...galaxy.sectors.map((s) => s.y)),
      maxY: Math.max(...galaxy.sectors.map((s) => s.y)),
    },
    gateSectorId: 201,
  };
  const region = generateRegion({ seed: 'rim', name: 'Outer Rim', slug: 'outer-rim', sectors: 80 }, anchor);

  it('numbers its sectors after the galaxy, lays them out east of it and names its capital', () => {
    expect(region.region).toEqual({ id: 3, slug: 'outer-rim', name: 'Outer Rim', capitalSectorId: 261, firstSectorId: 261, lastSectorId: 340 });
    expect(region.sectors.map((s) => s.id)).toEqual(Array.from({ length: 80 }, (_, i) => 261 + i));
    expect(Math.min(...region.sectors.map((s) => s.x))).toBeGreaterThan(anchor.bounds.maxX);
    expect(region.sectors[0]).toMatchObject({ name: 'Outer Rim Prime', regionId: 3, fedspace: false, zone: 'federation' });
    expect(region.ports.every((p) => p.portClass >= 1 && p.portClass <= 8 && p.sectorId >= 261)).toBe(true);
  });

  it('is strongly connected inside, and with the gate the whole galaxy is', () => {
    expect(region.warps.filter((w) => w.gate)).toEqual([
      { from: Math.min(region.gate.inside, 201), to: Math.max(region.gate.inside, 201), gate: true },
      { from: Math.max(region.gate.inside, 201), to: Math.min(region.gate.inside, 201), gate: true },
    ]);
    const inside = region.warps.filter((w) => !w.gate).map((w) => ({ ...w, from: w.from - 260, to: w.to - 260 }));
    expect(checkConnectivity(80, inside).connected).toBe(true);
    expect(checkConnectivity(340, [...galaxy.warps, ...region.warps]).connected).toBe(true);
  });

  it('is the same region for the same params and anchor, and another for another slug', () => {
    const again = generateRegion({ seed: 'rim', name: 'Outer Rim', slug: 'outer-rim', sectors: 80 }, anchor);
    expect(JSON.stringify(again)).toBe(JSON.stringify(region));
    const other = generateRegion({ seed: 'rim', name: 'Far Rim', slug: 'far-rim', sectors: 80 }, anchor);
    expect(other.sectors.map((s) => [s.x, s.y])).not.toEqual(region.sectors.map((s) => [s.x, s.y]));
  });
});
