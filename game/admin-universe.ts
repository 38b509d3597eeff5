import { HULLS } from './catalog/hulls.js';
import { NEW_PILOT } from './catalog/new-pilot.js';
import { PLANET_TYPES, type PlanetType } from './catalog/planets.js';
import { EARTH_STATION_CLASS, portClassDef, STARDOCK_CLASS, type TradeMode } from './catalog/ports.js';
import { type Decision, noChanges } from './changes.js';
import { checkConnectivity } from './connectivity.js';
import {
  type Galaxy,
  type GalaxyParams,
  type GeneratedRegion,
  generateGalaxy,
  generateRegion,
  type RegionAnchor,
  type RegionParams,
  type WarpDef,
} from './galaxy.js';
import { refuse } from './refusals.js';
import { routesNearStart } from './trade-routes.js';

/**
 * What admins do to the universe, decided like play: pure rules that take the map as it is and
 * the edit asked for, and answer a refusal or what to write. Time is an argument.
 */

// ---- generation: the preview an admin reads before committing -------------------------------

export interface GalaxyPreview {
  params: Required<GalaxyParams>;
  sectors: number;
  warps: number;
  regions: Array<{ id: number; slug: string; name: string; sectors: number }>;
  ports_by_class: Record<string, number>;
  planets: number;
  /** the connectivity proof: every sector reaches sector 1 and is reached from it */
  connectivity: { strongly_connected: boolean; unreachable_from_start: number; cannot_reach_start: number };
  /** the best trading pairs a new pilot in a light freighter finds within 10 hops of sector 1 */
  best_near_pairs: Array<{ from: number; to: number; hops_from_start: number; profit_per_turn: number }>;
}

/** The same params always preview (and commit) the same galaxy, so the preview is a promise. */
export function previewGalaxy(params: GalaxyParams): { galaxy: Galaxy; preview: GalaxyPreview } {
  const galaxy = generateGalaxy(params);
  return { galaxy, preview: { params: galaxy.params, ...previewOf(galaxy, galaxy.sectors.length, galaxy.warps, 1, 1) } };
}

export interface RegionPreview extends Omit<GalaxyPreview, 'params'> {
  params: Required<RegionParams>;
  /** the gate: the region's sector and the galaxy's it joins, both ways */
  gate: { inside: number; outside: number };
}

/**
 * A new region's preview, in the galaxy preview's shape: its sectors, ports by class, the proof
 * that its own warps are strongly connected (root: its capital) and the best pairs a new pilot
 * finds within 10 hops of where the gate comes in.
 */
export function previewRegion(params: RegionParams, anchor: RegionAnchor): { region: GeneratedRegion; preview: RegionPreview } {
  const region = generateRegion(params, anchor);
  const first = region.region.firstSectorId;
  // Sectors renumbered 1..n for the proof, so the root is the capital and the gate's far end is left out.
  const inside = region.warps.filter((w) => !w.gate).map((w) => ({ from: w.from - first + 1, to: w.to - first + 1, gate: false }));
  const core = previewOf(
    { regions: [region.region], ports: region.ports, planets: region.planets, warps: region.warps.filter((w) => !w.gate) },
    region.sectors.length,
    inside,
    1,
    region.gate.inside,
  );
  return { region, preview: { params: region.params, ...core, warps: region.warps.length, gate: region.gate } };
}

function previewOf(
  made: Pick<Galaxy, 'regions' | 'ports' | 'planets' | 'warps'>,
  sectorCount: number,
  proofWarps: readonly WarpDef[],
  root: number,
  start: number,
): Omit<GalaxyPreview, 'params'> {
  const byClass: Record<string, number> = {};
  for (const port of made.ports) byClass[String(port.portClass)] = (byClass[String(port.portClass)] ?? 0) + 1;
  const proof = checkConnectivity(sectorCount, proofWarps, root);
  const hull = HULLS[NEW_PILOT.hullId];
  const pairs = routesNearStart(made, { maxHops: 10, holds: hull.holds, credits: NEW_PILOT.credits, turnsPerWarp: hull.turnsPerWarp, limit: 5, start });
  return {
    sectors: sectorCount,
    warps: made.warps.length,
    regions: made.regions.map((r) => ({ id: r.id, slug: r.slug, name: r.name, sectors: r.lastSectorId - r.firstSectorId + 1 })),
    ports_by_class: byClass,
    planets: made.planets.length,
    connectivity: {
      strongly_connected: proof.connected,
      unreachable_from_start: proof.unreachableFromRoot.length,
      cannot_reach_start: proof.cannotReachRoot.length,
    },
    best_near_pairs: pairs.map((r) => ({ from: r.from, to: r.to, hops_from_start: r.hopsFromStart, profit_per_turn: Math.round(r.profitPerTurn * 10) / 10 })),
  };
}

/** Committing replaces the galaxy, which only an empty universe may do: pilots would lose their map. */
export function decideGalaxyReplace(pilots: number): Decision<{ replace: true }> {
  if (pilots > 0) return refuse('pilots_exist', `${pilots} pilots are in this universe; a galaxy is replaced only before anyone plays`, { pilots });
  return { changes: noChanges(), outcome: { replace: true } };
}

// ---- warps -------------------------------------------------------------------------------

export interface WarpMap {
  /** sectors are 1..sectorCount */
  sectorCount: number;
  /** every directed warp, gates included */
  warps: readonly WarpDef[];
  regionOf(sectorId: number): number | null;
}

export interface WarpEdit {
  sectorId: number;
  add: readonly number[];
  remove: readonly number[];
  /** add and remove the warp back as well */
  twoWay: boolean;
}

export interface WarpEditOutcome {
  before: number[];
  after: number[];
  added: WarpDef[];
  removed: Array<{ from: number; to: number }>;
}

const key = (from: number, to: number) => `${from}>${to}`;

/**
 * Add and remove warps out of a sector (and back, for a two-way edit). Refused when a sector
 * does not exist, a warp to add is there already or one to remove is not, or when the galaxy
 * would no longer be strongly connected (some sector could not reach sector 1 or be reached
 * from it): no pilot may be stranded by an edit.
 */
export function decideWarpEdit(map: WarpMap, edit: WarpEdit): Decision<WarpEditOutcome> {
  const { sectorId } = edit;
  const exists = (id: number) => Number.isInteger(id) && id >= 1 && id <= map.sectorCount && map.regionOf(id) !== null;
  if (!exists(sectorId)) return refuse('sector_not_found', `There is no sector ${sectorId}`);
  for (const id of [...edit.add, ...edit.remove]) if (!exists(id)) return refuse('sector_not_found', `There is no sector ${id}`);
  if (edit.add.length + edit.remove.length === 0) return refuse('invalid_warp_edit', 'Say which warps to add or remove');
  if ([...edit.add, ...edit.remove].includes(sectorId)) return refuse('invalid_warp_edit', 'A sector does not warp to itself');
  if (new Set([...edit.add, ...edit.remove]).size !== edit.add.length + edit.remove.length)
    return refuse('invalid_warp_edit', 'Each sector appears once, in add or in remove');
  const present = new Set(map.warps.map((w) => key(w.from, w.to)));
  const added: WarpDef[] = [];
  const removed: Array<{ from: number; to: number }> = [];
  const gate = (a: number, b: number) => map.regionOf(a) !== map.regionOf(b);
  for (const to of edit.add) {
    const pairs = edit.twoWay ? [[sectorId, to] as const, [to, sectorId] as const] : [[sectorId, to] as const];
    for (const [a, b] of pairs) {
      if (present.has(key(a, b))) {
        if (a === sectorId) return refuse('warp_exists', `Sector ${a} already warps to ${b}`, { from: a, to: b });
        continue; // the way back is there already: a two-way add only adds what is missing
      }
      added.push({ from: a, to: b, gate: gate(a, b) });
    }
  }
  for (const to of edit.remove) {
    const pairs = edit.twoWay ? [[sectorId, to] as const, [to, sectorId] as const] : [[sectorId, to] as const];
    for (const [a, b] of pairs) {
      if (!present.has(key(a, b))) {
        if (a === sectorId) return refuse('warp_not_found', `Sector ${a} does not warp to ${b}`, { from: a, to: b });
        continue;
      }
      removed.push({ from: a, to: b });
    }
  }
  const gone = new Set(removed.map((w) => key(w.from, w.to)));
  const next = [...map.warps.filter((w) => !gone.has(key(w.from, w.to))), ...added];
  const proof = checkConnectivity(map.sectorCount, next);
  if (!proof.connected) {
    const stranded = [...proof.cannotReachRoot, ...proof.unreachableFromRoot];
    return refuse('breaks_connectivity', `The edit would cut sectors off (${stranded.slice(0, 10).join(', ')}${stranded.length > 10 ? ', …' : ''})`, {
      cannot_reach_start: proof.cannotReachRoot.length,
      unreachable_from_start: proof.unreachableFromRoot.length,
    });
  }
  const outOf = (warps: readonly { from: number; to: number }[]) =>
    warps
      .filter((w) => w.from === sectorId)
      .map((w) => w.to)
      .sort((a, b) => a - b);
  return { changes: noChanges(), outcome: { before: outOf(map.warps), after: outOf(next), added, removed } };
}

// ---- ports -------------------------------------------------------------------------------

export interface PortScene {
  id: number;
  portClass: number;
  goods: Array<{ good: string; mode: TradeMode; stock: number; capacity: number; fixedPrice: boolean }>;
}

export interface PortEdit {
  portClass?: number | undefined;
  goods: ReadonlyArray<{ good: string; stock?: number | undefined; capacity?: number | undefined }>;
}

export interface PortEditOutcome {
  before: { port_class: number; goods: Array<{ good: string; mode: TradeMode; stock: number; capacity: number }> };
  after: { port_class: number; goods: Array<{ good: string; mode: TradeMode; stock: number; capacity: number }> };
  /** the shape the world layer writes (class, modes, capacities); stock goes through the applier */
  shape: { portClass: number; goods: Array<{ good: string; mode: TradeMode; capacity: number }> };
}

/**
 * Change a port's class (between trading classes 1–8: Earth Station and the Stardock stay what
 * they are), and a good's stock and capacity. Stock is written as a portGoods change through the
 * one applier, anchored now, so drift resumes from the new figure.
 */
export function decidePortEdit(port: PortScene, edit: PortEdit, nowMs: number): Decision<PortEditOutcome> {
  const fixed = (c: number) => c === EARTH_STATION_CLASS || c === STARDOCK_CLASS;
  const portClass = edit.portClass ?? port.portClass;
  if (edit.portClass === undefined && edit.goods.length === 0) return refuse('invalid_port_edit', 'Say what to change: the class or a good');
  if (edit.portClass !== undefined && edit.portClass !== port.portClass && (fixed(port.portClass) || fixed(edit.portClass)))
    return refuse('invalid_port_edit', 'Earth Station and the Stardock keep their class; trading ports change between classes 1–8');
  const trades = portClassDef(portClass).trades;
  const view = port.goods.map((g) => ({ good: g.good, mode: g.mode, stock: g.stock, capacity: g.capacity }));
  const next = view.map((g) => ({ ...g, mode: (trades[g.good as keyof typeof trades] ?? g.mode) as TradeMode }));
  const changes = noChanges();
  const seen = new Set<string>();
  for (const change of edit.goods) {
    if (seen.has(change.good)) return refuse('invalid_port_edit', `${change.good} appears twice`);
    seen.add(change.good);
    const good = next.find((g) => g.good === change.good);
    if (!good) return refuse('invalid_port_edit', `This port does not trade ${change.good}`);
    const current = port.goods.find((g) => g.good === change.good)!;
    if (current.fixedPrice && change.stock !== undefined) return refuse('invalid_port_edit', 'A fixed-price good never runs out: its stock is not edited');
    const capacity = change.capacity ?? good.capacity;
    const stock = change.stock ?? Math.min(good.stock, capacity);
    if (!Number.isInteger(capacity) || capacity < 1) return refuse('invalid_port_edit', 'Capacity is a whole number of at least 1');
    if (!Number.isInteger(stock) || stock < 0 || stock > capacity)
      return refuse('invalid_port_edit', `Stock is between 0 and the capacity (${capacity})`, { capacity });
    good.capacity = capacity;
    if (stock !== good.stock) changes.portGoods.push({ portId: port.id, good: good.good, stock, anchorMs: nowMs });
    good.stock = stock;
  }
  return {
    changes,
    outcome: {
      before: { port_class: port.portClass, goods: view },
      after: { port_class: portClass, goods: next },
      shape: { portClass, goods: next.map((g) => ({ good: g.good, mode: g.mode, capacity: g.capacity })) },
    },
  };
}

// ---- planets -----------------------------------------------------------------------------

export interface PlanetEdit {
  name?: string | undefined;
  planetType?: string | undefined;
}

export function decidePlanetEdit(planet: { name: string; planetType: string }, edit: PlanetEdit): Decision<{ name: string; planet_type: PlanetType | string }> {
  if (edit.name === undefined && edit.planetType === undefined) return refuse('invalid_planet_edit', 'Say what to change: the name or the type');
  if (edit.planetType !== undefined && !(PLANET_TYPES as readonly string[]).includes(edit.planetType))
    return refuse('invalid_planet_edit', `A planet is one of ${PLANET_TYPES.join(', ')}`);
  return { changes: noChanges(), outcome: { name: edit.name ?? planet.name, planet_type: edit.planetType ?? planet.planetType } };
}
