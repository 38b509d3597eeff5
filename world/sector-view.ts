import type { Commodity } from '../game/catalog/goods.js';
import { portClassDef } from '../game/catalog/ports.js';
import type { PortGood } from '../game/trade.js';
import { currentUnitPrice, portGoodAt } from '../game/pricing.js';
import type { TradeMode } from '../game/catalog/ports.js';
import type { RegionDb } from '../platform/db/database.js';
import { scanBand } from '../game/combat.js';
import { runStatement, Statement } from './statement.js';

/** A port-good row as stored, in the shape the sector statement returns it. */
export interface StoredGood {
  good: string;
  mode: TradeMode;
  capacity: number;
  stock: number;
  fixed_price: boolean;
  anchor_at: string | Date;
}

/** A stored port good brought up to `nowMs` (stock drift is lazy; this is where it is applied). */
export function driftedGood(row: StoredGood, nowMs: number, timeScale: number): PortGood {
  return portGoodAt(
    {
      good: row.good as Commodity,
      mode: row.mode,
      capacity: row.capacity,
      stock: row.stock,
      anchorMs: new Date(row.anchor_at).getTime(),
      fixedPrice: row.fixed_price,
    },
    nowMs,
    timeScale,
  );
}

/** How a port's good looks to a trader: which way it trades, the next unit's price, stock. */
export function goodView(good: PortGood) {
  return {
    good: good.good,
    /** `sells`: the port sells it (you buy); `buys`: the port buys it (you sell) */
    port_action: good.mode === 'sell' ? ('sells' as const) : ('buys' as const),
    unit_price: currentUnitPrice(good),
    stock: good.stock,
    capacity: good.capacity,
    /** how many units the port will trade now: its stock when selling, its free room when buying */
    tradable: good.mode === 'sell' ? good.stock : good.capacity - good.stock,
  };
}

export function portView(port: { id: number; name: string; port_class: number }, goods: PortGood[]) {
  const def = portClassDef(port.port_class);
  return {
    id: port.id,
    name: port.name,
    class: port.port_class,
    class_code: def.code,
    class_name: def.title,
    goods: goods.map(goodView),
  };
}

/** A sector as one statement returns it: the sector, its warps, port and goods, planets and pilots. */
export interface StoredSector {
  id: number;
  name: string | null;
  x: number;
  y: number;
  zone: 'federation' | 'border' | 'frontier';
  fedspace: boolean;
  region_id: number;
  region_name: string;
  warps_out: Array<{ to: number; gate: boolean }>;
  warps_in: number[];
  port: { id: number; name: string; port_class: number; goods: StoredGood[] } | null;
  planets: Array<{
    id: number;
    name: string;
    type: string;
    claimable: boolean;
    owned: boolean;
    owner?: string | null;
    yours?: boolean;
    citadel_level?: number;
  }>;
  pilots: Array<{ name: string; hull: string; npc: boolean; online: boolean }>;
  wrecks: Array<{ id: string; victim: string; cargo: { ore: number; organics: number; equipment: number; colonists: number }; expires_at: string }>;
  /** deployed stacks: the count only for the viewer's own (null otherwise: the view shows a band) */
  defenses?: Array<{
    id: string;
    owner: string;
    yours: boolean;
    team_owned: boolean;
    kind: 'fighters' | 'mines';
    mode: string | null;
    toll: number;
    quantity: number;
    exact: number | null;
  }>;
}

/**
 * One SQL expression (a json object) holding everything a pilot sees in a sector, so a view
 * costs one round trip, also inside an action's read. `online`, when known, is who presence says
 * is connected: only those pilots (and NPCs, always in the sky) are listed; null lists everyone
 * whose pilot is there (while the bus is down).
 */
export function sectorJson(st: Statement, sectorId: string, viewerId: string, online: readonly string[] | null): string {
  const onlineParam = st.value(online === null ? null : [...online]);
  return `(select json_build_object(
    'id', s.id, 'name', s.name, 'x', s.x, 'y', s.y, 'zone', s.zone, 'fedspace', s.fedspace, 'region_id', s.region_id, 'region_name', r.name,
    'warps_out', (select coalesce(json_agg(json_build_object('to', w.to_sector_id, 'gate', w.gate) order by w.to_sector_id), '[]'::json) from warps w where w.from_sector_id = s.id),
    'warps_in', (select coalesce(json_agg(w.from_sector_id), '[]'::json) from warps w where w.to_sector_id = s.id),
    'port', (select json_build_object('id', po.id, 'name', po.name, 'port_class', po.port_class, 'goods',
        (select coalesce(json_agg(json_build_object('good', g.good, 'mode', g.mode, 'capacity', g.capacity, 'stock', g.stock, 'fixed_price', g.fixed_price, 'anchor_at', g.anchor_at) order by g.good), '[]'::json)
         from port_goods g where g.port_id = po.id))
      from ports po where po.sector_id = s.id),
    'planets', (select coalesce(json_agg(json_build_object('id', pl.id, 'name', pl.name, 'type', pl.planet_type, 'claimable', pl.claimable, 'owned', pl.owner_user_id is not null,
        'owner', (select po.name from players po where po.user_id = pl.owner_user_id), 'yours', coalesce(pl.owner_user_id = ${viewerId}::uuid, false), 'citadel_level', pl.citadel_level) order by pl.id), '[]'::json)
      from planets pl where pl.sector_id = s.id),
    'pilots', (select coalesce(json_agg(json_build_object('name', here.name, 'hull', here.hull, 'npc', here.npc, 'online', here.online) order by here.name), '[]'::json)
      from (select pp.name, sh.hull, pp.npc,
                   -- Presence says who is connected; without it (bus down) nobody is claimed to be.
                   (not pp.npc and coalesce(pp.user_id = any(${onlineParam}::uuid[]), false)) as online
            from players pp join ships sh on sh.id = pp.ship_id
            where pp.sector_id = s.id and pp.user_id <> ${viewerId}::uuid and pp.transit_id is null
              and (pp.npc or ${onlineParam}::uuid[] is null or pp.user_id = any(${onlineParam}::uuid[]))
            order by pp.name limit 100) here),
    'wrecks', (select coalesce(json_agg(json_build_object('id', w.id, 'victim', w.victim_name, 'expires_at', w.expires_at,
        'cargo', json_build_object('ore', w.cargo_ore, 'organics', w.cargo_organics, 'equipment', w.cargo_equipment, 'colonists', w.cargo_colonists)) order by w.created_at), '[]'::json)
      from wrecks w where w.sector_id = s.id and w.expires_at > now() and w.cargo_ore + w.cargo_organics + w.cargo_equipment + w.cargo_colonists > 0),
    'defenses', (select coalesce(json_agg(json_build_object('id', d.id, 'owner', d.owner_name, 'yours', d.owner_user_id = ${viewerId}::uuid,
        'team_owned', d.team_id is not null, 'kind', d.kind, 'mode', d.mode, 'toll', d.toll, 'quantity', d.quantity,
        'exact', case when d.owner_user_id = ${viewerId}::uuid then d.quantity end) order by d.id), '[]'::json)
      from sector_defenses d where d.sector_id = s.id and d.quantity > 0)
  ) from sectors s join regions r on r.id = s.region_id where s.id = ${sectorId}::int)`;
}

export type SectorView = ReturnType<typeof sectorView>;

/** What a pilot sees in a sector, from the stored sector with port prices drifted to `nowMs`. */
export function sectorView(stored: StoredSector, nowMs: number, timeScale: number) {
  const inbound = new Set(stored.warps_in);
  return {
    id: stored.id,
    name: stored.name,
    region: { id: stored.region_id, name: stored.region_name },
    zone: stored.zone,
    fedspace: stored.fedspace,
    coordinates: { x: stored.x, y: stored.y },
    warps: stored.warps_out.map((w) => ({ to: w.to, one_way: !inbound.has(w.to), gate: w.gate })),
    port: stored.port
      ? portView(
          stored.port,
          stored.port.goods.map((g) => driftedGood(g, nowMs, timeScale)),
        )
      : null,
    // Snapshots kept before planets opened lack owner, yours and citadel level.
    planets: stored.planets.map((p) => ({ ...p, owner: p.owner ?? null, yours: p.yours ?? false, citadel_level: p.citadel_level ?? 0 })),
    players: stored.pilots,
    wrecks: (stored.wrecks ?? []).map((w) => ({ ...w, expires_at: new Date(w.expires_at).toISOString() })),
    // Nothing can be deployed yet: the summary is empty until defenses land.
    defenses: storedDefenses(stored.defenses ?? []),
  };
}

/** Deployed stacks as a sector view shows them: exact for your own, a band for others'. */
function storedDefenses(stacks: NonNullable<StoredSector['defenses']>) {
  const views = stacks.map((d) => ({
    id: d.id,
    owner: d.owner,
    yours: d.yours,
    friendly: d.yours,
    team_owned: d.team_owned,
    kind: d.kind,
    mode: d.mode as 'defensive' | 'toll' | 'offensive' | null,
    toll: d.mode === 'toll' ? d.toll : null,
    quantity: d.exact,
    band: scanBand(d.quantity),
  }));
  const count = (kind: 'fighters' | 'mines') => views.filter((v) => v.kind === kind).reduce((sum, v) => sum + (v.quantity ?? v.band.min), 0);
  return { fighters: count('fighters'), mines: count('mines'), owners: [...new Set(views.map((v) => v.owner))].sort(), stacks: views };
}

/** The live view of one sector, in one round trip; undefined for a sector that does not exist. */
export async function readSectorView(db: RegionDb, sectorId: number, viewerId: string, online: readonly string[] | null, nowMs: number, timeScale: number) {
  const st = new Statement();
  const expression = sectorJson(st, st.value(sectorId), st.value(viewerId), online);
  const [row] = await runStatement<{ sector: StoredSector | null }>(db, `select ${expression} as sector`, st.params);
  return row?.sector ? sectorView(row.sector, nowMs, timeScale) : undefined;
}
