import { sql } from 'kysely';
import { HULLS, type HullId } from '../../game/catalog/hulls.js';
import { NEW_PILOT } from '../../game/catalog/new-pilot.js';
import { TURN_POOL } from '../../game/catalog/turns.js';
import { maxTurnsFor, regenTurns, spendTurns, type TurnRegen } from '../../game/turns.js';
import type { Trx } from '../../platform/actions.js';
import type { Db } from '../../platform/db/database.js';
import type { Player, Ship } from '../../platform/db/schema.js';
import { prepared } from '../../platform/db/prepared.js';
import { Problem } from '../../platform/errors.js';
import { changeCredits } from '../../platform/ledger.js';

export interface Pilot {
  player: Player;
  ship: Ship;
}

export function turnRegen(experience: number, timeScale: number): TurnRegen {
  return { max: maxTurnsFor(experience), perDay: TURN_POOL.perDay, timeScale };
}

export function hullOf(ship: Pick<Ship, 'hull'>) {
  const hull = HULLS[ship.hull as HullId];
  if (!hull) throw new Error(`unknown hull ${ship.hull}`);
  return hull;
}

export function cargoUsed(ship: Ship): number {
  return ship.cargo_ore + ship.cargo_organics + ship.cargo_equipment + ship.cargo_colonists;
}

/**
 * A pilot is created the first time an account plays: sector 1, a Light Freighter, the starting
 * credits (through the ledger) and a full turn pool. Safe to race: the loser's insert is a no-op
 * (it waits on the winner's row, then drops its own ship).
 */
async function createPilot(trx: Trx, userId: string): Promise<void> {
  const user = await trx.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
  if (!user) throw new Problem(401, 'invalid_token', 'The account no longer exists');
  const start = await trx.selectFrom('sectors').select(['id', 'region_id']).where('id', '=', NEW_PILOT.sectorId).executeTakeFirst();
  if (!start) throw new Problem(503, 'universe_missing', 'No galaxy has been generated yet');
  const hull = HULLS[NEW_PILOT.hullId];
  const ship = await trx
    .insertInto('ships')
    .values({ owner_user_id: userId, region_id: start.region_id, hull: hull.id, holds: hull.holds, fighters: NEW_PILOT.fighters, shields: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const player = await trx
    .insertInto('players')
    .values({
      user_id: userId,
      region_id: start.region_id,
      name: user.username,
      sector_id: start.id,
      ship_id: ship.id,
      credits: 0,
      turns: TURN_POOL.max,
      turns_anchor_at: new Date(),
    })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (!player) {
    await trx.deleteFrom('ships').where('id', '=', ship.id).execute();
    return;
  }
  await changeCredits(trx, userId, NEW_PILOT.credits, 'starting_credits');
  await markKnown(trx, userId, start.id);
}

const SHIP_COLUMNS = [
  'id',
  'owner_user_id',
  'region_id',
  'hull',
  'holds',
  'fighters',
  'shields',
  'cargo_ore',
  'cargo_organics',
  'cargo_equipment',
  'cargo_colonists',
  'created_at',
] as const satisfies readonly (keyof Ship)[];

const pilotQuery = (db: Db, userId: string) =>
  db
    .selectFrom('players')
    .innerJoin('ships', 'ships.id', 'players.ship_id')
    .selectAll('players')
    .select(SHIP_COLUMNS.map((column) => `ships.${column} as ship_${column}` as const))
    .where('players.user_id', '=', userId);
const pilotRow = prepared((db, a: { userId: string }) => pilotQuery(db, a.userId));
const lockedPilotRow = prepared((db, a: { userId: string }) => pilotQuery(db, a.userId).forUpdate());

/** The pilot and ship in one round trip, optionally locked (player row first, then ship). */
async function selectPilot(db: Db | Trx, userId: string, lock: boolean): Promise<Pilot | undefined> {
  const row = await (lock ? lockedPilotRow : pilotRow).first(db, { userId });
  if (!row) return undefined;
  const record = row as unknown as Record<string, unknown>;
  const ship = Object.fromEntries(SHIP_COLUMNS.map((column) => [column, record[`ship_${column}`]])) as unknown as Ship;
  const player = Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith('ship_') || key === 'ship_id')) as unknown as Player;
  return { player, ship };
}

/** Lock the pilot's rows for an action (player, then ship), creating the pilot on first play. */
export async function lockPilot(trx: Trx, userId: string): Promise<Pilot> {
  const pilot = await selectPilot(trx, userId, true);
  if (pilot) return pilot;
  await createPilot(trx, userId);
  return (await selectPilot(trx, userId, true))!;
}

/** The pilot as it stands, for reads; created on the first call after registering. */
export async function readPilot(db: Db, userId: string): Promise<Pilot> {
  const pilot = await selectPilot(db, userId, false);
  if (pilot) return pilot;
  await db.transaction().execute((trx) => createPilot(trx, userId));
  return (await selectPilot(db, userId, false))!;
}

const setTurns = prepared((db, a: { userId: string; turns: number; anchor: Date }) =>
  db.updateTable('players').set({ turns: a.turns, turns_anchor_at: a.anchor }).where('user_id', '=', a.userId),
);

/** Spend turns on a locked pilot (regenerating first); 409 insufficient_turns when short. */
export async function spendPilotTurns(trx: Trx, player: Player, cost: number, nowMs: number, timeScale: number): Promise<number> {
  const result = spendTurns({ turns: player.turns, anchorMs: player.turns_anchor_at.getTime() }, cost, nowMs, turnRegen(player.experience, timeScale));
  if ('error' in result) {
    throw new Problem(409, 'insufficient_turns', 'Not enough turns', {
      detail: `Needs ${result.needed}, has ${result.available}.`,
      available: result.available,
      needed: result.needed,
    });
  }
  await setTurns.execute(trx, { userId: player.user_id, turns: result.turns, anchor: new Date(result.anchorMs) });
  player.turns = result.turns;
  player.turns_anchor_at = new Date(result.anchorMs);
  return result.turns;
}

export function currentTurns(player: Player, nowMs: number, timeScale: number) {
  return regenTurns({ turns: player.turns, anchorMs: player.turns_anchor_at.getTime() }, nowMs, turnRegen(player.experience, timeScale));
}

/** Remember a sector; true when this is the first visit. */
export async function markKnown(trx: Trx | Db, userId: string, sectorId: number, snapshot?: unknown): Promise<boolean> {
  const row =
    snapshot === undefined
      ? await rememberSector.first(trx, { userId, sectorId })
      : await rememberSectorAsSeen.first(trx, { userId, sectorId, snapshot: JSON.stringify(snapshot) });
  return row!.inserted;
}

const rememberSector = prepared((db, a: { userId: string; sectorId: number }) =>
  db
    .insertInto('known_sectors')
    .values({ user_id: a.userId, sector_id: a.sectorId, snapshot: null })
    .onConflict((oc) => oc.columns(['user_id', 'sector_id']).doUpdateSet({ last_seen_at: sql`now()` }))
    .returning(sql<boolean>`(xmax = 0)`.as('inserted')),
);
const rememberSectorAsSeen = prepared((db, a: { userId: string; sectorId: number; snapshot: string }) =>
  db
    .insertInto('known_sectors')
    .values({ user_id: a.userId, sector_id: a.sectorId, snapshot: a.snapshot })
    .onConflict((oc) => oc.columns(['user_id', 'sector_id']).doUpdateSet({ last_seen_at: sql`now()`, snapshot: a.snapshot }))
    .returning(sql<boolean>`(xmax = 0)`.as('inserted')),
);
