import type { Selectable } from 'kysely';
import { HULLS, type HullId } from '../game/catalog/hulls.js';
import { NEW_PILOT } from '../game/catalog/new-pilot.js';
import { TURN_POOL } from '../game/catalog/turns.js';
import { type Crew, startingChanges } from '../game/pilot.js';
import type { AccountDb, RegionDb, RegionTrx } from '../platform/db/database.js';
import { prepared } from '../platform/db/prepared.js';
import type { PlayersTable, ShipsTable } from '../platform/db/schema.js';
import { Problem } from '../platform/errors.js';
import type { Regional } from '../platform/regional.js';
import { applyChanges } from './applier.js';
import { placeNewPilot } from './homes.js';
import { runStatement, Statement } from './statement.js';

/** The columns a crew is read from: the pilot's row and its ship's, side by side. */
const PILOT_COLUMNS = [
  'user_id',
  'name',
  'region_id',
  'sector_id',
  'ship_id',
  'credits',
  'turns',
  'turns_anchor_at',
  'experience',
  'alignment',
  'npc',
  'landed_planet_id',
] as const;
const SHIP_COLUMNS = [
  'hull',
  'holds',
  'fighters',
  'shields',
  'mines',
  'genesis_torpedoes',
  'cargo_ore',
  'cargo_organics',
  'cargo_equipment',
  'cargo_colonists',
] as const;

export type CrewRow = Pick<Selectable<PlayersTable>, (typeof PILOT_COLUMNS)[number]> & Pick<Selectable<ShipsTable>, (typeof SHIP_COLUMNS)[number]>;

/** The select list of a crew, as SQL text for statements written by hand. */
export const CREW_SELECT = [...PILOT_COLUMNS.map((c) => `players.${c}`), ...SHIP_COLUMNS.map((c) => `ships.${c}`)].join(', ');

export function toCrew(row: CrewRow): Crew {
  return {
    pilot: {
      userId: row.user_id,
      name: row.name,
      regionId: row.region_id,
      sectorId: row.sector_id,
      shipId: Number(row.ship_id),
      credits: Number(row.credits),
      turns: row.turns,
      turnsAnchorMs: new Date(row.turns_anchor_at).getTime(),
      experience: row.experience,
      alignment: row.alignment,
      npc: row.npc,
      landedPlanetId: row.landed_planet_id === null || row.landed_planet_id === undefined ? null : Number(row.landed_planet_id),
    },
    ship: {
      id: Number(row.ship_id),
      hull: row.hull as HullId,
      holds: row.holds,
      fighters: row.fighters,
      shields: row.shields,
      mines: row.mines,
      genesisTorpedoes: row.genesis_torpedoes,
      cargo: { ore: row.cargo_ore, organics: row.cargo_organics, equipment: row.cargo_equipment, colonists: row.cargo_colonists },
    },
  };
}

/**
 * The CTE `crews`: pilots and their ships, locked for an action in user-id order (player row,
 * then its ship), so two actions that lock the same pilots can never deadlock. Unlocked for reads.
 */
export function crewsCte(st: Statement, userIds: readonly string[], options: { lock: boolean } = { lock: true }): string {
  const ids = [...new Set(userIds)].sort();
  return `crews as (select ${CREW_SELECT} from players join ships on ships.id = players.ship_id
  where players.user_id = any(${st.value(ids)}::uuid[]) order by players.user_id${options.lock ? ' for update of players, ships' : ''})`;
}

const crewRow = prepared((db, a: { userId: string }) =>
  db
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .select([...PILOT_COLUMNS.map((c) => `players.${c}` as const), ...SHIP_COLUMNS.map((c) => `ships.${c}` as const)])
    .where('players.user_id', '=', a.userId),
);

/** A crew as it stands, for reads (nothing locked). */
export async function readCrew(db: RegionDb, userId: string): Promise<Crew | undefined> {
  const row = await crewRow.first(db, { userId });
  return row ? toCrew(row as CrewRow) : undefined;
}

/** Who a new pilot is and what it starts with: a player on first play, or an NPC the jobs create. */
export interface PilotSpawn {
  userId: string;
  name: string;
  sectorId: number;
  regionId: number;
  hull: HullId;
  fighters: number;
  /** through the ledger, with this reason */
  credits: number;
  reason: string;
  ref?: Record<string, unknown>;
  npc: boolean;
  /** the turn pool starts full, counting from here */
  turnsAnchor: Date;
  /** remember the start sector (players explore; NPCs keep no known space) */
  remember: boolean;
}

/**
 * Put a new pilot in the world: its ship, its row with a full turn pool, its credits through
 * the ledger. Safe to race: the loser's insert is a no-op (it waits on the winner's row, then
 * drops its own ship). True when this call created it.
 */
export async function spawnPilot(trx: RegionTrx, spawn: PilotSpawn): Promise<boolean> {
  const hull = HULLS[spawn.hull];
  const ship = await trx
    .insertInto('ships')
    .values({
      owner_user_id: spawn.userId,
      region_id: spawn.regionId,
      hull: hull.id,
      holds: hull.holds,
      fighters: spawn.fighters,
      shields: hull.startingShields,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pilot = await trx
    .insertInto('players')
    .values({
      user_id: spawn.userId,
      region_id: spawn.regionId,
      name: spawn.name,
      sector_id: spawn.sectorId,
      ship_id: ship.id,
      credits: 0,
      turns: TURN_POOL.max,
      turns_anchor_at: spawn.turnsAnchor,
      npc: spawn.npc,
    })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (!pilot) {
    await trx.deleteFrom('ships').where('id', '=', ship.id).execute();
    return false;
  }
  await applyChanges(trx, startingChanges(spawn));
  return true;
}

/** What an account's pilot starts with on first play (game/catalog/new-pilot.ts), in its start sector. */
export function newPilotSpawn(userId: string, name: string, start: { id: number; region_id: number }, credits: number = NEW_PILOT.credits): PilotSpawn {
  return {
    userId,
    name,
    sectorId: start.id,
    regionId: start.region_id,
    hull: NEW_PILOT.hullId,
    fighters: NEW_PILOT.fighters,
    credits,
    reason: 'starting_credits',
    npc: false,
    turnsAnchor: new Date(),
    remember: true,
  };
}

/** An account's pilot on first play: sector 1, a Light Freighter and the starting credits. */
export async function createPilot(trx: RegionTrx, userId: string, name: string, credits?: number): Promise<void> {
  const start = await trx.selectFrom('sectors').select(['id', 'region_id']).where('id', '=', NEW_PILOT.sectorId).executeTakeFirst();
  if (!start) throw new Problem('universe_missing');
  await spawnPilot(trx, newPilotSpawn(userId, name, start, credits));
}

/** A read found no pilot for the account: it has not played yet (the caller creates it and tries again). */
export class PilotMissing extends Error {
  constructor(readonly userId: string) {
    super(`no pilot for ${userId} yet`);
    this.name = 'PilotMissing';
  }
}

/** The name a new pilot flies under: its account's username, read from the accounts database. */
async function pilotName(accounts: AccountDb, userId: string): Promise<string> {
  const user = await accounts.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
  if (!user) throw new Problem('invalid_token', { detail: 'The account no longer exists' });
  return user.username;
}

/** What creating a pilot reads: both databases, and the config when the caller has it (NEW_PILOT_CREDITS). */
type PilotDbs = { accounts: AccountDb; region: RegionDb; config?: { newPilotCredits?: number | undefined }; regional?: Regional | undefined };

/**
 * Make sure the account has a pilot (creating it on first play). In multi-regional mode only the
 * start region creates one, and only for an account that lives nowhere yet (world/homes.ts).
 */
export async function ensurePilot(dbs: PilotDbs, userId: string): Promise<void> {
  const name = await pilotName(dbs.accounts, userId);
  if (dbs.regional) await placeNewPilot({ accounts: dbs.accounts, region: dbs.region, regional: dbs.regional }, userId);
  await dbs.region.transaction().execute((trx) => createPilot(trx, userId, name, dbs.config?.newPilotCredits));
}

/** The crew of an account, created on the first call after registering. */
export async function crewOf(dbs: PilotDbs, userId: string): Promise<Crew> {
  const crew = await readCrew(dbs.region, userId);
  if (crew) return crew;
  await ensurePilot(dbs, userId);
  return (await readCrew(dbs.region, userId))!;
}

/** Run `work`, creating the pilot and running it again if it found none (an account's first action). */
export async function withPilot<T>(dbs: PilotDbs, userId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof PilotMissing)) throw err;
    await ensurePilot(dbs, userId);
    return work();
  }
}

/** A scene read for an action, or PilotMissing when the account has no pilot yet. */
export function present<T>(scene: T | undefined, userId: string): T {
  if (scene === undefined) throw new PilotMissing(userId);
  return scene;
}

/** Crews by user id, in id order; with `lock`, locked for an action (see crewsCte). */
export async function crewsOf(db: RegionDb, userIds: readonly string[], options: { lock: boolean }): Promise<Crew[]> {
  const st = new Statement();
  const rows = await runStatement<CrewRow>(db, `with ${crewsCte(st, userIds, options)} select * from crews`, st.params);
  return rows.map(toCrew);
}
