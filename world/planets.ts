import type { PlanetType } from '../game/catalog/planets.js';
import type { Crew } from '../game/pilot.js';
import type { Planet } from '../game/planets.js';
import type { RegionDb } from '../platform/db/database.js';
import { type CrewRow, crewsCte, toCrew } from './pilots.js';
import { runStatement, Statement } from './statement.js';

export interface PlanetRow {
  id: number | string;
  sector_id: number;
  region_id: number;
  name: string;
  planet_type: string;
  claimable: boolean;
  owner_user_id: string | null;
  owner_name: string | null;
  colonists: number;
  stock_ore: number;
  stock_organics: number;
  stock_equipment: number;
  fighters: number;
  shields: number;
  alloc_ore: number;
  alloc_organics: number;
  alloc_equipment: number;
  alloc_fighters: number;
  citadel_level: number;
  building_level: number | null;
  build_done_at: string | Date | null;
  anchor_at: string | Date;
}

export function toPlanet(row: PlanetRow): Planet {
  return {
    id: Number(row.id),
    sectorId: row.sector_id,
    regionId: row.region_id,
    name: row.name,
    type: row.planet_type as PlanetType,
    claimable: row.claimable,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    colonists: row.colonists,
    stock: { ore: row.stock_ore, organics: row.stock_organics, equipment: row.stock_equipment },
    fighters: row.fighters,
    shields: row.shields,
    allocation: { ore: row.alloc_ore, organics: row.alloc_organics, equipment: row.alloc_equipment, fighters: row.alloc_fighters },
    citadelLevel: row.citadel_level,
    building: row.building_level === null || row.build_done_at === null ? null : { level: row.building_level, doneAtMs: new Date(row.build_done_at).getTime() },
    anchorMs: new Date(row.anchor_at).getTime(),
  };
}

const PLANET_COLUMNS = `pl.id, pl.sector_id, pl.region_id, pl.name, pl.planet_type, pl.claimable, pl.owner_user_id,
  (select po.name from players po where po.user_id = pl.owner_user_id) as owner_name,
  pl.colonists, pl.stock_ore, pl.stock_organics, pl.stock_equipment, pl.fighters, pl.shields,
  pl.alloc_ore, pl.alloc_organics, pl.alloc_equipment, pl.alloc_fighters, pl.citadel_level, pl.building_level, pl.build_done_at, pl.anchor_at`;

export interface PlanetScene {
  crew: Crew;
  /** other crews locked with it (a planet's owner, for an attack) */
  others: Crew[];
  planet: Planet | null;
  sector: { id: number; regionId: number; fedspace: boolean };
}

/**
 * The one locked read of a planet action: the crews in user-id order (crewsCte), then the planet
 * row. Every action that touches a planet locks pilots before planets, so an owner unloading and
 * an attacker capturing serialize on the planet row and can never deadlock.
 */
export async function readPlanetScene(db: RegionDb, userId: string, planetId: number, otherIds: readonly string[] = []): Promise<PlanetScene | undefined> {
  const st = new Statement();
  const actor = st.value(userId);
  const text = `with ${crewsCte(st, [userId, ...otherIds])},
  planet as (select ${PLANET_COLUMNS} from planets pl where pl.id = ${st.value(planetId)}::bigint for update of pl)
  select (select row_to_json(crews) from crews where crews.user_id = ${actor}::uuid) as crew,
    (select coalesce(json_agg(row_to_json(crews)), '[]'::json) from crews where crews.user_id <> ${actor}::uuid) as others,
    (select row_to_json(planet) from planet) as planet,
    (select json_build_object('id', s.id, 'region_id', s.region_id, 'fedspace', s.fedspace) from sectors s join players p on p.sector_id = s.id where p.user_id = ${actor}::uuid) as sector`;
  const [row] = await runStatement<{
    crew: CrewRow | null;
    others: CrewRow[];
    planet: PlanetRow | null;
    sector: { id: number; region_id: number; fedspace: boolean } | null;
  }>(db, text, st.params);
  if (!row?.crew || !row.sector) return undefined;
  return {
    crew: toCrew(row.crew),
    others: row.others.map(toCrew),
    planet: row.planet ? toPlanet(row.planet) : null,
    sector: { id: row.sector.id, regionId: row.sector.region_id, fedspace: row.sector.fedspace },
  };
}

export interface GenesisRead {
  crew: Crew;
  sector: { id: number; regionId: number; fedspace: boolean };
  planetsHere: number;
  newId: number;
}

/**
 * The locked read of a genesis: the crew, then its sector's row, so two torpedoes fired in one
 * sector take turns; then, in a second statement (a fresh snapshot, which sees the planet a
 * torpedo that went first committed), the planets there and the id the new one takes. The
 * 3-per-sector limit holds under any race.
 */
export async function readGenesisScene(db: RegionDb, userId: string): Promise<GenesisRead | undefined> {
  const st = new Statement();
  const text = `with ${crewsCte(st, [userId])},
  here as (select s.id, s.region_id, s.fedspace from sectors s where s.id = (select sector_id from crews) for update of s)
  select (select row_to_json(crews) from crews) as crew, (select row_to_json(here) from here) as sector`;
  const [row] = await runStatement<{ crew: CrewRow | null; sector: { id: number; region_id: number; fedspace: boolean } | null }>(db, text, st.params);
  if (!row?.crew || !row.sector) return undefined;
  const count = new Statement();
  const [counted] = await runStatement<{ planets_here: number; new_id: string }>(
    db,
    `select (select count(*) from planets where sector_id = ${count.value(row.sector.id)}::int)::int as planets_here, nextval('planets_id_seq')::bigint as new_id`,
    count.params,
  );
  return {
    crew: toCrew(row.crew),
    sector: { id: row.sector.id, regionId: row.sector.region_id, fedspace: row.sector.fedspace },
    planetsHere: Number(counted!.planets_here),
    newId: Number(counted!.new_id),
  };
}

/** One planet, unlocked (views). */
export async function planetById(db: RegionDb, planetId: number): Promise<Planet | undefined> {
  const st = new Statement();
  const [row] = await runStatement<PlanetRow>(db, `select ${PLANET_COLUMNS} from planets pl where pl.id = ${st.value(planetId)}::bigint`, st.params);
  return row ? toPlanet(row) : undefined;
}

/** A pilot's planets, unlocked, by id. */
export async function planetsOf(db: RegionDb, userId: string): Promise<Planet[]> {
  const st = new Statement();
  const rows = await runStatement<PlanetRow>(
    db,
    `select ${PLANET_COLUMNS} from planets pl where pl.owner_user_id = ${st.value(userId)}::uuid order by pl.id`,
    st.params,
  );
  return rows.map(toPlanet);
}

/** Who owns a planet now (read before an attack's transaction, to lock the owner's crew with the attacker's). */
export async function planetOwner(db: RegionDb, planetId: number): Promise<string | null> {
  const st = new Statement();
  const [row] = await runStatement<{ owner_user_id: string | null }>(
    db,
    `select owner_user_id from planets where id = ${st.value(planetId)}::bigint`,
    st.params,
  );
  return row?.owner_user_id ?? null;
}

/** Planets whose production has a whole game day to count, or a build to finish, by `beforeMs` (the production job). */
export async function planetsDue(db: RegionDb, dueBeforeMs: number, buildDueMs: number, limit: number): Promise<number[]> {
  const st = new Statement();
  const rows = await runStatement<{ id: string }>(
    db,
    `select id from planets where owner_user_id is not null and (
      (colonists > 0 and anchor_at <= ${st.value(new Date(dueBeforeMs).toISOString())}::timestamptz)
      or build_done_at <= ${st.value(new Date(buildDueMs).toISOString())}::timestamptz)
    order by id limit ${st.value(limit)}::int`,
    st.params,
  );
  return rows.map((r) => Number(r.id));
}

/** A planet locked alone (the job's read: no pilot, so it can never deadlock with an action that locks pilots first). */
export async function lockPlanet(db: RegionDb, planetId: number): Promise<Planet | null> {
  const st = new Statement();
  const [row] = await runStatement<PlanetRow>(
    db,
    `select ${PLANET_COLUMNS} from planets pl where pl.id = ${st.value(planetId)}::bigint for update of pl`,
    st.params,
  );
  return row ? toPlanet(row) : null;
}

/** Every owned planet's holdings, for net worth and the planets leaderboard. */
export async function ownedPlanets(db: RegionDb): Promise<Planet[]> {
  const rows = await runStatement<PlanetRow>(db, `select ${PLANET_COLUMNS} from planets pl where pl.owner_user_id is not null order by pl.id`, []);
  return rows.map(toPlanet);
}
