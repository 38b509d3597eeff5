import type { Passage } from '../game/movement.js';
import type { Crew } from '../game/pilot.js';
import type { RegionDb } from '../platform/db/database.js';
import type { Defense } from '../game/defenses.js';
import { DEFENSES_JSON, type DefenseRow, defensesCte, toDefense } from './defenses.js';
import { type CrewRow, crewsCte, toCrew } from './pilots.js';
import { sectorJson, sectorView, type StoredSector } from './sector-view.js';
import { runStatement, Statement } from './statement.js';

export interface MoveScene {
  crew: Crew;
  passage: Passage;
  /** the stacks deployed where the pilot is and where it goes, locked after their owners */
  defenses: Defense[];
  /** the stacks' owners, locked with the pilot (they may be paid a toll) */
  owners: Crew[];
  /** the sector the pilot flew in from (a retreat goes back there) */
  cameFrom: number | null;
}

type MoveRow = CrewRow & {
  warp_out: boolean;
  warp_back: boolean;
  to_region_id: number | null;
  known: boolean;
  arrival: StoredSector | null;
  came_from: number | null;
  defenses: DefenseRow[];
  owners: CrewRow[];
};

/**
 * The one read of a move: the crew locked, the warp to `to` (or the one coming back, to say
 * why not), the region and the view of the sector it arrives in, and whether it was known.
 */
export function moveRead(userId: string, to: number, online: readonly string[] | null, ownerIds: readonly string[] = []) {
  const st = new Statement();
  const crews = crewsCte(st, [userId, ...ownerIds]);
  const actor = st.value(userId);
  const target = st.value(to);
  const text = `with ${crews},
  ${defensesCte([`(select sector_id from crews where user_id = ${actor}::uuid)`, `${target}::int`])}
  select crews.*,
    (select came_from from players where user_id = crews.user_id) as came_from,
    ${DEFENSES_JSON} as defenses,
    (select coalesce(json_agg(row_to_json(o)), '[]'::json) from crews o where o.user_id <> ${actor}::uuid) as owners,
    exists(select 1 from warps where from_sector_id = crews.sector_id and to_sector_id = ${target}::int) as warp_out,
    exists(select 1 from warps where from_sector_id = ${target}::int and to_sector_id = crews.sector_id) as warp_back,
    (select region_id from sectors where id = ${target}::int) as to_region_id,
    exists(select 1 from known_sectors where user_id = crews.user_id and sector_id = ${target}::int) as known,
    ${sectorJson(st, target, 'crews.user_id', online)} as arrival
  from crews where crews.user_id = ${actor}::uuid`;
  return { text, params: st.params };
}

export function toMoveScene(row: MoveRow | undefined, nowMs: number, timeScale: number): MoveScene | undefined {
  if (!row) return undefined;
  const crew = toCrew(row);
  return {
    crew,
    passage: {
      // A warp to a sector this shard does not hold is a gate to another shard: only the hand-off crosses it.
      warp: row.to_region_id === null ? 'none' : row.warp_out ? 'out' : row.warp_back ? 'back_only' : 'none',
      toRegionId: row.to_region_id ?? crew.pilot.regionId,
      known: row.known,
      snapshot: row.arrival ? sectorView(row.arrival, nowMs, timeScale) : null,
    },
    defenses: (row.defenses ?? []).map(toDefense),
    owners: (row.owners ?? []).map(toCrew),
    cameFrom: row.came_from ?? null,
  };
}

export async function readForMove(
  db: RegionDb,
  userId: string,
  to: number,
  online: readonly string[] | null,
  nowMs: number,
  timeScale: number,
  ownerIds: readonly string[] = [],
): Promise<MoveScene | undefined> {
  const { text, params } = moveRead(userId, to, online, ownerIds);
  const [row] = await runStatement<MoveRow>(db, text, params);
  return toMoveScene(row, nowMs, timeScale);
}

/** The sectors of a course, in order, as the pilot will find them: region (null: another shard's), known or not, and the view on arrival. */
export async function readCourse(
  db: RegionDb,
  userId: string,
  path: readonly number[],
  online: ReadonlyMap<number, readonly string[]> | null,
  nowMs: number,
  timeScale: number,
): Promise<Array<Omit<Passage, 'warp' | 'toRegionId'> & { toRegionId: number | null }>> {
  if (path.length === 0) return [];
  const st = new Statement();
  const viewer = st.value(userId);
  // One view expression per hop: each has its own online list.
  const hops = path.map((sectorId) => {
    const id = st.value(sectorId);
    return `json_build_object('region_id', (select region_id from sectors where id = ${id}::int),
      'known', exists(select 1 from known_sectors where user_id = ${viewer}::uuid and sector_id = ${id}::int),
      'arrival', ${sectorJson(st, id, viewer, online ? (online.get(sectorId) ?? []) : null)})`;
  });
  const [row] = await runStatement<{ hops: Array<{ region_id: number; known: boolean; arrival: StoredSector | null }> }>(
    db,
    `select json_agg(hop order by ord) as hops from (values ${hops.map((hop, i) => `(${i}, ${hop})`).join(', ')}) as course(ord, hop)`,
    st.params,
  );
  return row!.hops.map((hop) => ({
    toRegionId: hop.region_id as number | null,
    known: hop.known,
    snapshot: hop.arrival ? sectorView(hop.arrival, nowMs, timeScale) : null,
  }));
}
