import { NEW_PILOT_PROTECTION } from '../game/catalog/combat.js';
import { STARDOCK_CLASS } from '../game/catalog/ports.js';
import { NEW_PILOT } from '../game/catalog/new-pilot.js';
import type { Protection, Target, Wreck } from '../game/combat.js';
import { hopsFrom, type WarpGraph } from '../game/pathfinding.js';
import type { Crew } from '../game/pilot.js';
import type { Config } from '../platform/config.js';
import type { RegionDb } from '../platform/db/database.js';
import { type CrewRow, CREW_SELECT, crewsCte, toCrew } from './pilots.js';
import { sectorJson, sectorView, type StoredSector } from './sector-view.js';
import { runStatement, Statement } from './statement.js';

// ---- the Stardock -----------------------------------------------------------------------------

export interface ShipyardScene {
  crew: Crew;
  atStardock: boolean;
}

/** The crew (locked for a purchase) and whether its sector has the Stardock: one round trip. */
export async function readForShipyard(db: RegionDb, userId: string, lock: boolean): Promise<ShipyardScene | undefined> {
  const st = new Statement();
  const text = `with ${crewsCte(st, [userId], { lock })}
  select crews.*, exists(select 1 from ports where ports.sector_id = crews.sector_id and ports.port_class = ${st.value(STARDOCK_CLASS)}::int) as at_stardock
  from crews`;
  const [row] = await runStatement<CrewRow & { at_stardock: boolean }>(db, text, st.params);
  return row ? { crew: toCrew(row), atStardock: row.at_stardock } : undefined;
}

/** The new-pilot protection in force: NEW_PILOT_PROTECTION_* from config, else the catalog's defaults. */
export function protectionOf(config: Pick<Config, 'newPilotProtection'>): Protection {
  return {
    netWorth: config.newPilotProtection.netWorth ?? NEW_PILOT_PROTECTION.netWorth,
    hours: config.newPilotProtection.hours ?? NEW_PILOT_PROTECTION.hours,
  };
}

// ---- an attack --------------------------------------------------------------------------------

/** Where the FedSpace sectors are, for escape pods. */
export interface FedspaceMap {
  graph: WarpGraph;
  sectors: Map<number, number>;
}

export async function readFedspace(db: RegionDb, graph: WarpGraph): Promise<FedspaceMap> {
  const rows = await db.selectFrom('sectors').select(['id', 'region_id']).where('fedspace', '=', true).execute();
  return { graph, sectors: new Map(rows.map((r) => [r.id, r.region_id])) };
}

/** The FedSpace sector fewest warps from `from` (the lowest id among equals); sector 1 when none is reachable. */
export function nearestFedspace(map: FedspaceMap, from: number): { sectorId: number; regionId: number } {
  const hops = hopsFrom(map.graph, from);
  let best: { sectorId: number; regionId: number; hops: number } | null = null;
  for (const [sectorId, regionId] of [...map.sectors].sort((a, b) => a[0] - b[0])) {
    const h = hops[sectorId] ?? -1;
    if (h >= 0 && (best === null || h < best.hops)) best = { sectorId, regionId, hops: h };
  }
  return best ?? { sectorId: NEW_PILOT.sectorId, regionId: map.sectors.get(NEW_PILOT.sectorId) ?? 1 };
}

/** A pilot's user id by name, preferring one in `sectorId` (names are unique among accounts, not against NPCs). */
export async function pilotIdByName(db: RegionDb, name: string, sectorId: number): Promise<string | undefined> {
  const st = new Statement();
  const [row] = await runStatement<{ user_id: string }>(
    db,
    `select user_id from players where lower(name) = lower(${st.value(name)}::text) order by (sector_id = ${st.value(sectorId)}::int) desc, user_id limit 1`,
    st.params,
  );
  return row?.user_id;
}

export interface AttackScene {
  attacker: Crew;
  target: Target | null;
  sector: { id: number; regionId: number; fedspace: boolean };
  escapeTo: { sectorId: number; regionId: number };
  escapeSnapshot: unknown;
}

type AttackRow = CrewRow & { created_at: string | Date; fedspace: boolean; sector_region_id: number };

/**
 * The one read of an attack: attacker and target locked together, in user-id order (crewsCte),
 * so two pilots attacking each other at once cannot deadlock; the attacker's sector; and what the
 * target would see arriving at the FedSpace sector nearest the fight.
 */
export async function readForAttack(
  db: RegionDb,
  attackerId: string,
  targetId: string | undefined,
  fedspace: FedspaceMap,
  nowMs: number,
  timeScale: number,
): Promise<AttackScene | undefined> {
  const st = new Statement();
  const ids = targetId ? [attackerId, targetId] : [attackerId];
  const text = `with ${crewsCte(st, ids)}
  select crews.*, p.created_at, s.fedspace, s.region_id as sector_region_id
  from crews join players p on p.user_id = crews.user_id join sectors s on s.id = crews.sector_id`;
  const rows = await runStatement<AttackRow>(db, text, st.params);
  const attackerRow = rows.find((r) => r.user_id === attackerId);
  if (!attackerRow) return undefined;
  const attacker = toCrew(attackerRow);
  const targetRow = targetId && targetId !== attackerId ? rows.find((r) => r.user_id === targetId) : targetId === attackerId ? attackerRow : undefined;
  const target: Target | null = targetRow ? { crew: toCrew(targetRow), createdAtMs: new Date(targetRow.created_at).getTime() } : null;
  const escapeTo = nearestFedspace(fedspace, attacker.pilot.sectorId);
  let escapeSnapshot: unknown = null;
  if (target && target.crew.pilot.userId !== attackerId) {
    const view = new Statement();
    const [snap] = await runStatement<{ sector: StoredSector | null }>(
      db,
      `select ${sectorJson(view, view.value(escapeTo.sectorId), view.value(target.crew.pilot.userId), null)} as sector`,
      view.params,
    );
    escapeSnapshot = snap?.sector ? sectorView(snap.sector, nowMs, timeScale) : null;
  }
  return {
    attacker,
    target,
    sector: { id: attacker.pilot.sectorId, regionId: attackerRow.sector_region_id, fedspace: attackerRow.fedspace },
    escapeTo,
    escapeSnapshot,
  };
}

// ---- wrecks -----------------------------------------------------------------------------------

type WreckRow = {
  id: string;
  sector_id: number;
  victim_name: string;
  cargo_ore: number;
  cargo_organics: number;
  cargo_equipment: number;
  cargo_colonists: number;
  expires_at: string | Date;
  created_at: string | Date;
};

function toWreck(row: WreckRow): Wreck {
  return {
    id: row.id,
    sectorId: row.sector_id,
    cargo: { ore: row.cargo_ore, organics: row.cargo_organics, equipment: row.cargo_equipment, colonists: row.cargo_colonists },
    expiresAtMs: new Date(row.expires_at).getTime(),
  };
}

export interface SalvageScene {
  crew: Crew;
  wreck: Wreck | null;
}

/** The crew, then the wreck, locked in that order. */
export async function readForSalvage(db: RegionDb, userId: string, wreckId: string): Promise<SalvageScene | undefined> {
  const st = new Statement();
  const text = `with ${crewsCte(st, [userId])},
  wreck as (select w.* from wrecks w where w.id = ${st.value(wreckId)}::uuid for update of w)
  select crews.*, row_to_json(wreck.*) as wreck from crews left join wreck on true`;
  const [row] = await runStatement<CrewRow & { wreck: WreckRow | null }>(db, text, st.params);
  if (!row) return undefined;
  return { crew: toCrew(row), wreck: row.wreck ? toWreck(row.wreck) : null };
}

// ---- scanning ---------------------------------------------------------------------------------

export interface ScanScene {
  crew: Crew;
  adjacent: boolean;
  exists: boolean;
  ships: Target[];
  wrecks: Array<{ id: string; victim: string; cargo: Wreck['cargo']; expires_at: string }>;
}

/** The scanning crew (locked: the scan spends a turn), and what is in the scanned sector (not locked). */
export async function readForScan(db: RegionDb, userId: string, sectorId: number): Promise<ScanScene | undefined> {
  const st = new Statement();
  const target = st.value(sectorId);
  const text = `with ${crewsCte(st, [userId])}
  select crews.*,
    exists(select 1 from warps where from_sector_id = crews.sector_id and to_sector_id = ${target}::int) as adjacent,
    exists(select 1 from sectors where id = ${target}::int) as sector_exists,
    (select coalesce(json_agg(row_to_json(t) order by t.name), '[]'::json) from (
      select ${CREW_SELECT}, players.created_at from players join ships on ships.id = players.ship_id
      where players.sector_id = ${target}::int and players.user_id <> crews.user_id and players.transit_id is null order by players.name limit 100) t) as ships,
    (select coalesce(json_agg(row_to_json(w) order by w.created_at), '[]'::json) from (
      select * from wrecks where sector_id = ${target}::int and expires_at > now()
        and cargo_ore + cargo_organics + cargo_equipment + cargo_colonists > 0) w) as wrecks
  from crews`;
  const [row] = await runStatement<CrewRow & { adjacent: boolean; sector_exists: boolean; ships: Array<CrewRow & { created_at: string }>; wrecks: WreckRow[] }>(
    db,
    text,
    st.params,
  );
  if (!row) return undefined;
  return {
    crew: toCrew(row),
    adjacent: row.adjacent,
    exists: row.sector_exists,
    ships: row.ships.map((s) => ({ crew: toCrew(s), createdAtMs: new Date(s.created_at).getTime() })),
    wrecks: row.wrecks.map((w) => ({ id: w.id, victim: w.victim_name, cargo: toWreck(w).cargo, expires_at: new Date(w.expires_at).toISOString() })),
  };
}

// ---- combat logs ------------------------------------------------------------------------------

export interface CombatLogRow {
  id: string;
  sector_id: number;
  attacker_user_id: string;
  defender_user_id: string;
  attacker_name: string;
  defender_name: string;
  seed: string;
  result: string;
  detail: unknown;
  created_at: Date;
}

/** The engagements a pilot fought, either side, newest first. */
export async function combatLogsOf(db: RegionDb, userId: string, limit: number): Promise<CombatLogRow[]> {
  return (await db
    .selectFrom('combat_logs')
    .select(['id', 'sector_id', 'attacker_user_id', 'defender_user_id', 'attacker_name', 'defender_name', 'seed', 'result', 'detail', 'created_at'])
    .where((eb) => eb.or([eb('attacker_user_id', '=', userId), eb('defender_user_id', '=', userId)]))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()) as CombatLogRow[];
}

/** One engagement, if the pilot fought in it. */
export async function combatLogFor(db: RegionDb, userId: string, id: string): Promise<CombatLogRow | undefined> {
  return (await db
    .selectFrom('combat_logs')
    .select(['id', 'sector_id', 'attacker_user_id', 'defender_user_id', 'attacker_name', 'defender_name', 'seed', 'result', 'detail', 'created_at'])
    .where('id', '=', id)
    .where((eb) => eb.or([eb('attacker_user_id', '=', userId), eb('defender_user_id', '=', userId)]))
    .executeTakeFirst()) as CombatLogRow | undefined;
}
