import { sql } from 'kysely';
import type { EventEnvelope } from '../contract/events.js';
import { noChanges } from '../game/changes.js';
import type { RegionDb } from '../platform/db/database.js';
import { toEnvelope } from '../platform/outbox.js';
import { applyChanges } from '../world/applier.js';
import { crewsOf } from '../world/pilots.js';
import { registerPlayer, type TestApp } from './harness.js';

/** Test set-up shortcuts that go around the API on purpose, keeping the ledger consistent. */

export async function newPilot(t: TestApp) {
  const p = await registerPlayer(t);
  const state = await t.call('GET', '/api/v1/player/state', { token: p.token });
  if (state.status !== 200) throw new Error(`state failed: ${state.status} ${state.text}`);
  return p;
}

export async function placePilot(t: TestApp, userId: string, sectorId: number): Promise<void> {
  await t.region.updateTable('players').set({ sector_id: sectorId }).where('user_id', '=', userId).execute();
  await t.region
    .insertInto('known_sectors')
    .values({ user_id: userId, sector_id: sectorId })
    .onConflict((oc) => oc.columns(['user_id', 'sector_id']).doNothing())
    .execute();
}

export async function setCredits(t: TestApp, userId: string, credits: number): Promise<void> {
  await t.region.transaction().execute(async (trx) => {
    const [crew] = await crewsOf(trx, [userId], { lock: true });
    const changes = noChanges();
    if (crew && crew.pilot.credits !== credits) changes.credits.push({ userId, delta: credits - crew.pilot.credits, reason: 'test_adjustment' });
    await applyChanges(trx, changes);
  });
}

export async function setTurns(t: TestApp, userId: string, turns: number): Promise<void> {
  await t.region.updateTable('players').set({ turns, turns_anchor_at: new Date() }).where('user_id', '=', userId).execute();
}

/** A port (not Earth Station) that sells one good and buys another, with its sector. */
export async function findTradingPort(t: TestApp) {
  const rows = await t.region
    .selectFrom('ports')
    .innerJoin('port_goods as s', (j) => j.onRef('s.port_id', '=', 'ports.id').on('s.mode', '=', 'sell'))
    .innerJoin('port_goods as b', (j) => j.onRef('b.port_id', '=', 'ports.id').on('b.mode', '=', 'buy'))
    .select(['ports.id', 'ports.sector_id', 's.good as sells', 'b.good as buys'])
    .where((eb) => eb.between('ports.port_class', 1, 8))
    .orderBy('ports.id')
    .limit(1)
    .execute();
  const row = rows[0];
  if (!row) throw new Error('no port that both sells and buys in the test galaxy');
  return row;
}

export async function portStock(t: TestApp, portId: number, good: string): Promise<number> {
  const row = await t.region.selectFrom('port_goods').select('stock').where('port_id', '=', portId).where('good', '=', good).executeTakeFirstOrThrow();
  return row.stock;
}

/** Pilots whose balance differs from the sum of their ledger: must always be empty. */
export async function ledgerMismatches(t: TestApp): Promise<Array<{ user_id: string; credits: number; ledger: number }>> {
  const result = await sql<{ user_id: string; credits: number; ledger: number }>`
    select p.user_id, p.credits, coalesce(sum(l.delta), 0)::bigint as ledger
    from players p left join credit_ledger l on l.user_id = p.user_id
    group by p.user_id, p.credits
    having p.credits <> coalesce(sum(l.delta), 0)`.execute(t.region);
  return result.rows;
}

/** Freeze a port good's clock so drift adds nothing during a test. */
export async function freezePortGood(t: TestApp, portId: number, good: string, stock: number): Promise<void> {
  await t.region.updateTable('port_goods').set({ stock, anchor_at: new Date() }).where('port_id', '=', portId).where('good', '=', good).execute();
}

/**
 * Outbox rows written directly, as a committed action would leave them (the probes of job and
 * relay tests carry their own types, outside the event catalog).
 */
export async function recordEvents(db: RegionDb, events: Array<{ topic: string; type: string; data: Record<string, unknown> }>): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  const rows = await db
    .insertInto('outbox')
    .values(events.map((e) => ({ topic: e.topic, type: e.type, data: JSON.stringify(e.data) })))
    .returning(['id', 'topic', 'type', 'data', 'created_at'])
    .execute();
  return rows.map(toEnvelope);
}

/** Set what a ship carries (fighters, shields, cargo, hull, holds) for a test; credits go through setCredits. */
export async function setShip(
  t: TestApp,
  userId: string,
  ship: Partial<{ hull: string; holds: number; fighters: number; shields: number; ore: number; organics: number; equipment: number; colonists: number }>,
): Promise<void> {
  const player = await t.region.selectFrom('players').select('ship_id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  const { ore, organics, equipment, colonists, ...rest } = ship;
  await t.region
    .updateTable('ships')
    .set({
      ...rest,
      ...(ore !== undefined ? { cargo_ore: ore } : {}),
      ...(organics !== undefined ? { cargo_organics: organics } : {}),
      ...(equipment !== undefined ? { cargo_equipment: equipment } : {}),
      ...(colonists !== undefined ? { cargo_colonists: colonists } : {}),
    })
    .where('id', '=', player.ship_id)
    .execute();
}

/** Make a pilot older than new-pilot protection lasts (its row's creation time moved back). */
export async function agePilot(t: TestApp, userId: string, hours: number): Promise<void> {
  await sql`update players set created_at = ${new Date(Date.now() - hours * 3_600_000).toISOString()}::timestamptz where user_id = ${userId}::uuid`.execute(
    t.region,
  );
}

/** The Stardock's sector. */
export async function stardockSector(t: TestApp): Promise<number> {
  const row = await t.region.selectFrom('ports').select('sector_id').where('port_class', '=', 9).executeTakeFirstOrThrow();
  return row.sector_id;
}

/** A sector outside FedSpace with a two-way warp to another one outside it. */
export async function frontierPair(t: TestApp): Promise<{ sector: number; neighbour: number }> {
  const rows = await sql<{ sector: number; neighbour: number }>`
    select w.from_sector_id as sector, w.to_sector_id as neighbour from warps w
    join sectors a on a.id = w.from_sector_id join sectors b on b.id = w.to_sector_id
    where not a.fedspace and not b.fedspace and exists (select 1 from warps back where back.from_sector_id = w.to_sector_id and back.to_sector_id = w.from_sector_id)
    order by w.from_sector_id, w.to_sector_id limit 1`.execute(t.region);
  if (!rows.rows[0]) throw new Error('no frontier pair in the test galaxy');
  return rows.rows[0];
}
