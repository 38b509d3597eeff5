import { sql } from 'kysely';
import { changeCredits } from '../platform/ledger.js';
import { registerPlayer, type TestApp } from './harness.js';

/** Test set-up shortcuts that go around the API on purpose, keeping the ledger consistent. */

export async function newPilot(t: TestApp) {
  const p = await registerPlayer(t);
  const state = await t.call('GET', '/api/v1/player/state', { token: p.token });
  if (state.status !== 200) throw new Error(`state failed: ${state.status} ${state.text}`);
  return p;
}

export async function placePilot(t: TestApp, userId: string, sectorId: number): Promise<void> {
  await t.db.updateTable('players').set({ sector_id: sectorId }).where('user_id', '=', userId).execute();
  await t.db
    .insertInto('known_sectors')
    .values({ user_id: userId, sector_id: sectorId })
    .onConflict((oc) => oc.columns(['user_id', 'sector_id']).doNothing())
    .execute();
}

export async function setCredits(t: TestApp, userId: string, credits: number): Promise<void> {
  await t.db.transaction().execute(async (trx) => {
    const { credits: current } = await trx.selectFrom('players').select('credits').where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    if (current !== credits) await changeCredits(trx, userId, credits - current, 'test_adjustment');
  });
}

export async function setTurns(t: TestApp, userId: string, turns: number): Promise<void> {
  await t.db.updateTable('players').set({ turns, turns_anchor_at: new Date() }).where('user_id', '=', userId).execute();
}

/** A port (not Earth Station) that sells one good and buys another, with its sector. */
export async function findTradingPort(t: TestApp) {
  const rows = await t.db
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
  const row = await t.db.selectFrom('port_goods').select('stock').where('port_id', '=', portId).where('good', '=', good).executeTakeFirstOrThrow();
  return row.stock;
}

/** Pilots whose balance differs from the sum of their ledger: must always be empty. */
export async function ledgerMismatches(t: TestApp): Promise<Array<{ user_id: string; credits: number; ledger: number }>> {
  const result = await sql<{ user_id: string; credits: number; ledger: number }>`
    select p.user_id, p.credits, coalesce(sum(l.delta), 0)::bigint as ledger
    from players p left join credit_ledger l on l.user_id = p.user_id
    group by p.user_id, p.credits
    having p.credits <> coalesce(sum(l.delta), 0)`.execute(t.db);
  return result.rows;
}

/** Freeze a port good's clock so drift adds nothing during a test. */
export async function freezePortGood(t: TestApp, portId: number, good: string, stock: number): Promise<void> {
  await t.db.updateTable('port_goods').set({ stock, anchor_at: new Date() }).where('port_id', '=', portId).where('good', '=', good).execute();
}
