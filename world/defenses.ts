import type { Allegiance, Defense, DefenseKind, FighterMode } from '../game/defenses.js';
import type { Crew } from '../game/pilot.js';
import type { AccountDb, RegionDb } from '../platform/db/database.js';
import { nearestFedspace, readFedspace } from './arms.js';
import { teamOf } from './teams.js';
import { warpGraph } from './warp-graph.js';
import { type CrewRow, crewsCte, toCrew } from './pilots.js';
import { runStatement, Statement } from './statement.js';

export interface DefenseRow {
  id: string;
  sector_id: number;
  region_id: number;
  owner_user_id: string;
  owner_name: string;
  team_id: number | null;
  kind: string;
  quantity: number;
  mode: string | null;
  toll: number;
}

export function toDefense(row: DefenseRow): Defense {
  return {
    id: row.id,
    sectorId: row.sector_id,
    regionId: row.region_id,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    teamId: row.team_id === null ? null : Number(row.team_id),
    kind: row.kind as DefenseKind,
    quantity: row.quantity,
    mode: row.mode as FighterMode | null,
    toll: row.toll,
  };
}

const DEFENSE_COLUMNS = 'd.id, d.sector_id, d.region_id, d.owner_user_id, d.owner_name, d.team_id, d.kind, d.quantity, d.mode, d.toll';

/**
 * The `defenses` CTE: the stacks in the given sectors (an SQL expression each), locked in id
 * order. Always after `crews` (which locks their owners first), so every action that touches a
 * stack takes the owner's pilot row before the stack: no two can deadlock over them.
 */
export function defensesCte(sectorExprs: readonly string[], options: { lock: boolean } = { lock: true }): string {
  return `defenses as (select ${DEFENSE_COLUMNS} from sector_defenses d where d.sector_id in (${sectorExprs.join(', ')}) and d.quantity > 0
  order by d.id${options.lock ? ' for update of d' : ''})`;
}

/** The JSON array of the `defenses` CTE, for the select list. */
export const DEFENSES_JSON = `(select coalesce(json_agg(row_to_json(defenses) order by defenses.id), '[]'::json) from defenses)`;

/**
 * Who owns stacks in these sectors, and in the sector where `userId` is now (read before the
 * transaction, to lock them and ask their teams): one round trip.
 */
export async function defenseOwners(db: RegionDb, sectorIds: readonly number[], userId?: string): Promise<string[]> {
  const st = new Statement();
  const here = userId ? ` or d.sector_id = (select sector_id from players where user_id = ${st.value(userId)}::uuid)` : '';
  const rows = await runStatement<{ owner_user_id: string }>(
    db,
    `select distinct d.owner_user_id from sector_defenses d where (d.sector_id = any(${st.value([...sectorIds])}::int[])${here}) and d.quantity > 0`,
    st.params,
  );
  return rows.map((r) => r.owner_user_id).sort();
}

/** The stacks in a sector, unlocked (views, scans, the autopilot's look ahead). */
export async function defensesIn(db: RegionDb, sectorIds: readonly number[]): Promise<Defense[]> {
  if (sectorIds.length === 0) return [];
  const st = new Statement();
  const rows = await runStatement<DefenseRow>(
    db,
    `select ${DEFENSE_COLUMNS} from sector_defenses d where d.sector_id = any(${st.value([...sectorIds])}::int[]) and d.quantity > 0 order by d.id`,
    st.params,
  );
  return rows.map(toDefense);
}

export interface DefenseScene {
  crew: Crew;
  sector: { id: number; regionId: number; fedspace: boolean };
  defenses: Defense[];
  /** other crews locked with it: the stacks' owners */
  others: Crew[];
}

/**
 * The one locked read of a deploy, a recall or an attack on defenses: the pilot and the stacks'
 * owners (crewsCte, user-id order), then the stacks in the pilot's sector (id order), and the sector.
 */
export async function readDefenseScene(db: RegionDb, userId: string, ownerIds: readonly string[]): Promise<DefenseScene | undefined> {
  const st = new Statement();
  const actor = st.value(userId);
  const text = `with ${crewsCte(st, [userId, ...ownerIds])},
  here as (select s.id, s.region_id, s.fedspace from sectors s join players p on p.sector_id = s.id where p.user_id = ${actor}::uuid),
  ${defensesCte(['(select id from here)'])}
  select (select row_to_json(crews) from crews where crews.user_id = ${actor}::uuid) as crew,
    (select coalesce(json_agg(row_to_json(crews)), '[]'::json) from crews where crews.user_id <> ${actor}::uuid) as others,
    (select row_to_json(here) from here) as sector,
    ${DEFENSES_JSON} as defenses`;
  const [row] = await runStatement<{
    crew: CrewRow | null;
    others: CrewRow[];
    sector: { id: number; region_id: number; fedspace: boolean } | null;
    defenses: DefenseRow[];
  }>(db, text, st.params);
  if (!row?.crew || !row.sector) return undefined;
  return {
    crew: toCrew(row.crew),
    sector: { id: row.sector.id, regionId: row.sector.region_id, fedspace: row.sector.fedspace },
    defenses: row.defenses.map(toDefense),
    others: row.others.map(toCrew),
  };
}

/** What an action near deployed defenses needs from outside its transaction: whose stacks, who is friendly, where a pod flies. */
export interface TerritoryContext {
  ownerIds: string[];
  who: Allegiance;
  refuge: { escapeTo: { sectorId: number; regionId: number }; escapeSnapshot: unknown };
}

/**
 * Read before the transaction (nothing locked): the owners of stacks in these sectors, the teams
 * of the pilot and those owners (account-side), and the FedSpace sector nearest `near` for a pod.
 */
export async function territoryContext(
  db: { region: RegionDb; accounts: AccountDb },
  userId: string,
  sectorIds: readonly number[],
  near: number,
  options: { includeHere?: boolean } = {},
): Promise<TerritoryContext> {
  const ownerIds = await defenseOwners(db.region, sectorIds, options.includeHere ? userId : undefined);
  if (ownerIds.length === 0)
    return { ownerIds, who: { userId, teamId: null, ownerTeams: new Map() }, refuge: { escapeTo: { sectorId: 1, regionId: 1 }, escapeSnapshot: null } };
  const [teams, graph] = await Promise.all([teamOf(db.accounts, [userId, ...ownerIds]), warpGraph(db.region)]);
  const fedspace = await readFedspace(db.region, graph);
  return {
    ownerIds: ownerIds.filter((id) => id !== userId),
    who: { userId, teamId: teams.get(userId) ?? null, ownerTeams: teams },
    refuge: { escapeTo: nearestFedspace(fedspace, near), escapeSnapshot: null },
  };
}

/** Inside an action's transaction, after its crews are locked: the stacks in these sectors (id order, locked) and where the pilot flew in from. */
export async function lockDefenses(trx: RegionDb, userId: string, sectorIds: readonly number[]): Promise<{ defenses: Defense[]; cameFrom: number | null }> {
  const st = new Statement();
  const text = `with defenses as (select ${DEFENSE_COLUMNS} from sector_defenses d
    where d.sector_id = any(${st.value([...sectorIds])}::int[]) and d.quantity > 0 order by d.id for update of d)
  select ${DEFENSES_JSON} as defenses, (select came_from from players where user_id = ${st.value(userId)}::uuid) as came_from`;
  const [row] = await runStatement<{ defenses: DefenseRow[]; came_from: number | null }>(trx, text, st.params);
  return { defenses: (row?.defenses ?? []).map(toDefense), cameFrom: row?.came_from ?? null };
}
