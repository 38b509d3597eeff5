import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type GatePayload, decideGateDeparture, gateArrived, gateFinalized, gateRolledBack } from '../game/gate.js';
import type { Hop } from '../game/movement.js';
import type { GameTime } from '../game/pilot.js';
import type { Config } from '../platform/config.js';
import { type AccountDb, isDatabaseUnreachable, type RegionDb, type RegionTrx } from '../platform/db/database.js';
import { Problem } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { OutboxPublisher } from '../platform/outbox.js';
import { type Regional, type RegionEntry, type RegionLink, regionLink } from '../platform/regional.js';
import { type ActionKey, type ActionPlan, runAction } from '../world/action.js';
import { applyChanges } from '../world/applier.js';
import { type CrewRow, crewsCte, present, toCrew } from '../world/pilots.js';
import { runStatement, Statement } from '../world/statement.js';
import { moveHome } from '../world/homes.js';

/**
 * The gate hand-off between region shards (issue 20): a resumable, idempotent transfer.
 *
 * 1. depart — the source (A) freezes pilot and ship and writes the `out` transfer, pending, in
 *    one action (the same core and applier as every other action);
 * 2. apply — the target (B) writes its `in` row once per transfer id, and with it the pilot, the
 *    ship and the credits (`gate_arrival` in B's ledger), in one transaction;
 * 3. home — the nexus's pilot home moves forward to B;
 * 4. finalize — A debits the credits (`gate_departure`), settles the transfer and removes the rows.
 *
 * Any process can drive any step again: a crash leaves the transfer pending in A, and the
 * sweeper (jobs/gate-sweeper.ts) drives it on from where it stopped. The target refusing (its
 * region stopped, the sector gone) writes a `refused` tombstone in B before A rolls back, so a
 * late apply of the same transfer finds it and cannot land the pilot twice. While B cannot be
 * reached nothing is decided: the pilot waits, in transit, until B answers.
 */
export interface GateDeps {
  region: RegionDb;
  accounts: AccountDb;
  outbox: OutboxPublisher;
  logger: Logger;
  config: Pick<Config, 'regions'>;
  regional?: Regional;
}

export type TransferState = 'arrived' | 'in_transit' | 'rolled_back';

export interface GateAnswer {
  status: 200 | 202;
  body: { hop: Hop; transfer: { id: string; state: TransferState }; region: RegionLink; sector_id: number };
}

/** The step at which the fault-proof tests kill the driving process (GATE_FAULT; never in production). */
function fault(deps: GateDeps, step: NonNullable<Config['regions']['fault']>): void {
  if (deps.config.regions.fault === step) process.kill(process.pid, 'SIGKILL');
}

function regional(deps: GateDeps): Regional {
  if (!deps.regional) throw new Error('a gate hand-off needs multi-regional mode');
  return deps.regional;
}

const RANGES_TTL_MS = 30_000;
let ranges: { db: RegionDb; at: number; rows: Array<{ id: number; first: number; last: number }> } | undefined;

/** The region a sector belongs to, from the shard's own list of every region's extent. */
export async function regionOfSector(db: RegionDb, sectorId: number): Promise<number | undefined> {
  if (!ranges || ranges.db !== db || Date.now() - ranges.at > RANGES_TTL_MS) {
    const rows = await db.selectFrom('regions').select(['id', 'first_sector_id as first', 'last_sector_id as last']).execute();
    ranges = { db, at: Date.now(), rows };
  }
  return ranges.rows.find((r) => sectorId >= r.first && sectorId <= r.last)?.id;
}

/** Whether a move to `to` leaves this shard: the sector is in a region another shard serves. */
export async function leavesShard(deps: Pick<GateDeps, 'region' | 'regional'>, to: number): Promise<number | undefined> {
  if (!deps.regional) return undefined;
  const regionId = await regionOfSector(deps.region, to);
  if (regionId === undefined || regionId === deps.regional.self.id) return undefined;
  return (await deps.regional.shards.isElsewhere(regionId)) ? regionId : undefined;
}

type DepartRow = CrewRow & { moves: number; transit_id: string | null; warp_out: boolean; warp_back: boolean; gate: boolean | null };

function departPlan(
  userId: string,
  to: number,
  target: RegionEntry,
  transferId: string,
  at: GameTime,
): ActionPlan<{ row: DepartRow }, ReturnType<typeof decideGateDeparture> extends infer D ? (D extends { outcome: infer O } ? O : never) : never> {
  return {
    async read(trx) {
      const st = new Statement();
      const actor = st.value(userId);
      const target = st.value(to);
      const [row] = await runStatement<DepartRow>(
        trx,
        `with ${crewsCte(st, [userId])}
        select crews.*, p.moves, p.transit_id,
          exists(select 1 from warps where from_sector_id = crews.sector_id and to_sector_id = ${target}::int) as warp_out,
          exists(select 1 from warps where from_sector_id = ${target}::int and to_sector_id = crews.sector_id) as warp_back,
          (select gate from warps where from_sector_id = crews.sector_id and to_sector_id = ${target}::int) as gate
        from crews join players p on p.user_id = crews.user_id where crews.user_id = ${actor}::uuid`,
        st.params,
      );
      return { row: present(row, userId) };
    },
    decide: ({ row }) =>
      decideGateDeparture(
        toCrew(row),
        to,
        {
          warp: row.warp_out ? 'out' : row.warp_back ? 'back_only' : 'none',
          toRegionId: target.id,
          known: false,
          snapshot: null,
          gate: row.gate === true,
          moves: row.moves,
          inTransit: row.transit_id !== null,
        },
        { transferId, toRegionSlug: target.slug },
        at,
      ),
    respond: (_scene, outcome) => ({
      status: 202,
      body: { hop: outcome.hop, transfer: { id: transferId, state: 'in_transit' }, region: regionLink(target), sector_id: to } satisfies GateAnswer['body'],
    }),
  };
}

/**
 * A player's move through a gate into another shard: depart, then drive the hand-off at once.
 * The answer is 200 when the pilot arrived, 202 while it is still crossing (the target could not
 * be reached: the sweeper finishes it), and a 503 problem when the target refused and the
 * pilot is back where it was. A retry with the same Idempotency-Key drives the same transfer.
 */
export async function crossGate(deps: GateDeps, userId: string, to: number, toRegionId: number, at: GameTime, key?: ActionKey): Promise<GateAnswer> {
  const target = await regional(deps).shards.entry(toRegionId);
  const departed = await runAction(deps, departPlan(userId, to, target, randomUUID(), at), key ? { key } : {});
  const body = JSON.parse(departed.text) as GateAnswer['body'];
  fault(deps, 'after_depart');
  const state = await driveTransfer(deps, body.transfer.id);
  if (state === 'rolled_back') {
    throw new Problem('region_unavailable', {
      detail: `${target.name} refused the crossing; your pilot is back in sector ${body.hop.from} with everything it carried`,
    });
  }
  return { status: state === 'arrived' ? 200 : 202, body: { ...body, transfer: { id: body.transfer.id, state } } };
}

/** Drive an outgoing transfer of this shard as far as it can go now. Idempotent; any process may call it. */
export async function driveTransfer(deps: GateDeps, transferId: string): Promise<TransferState> {
  const row = await deps.region
    .selectFrom('gate_transfers')
    .select(['state', 'payload'])
    .where('id', '=', transferId)
    .where('direction', '=', 'out')
    .executeTakeFirst();
  if (!row) throw new Error(`no outgoing transfer ${transferId}`);
  if (row.state === 'done') return 'arrived';
  if (row.state === 'rolled_back') return 'rolled_back';
  const payload = row.payload as GatePayload;
  const { shards } = regional(deps);
  let applied: 'applied' | 'refused';
  try {
    const target = await shards.entry(payload.toRegionId);
    applied = await applyArrival(await shards.db(payload.toRegionId), target, payload);
  } catch (err) {
    if (!isDatabaseUnreachable(err)) throw err;
    await deps.region
      .updateTable('gate_transfers')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), updated_at: new Date() }))
      .where('id', '=', transferId)
      .execute();
    deps.logger.warn(
      { transfer_id: transferId, to_region_id: payload.toRegionId, err: (err as Error).message },
      'gate: target region unreachable; the sweeper will retry',
    );
    return 'in_transit';
  }
  fault(deps, 'after_apply');
  if (applied === 'refused') {
    await settle(deps, payload, 'rolled_back');
    return 'rolled_back';
  }
  await moveHome(deps.accounts, payload.userId, payload.toRegionId, payload.moves);
  fault(deps, 'after_home');
  await settle(deps, payload, 'done');
  fault(deps, 'after_finalize');
  return 'arrived';
}

/**
 * The target's side: the `in` row, once per transfer id, and with it the pilot's rows and
 * credits; or a `refused` tombstone when this region will not take it. The answer is whatever
 * the row says, so a second call (a retry, the sweeper) answers what the first one decided.
 */
export async function applyArrival(db: RegionDb, self: RegionEntry, payload: GatePayload): Promise<'applied' | 'refused'> {
  return db.transaction().execute(async (trx) => {
    const sector = await trx.selectFrom('sectors').select('id').where('id', '=', payload.toSectorId).executeTakeFirst();
    const decided = self.state === 'active' && sector ? 'applied' : 'refused';
    const inserted = await trx
      .insertInto('gate_transfers')
      .values({
        id: payload.transferId,
        direction: 'in',
        user_id: payload.userId,
        from_region_id: payload.fromRegionId,
        to_region_id: payload.toRegionId,
        state: decided,
        payload: JSON.stringify(payload),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx.selectFrom('gate_transfers').select('state').where('id', '=', payload.transferId).executeTakeFirstOrThrow();
      return existing.state === 'applied' ? 'applied' : 'refused';
    }
    if (decided === 'refused') return 'refused';
    // Coming back before this shard finalized the pilot's earlier departure: that one was applied
    // where the pilot comes from (it has been flying there), so it is finalized here first.
    const earlier = await trx
      .selectFrom('gate_transfers')
      .select('payload')
      .where('user_id', '=', payload.userId)
      .where('direction', '=', 'out')
      .where('state', '=', 'pending')
      .forUpdate()
      .execute();
    for (const e of earlier) await finalizeIn(trx, e.payload as GatePayload);
    await trx
      .insertInto('ships')
      .values({
        id: payload.ship.id,
        owner_user_id: payload.userId,
        region_id: payload.toRegionId,
        hull: payload.ship.hull,
        holds: payload.ship.holds,
        fighters: payload.ship.fighters,
        shields: payload.ship.shields,
        mines: payload.ship.mines,
        genesis_torpedoes: payload.ship.genesisTorpedoes,
        cargo_ore: payload.ship.cargo.ore,
        cargo_organics: payload.ship.cargo.organics,
        cargo_equipment: payload.ship.cargo.equipment,
        cargo_colonists: payload.ship.cargo.colonists,
      } as never)
      .execute();
    await trx
      .insertInto('players')
      .values({
        user_id: payload.userId,
        region_id: payload.toRegionId,
        name: payload.name,
        sector_id: payload.toSectorId,
        ship_id: payload.ship.id,
        credits: 0,
        turns: payload.turns.turns,
        turns_anchor_at: new Date(payload.turns.anchorMs),
        experience: payload.experience,
        alignment: payload.alignment,
        came_from: payload.fromSectorId,
        moves: payload.moves,
      })
      .execute();
    await applyChanges(trx, gateArrived(payload, self.slug, null));
    return 'applied';
  });
}

/** Finalize or roll back an outgoing transfer, once: the transfer row is locked and must still be pending. */
async function settle(deps: GateDeps, payload: GatePayload, to: 'done' | 'rolled_back'): Promise<void> {
  const envelopes = await deps.region.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('gate_transfers').select('state').where('id', '=', payload.transferId).forUpdate().executeTakeFirstOrThrow();
    if (row.state !== 'pending') return [];
    if (to === 'done') return finalizeIn(trx, payload);
    return (await applyChanges(trx, gateRolledBack(payload, regional(deps).self.slug))).envelopes;
  });
  await deps.outbox.publish(envelopes);
}

/** The pilot has left this shard: its credits out through the ledger, the transfer done, its rows gone. */
async function finalizeIn(trx: RegionTrx, payload: GatePayload) {
  const { envelopes } = await applyChanges(trx, gateFinalized(payload));
  await trx.deleteFrom('players').where('user_id', '=', payload.userId).where('transit_id', 'is', null).execute();
  await trx.deleteFrom('ships').where('id', '=', payload.ship.id).where('transit_id', 'is', null).execute();
  return envelopes;
}

/** The sweeper's pass: every outgoing transfer pending longer than `olderThanMs`, driven on. */
export async function sweepTransfers(deps: GateDeps, olderThanMs: number, limit = 200): Promise<Record<TransferState, number>> {
  const { rows } = await sql<{ id: string }>`
    select id from gate_transfers where direction = 'out' and state = 'pending' and updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
    order by created_at limit ${limit}`.execute(deps.region);
  const counts: Record<TransferState, number> = { arrived: 0, in_transit: 0, rolled_back: 0 };
  for (const { id } of rows) counts[await driveTransfer(deps, id)]++;
  return counts;
}
