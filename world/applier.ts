import type { EventEnvelope } from '../contract/events.js';
import type { HullId } from '../game/catalog/hulls.js';
import type { Cargo } from '../game/pilot.js';
import type { GateTransferChange } from '../game/gate.js';
import type {
  ChangeSet,
  CombatLogRecord,
  CreditEntry,
  DefenseChange,
  KnownSectorChange,
  PilotChange,
  PlanetChange,
  PortGoodChange,
  ShipChange,
  WreckChange,
} from '../game/changes.js';
import type { RegionTrx } from '../platform/db/database.js';
import { envelopesFor } from '../platform/outbox.js';
import { ledgerRows } from './ledger.js';
import { runStatement, Statement } from './statement.js';

/** The response an action stores under its Idempotency-Key, in the same statement as its changes. */
export interface StoredResponse {
  userId: string;
  key: string;
  requestHash: string;
  status: number;
  text: string;
}

export interface Applied {
  /** false when another request already committed this Idempotency-Key: roll back and replay it */
  claimed: boolean;
  envelopes: EventEnvelope[];
}

export interface WriteStatement {
  text: string;
  params: unknown[];
}

/**
 * The one applier: every change set, whoever decided it (a player, an NPC, an admin tool, a
 * region transfer), is written by this one statement. Each table's rows are merged first (one
 * UPDATE per row: deltas added, the last value set wins), then written as data-modifying CTEs of
 * a single statement: pilots, ships, port goods, the ledger rows of every credit change, known
 * sectors, the outbox events, and the idempotent response. The rows were locked by the action's
 * read, in id order; CHECK constraints hold the invariants whatever a rule computed.
 */
export async function applyChanges(trx: RegionTrx, changes: ChangeSet, stored?: StoredResponse): Promise<Applied> {
  const statement = changeStatement(changes, stored);
  if (!statement) return { claimed: true, envelopes: [] };
  const [row] = await runStatement<{ claimed: boolean; events: Array<{ id: number; at: string }> }>(trx, statement.text, statement.params);
  return { claimed: row!.claimed, envelopes: envelopesFor(changes.events, row!.events) };
}

/** The applier's statement for a change set, or null when there is nothing to write. */
export function changeStatement(changes: ChangeSet, stored?: StoredResponse): WriteStatement | null {
  const st = new Statement();
  const ctes: string[] = [];
  const pilots = mergePilots(changes.pilots, changes.credits);
  if (pilots.length > 0) ctes.push(pilotsCte(st, pilots));
  const ships = mergeShips(changes.ships);
  if (ships.length > 0) ctes.push(shipsCte(st, ships));
  const goods = lastPerKey(changes.portGoods, (g) => `${g.portId}:${g.good}`);
  if (goods.length > 0) ctes.push(portGoodsCte(st, goods));
  if (changes.credits.length > 0) ctes.push(ledgerRows(st, changes.credits, 'changed_pilots'));
  const known = mergeKnown(changes.knownSectors);
  if (known.length > 0) ctes.push(knownCte(st, known));
  // Logs before wrecks: a wreck names the engagement that left it.
  if (changes.combatLogs.length > 0) ctes.push(combatLogsCte(st, changes.combatLogs));
  ctes.push(...wrecksCtes(st, changes.wrecks));
  ctes.push(...defensesCtes(st, changes.defenses));
  ctes.push(...planetsCtes(st, changes.planets));
  if (changes.transfers?.length) ctes.push(transfersCte(st, changes.transfers));
  if (changes.events.length > 0) ctes.push(outboxCte(st, changes));
  if (stored) ctes.push(responseCte(st, stored));
  if (ctes.length === 0) return null;

  const claimed = stored ? '(select count(*) from stored_response) = 1' : 'true';
  const events =
    changes.events.length > 0 ? "coalesce((select json_agg(json_build_object('id', id, 'at', created_at) order by id) from events), '[]'::json)" : "'[]'::json";
  return { text: `with ${ctes.join(',\n')}\nselect ${claimed} as claimed, ${events} as events`, params: st.params };
}

interface MergedPilot {
  userId: string;
  credits: number;
  turns: { turns: number; anchorMs: number } | null;
  experience: number;
  alignment: number;
  position: { sectorId: number; regionId: number } | null;
  cameFrom: number | null;
  /** set when a change landed or took off (null: took off); unset, a change of sector takes off */
  landed: { planetId: number | null } | null;
  transit: { id: string | null } | null;
}

/** One row per pilot: every credit entry summed into it, so each ledger row can read its balance. */
function mergePilots(changes: PilotChange[], credits: CreditEntry[]): MergedPilot[] {
  const byId = new Map<string, MergedPilot>();
  const row = (userId: string) => {
    let merged = byId.get(userId);
    if (!merged)
      byId.set(
        userId,
        (merged = { userId, credits: 0, turns: null, experience: 0, alignment: 0, position: null, cameFrom: null, landed: null, transit: null }),
      );
    return merged;
  };
  for (const change of changes) {
    const merged = row(change.userId);
    if (change.turns) merged.turns = change.turns;
    merged.experience += change.experience ?? 0;
    merged.alignment += change.alignment ?? 0;
    if (change.position) merged.position = change.position;
    if (change.cameFrom !== undefined) merged.cameFrom = change.cameFrom;
    if (change.landed !== undefined) merged.landed = change.landed;
    if (change.transit !== undefined) merged.transit = change.transit;
  }
  for (const entry of credits) {
    if (!Number.isSafeInteger(entry.delta)) throw new RangeError(`credit delta must be a safe integer, got ${entry.delta}`);
    row(entry.userId).credits += entry.delta;
  }
  return [...byId.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1));
}

function pilotsCte(st: Statement, pilots: MergedPilot[]): string {
  const rows = pilots.map((p, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    return `(${st.value(p.userId)}${cast('uuid')}, ${st.value(p.credits)}${cast('bigint')}, ${st.value(p.turns?.turns ?? null)}${cast('int')}, ${st.value(
      p.turns ? new Date(p.turns.anchorMs).toISOString() : null,
    )}${cast('timestamptz')}, ${st.value(p.experience)}${cast('int')}, ${st.value(p.alignment)}${cast('int')}, ${st.value(p.position?.sectorId ?? null)}${cast(
      'int',
    )}, ${st.value(p.position?.regionId ?? null)}${cast('int')}, ${st.value(p.cameFrom)}${cast('int')}, ${st.value(p.landed ? 1 : 0)}${cast('int')}, ${st.value(
      p.landed?.planetId ?? null,
    )}${cast('bigint')}, ${st.value(p.transit ? 1 : 0)}${cast('int')}, ${st.value(p.transit?.id ?? null)}${cast('uuid')})`;
  });
  return `changed_pilots as (update players set
    credits = players.credits + v.credits,
    turns = coalesce(v.turns, players.turns),
    turns_anchor_at = coalesce(v.turns_anchor_at, players.turns_anchor_at),
    experience = players.experience + v.experience,
    alignment = players.alignment + v.alignment,
    sector_id = coalesce(v.sector_id, players.sector_id),
    region_id = coalesce(v.region_id, players.region_id),
    came_from = coalesce(v.came_from, players.came_from),
    landed_planet_id = case when v.landed_set = 1 then v.landed
      when v.sector_id is not null and v.sector_id <> players.sector_id then null
      else players.landed_planet_id end,
    transit_id = case when v.transit_set = 1 then v.transit_id else players.transit_id end
  from (values ${rows.join(', ')}) as v(user_id, credits, turns, turns_anchor_at, experience, alignment, sector_id, region_id, came_from, landed_set, landed, transit_set, transit_id)
  where players.user_id = v.user_id
  returning players.user_id, players.credits)`;
}

interface MergedShip {
  shipId: number;
  cargo: Cargo;
  fighters: number;
  shields: number;
  holds: number;
  mines: number;
  genesisTorpedoes: number;
  hull: HullId | null;
  regionId: number | null;
  transit: { id: string | null } | null;
}

function mergeShips(changes: ShipChange[]): MergedShip[] {
  const byId = new Map<number, MergedShip>();
  for (const change of changes) {
    let merged = byId.get(change.shipId);
    if (!merged)
      byId.set(
        change.shipId,
        (merged = {
          shipId: change.shipId,
          cargo: { ore: 0, organics: 0, equipment: 0, colonists: 0 },
          fighters: 0,
          shields: 0,
          holds: 0,
          mines: 0,
          genesisTorpedoes: 0,
          hull: null,
          regionId: null,
          transit: null,
        }),
      );
    for (const [good, delta] of Object.entries(change.cargo ?? {}) as [keyof Cargo, number][]) merged.cargo[good] += delta;
    merged.fighters += change.fighters ?? 0;
    merged.shields += change.shields ?? 0;
    merged.holds += change.holds ?? 0;
    merged.mines += change.mines ?? 0;
    merged.genesisTorpedoes += change.genesisTorpedoes ?? 0;
    if (change.hull !== undefined) merged.hull = change.hull;
    if (change.regionId !== undefined) merged.regionId = change.regionId;
    if (change.transit !== undefined) merged.transit = change.transit;
  }
  return [...byId.values()].sort((a, b) => a.shipId - b.shipId);
}

function shipsCte(st: Statement, ships: MergedShip[]): string {
  const rows = ships.map((s, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    const int = (value: number | null) => `${st.value(value)}${cast('int')}`;
    return `(${st.value(s.shipId)}${cast('bigint')}, ${int(s.cargo.ore)}, ${int(s.cargo.organics)}, ${int(s.cargo.equipment)}, ${int(s.cargo.colonists)}, ${int(s.fighters)}, ${int(s.shields)}, ${int(s.holds)}, ${int(s.mines)}, ${int(s.genesisTorpedoes)}, ${st.value(s.hull)}${cast('text')}, ${int(s.regionId)}, ${int(s.transit ? 1 : 0)}, ${st.value(s.transit?.id ?? null)}${cast('uuid')})`;
  });
  return `changed_ships as (update ships set
    cargo_ore = ships.cargo_ore + v.ore,
    cargo_organics = ships.cargo_organics + v.organics,
    cargo_equipment = ships.cargo_equipment + v.equipment,
    cargo_colonists = ships.cargo_colonists + v.colonists,
    fighters = ships.fighters + v.fighters,
    shields = ships.shields + v.shields,
    holds = ships.holds + v.holds,
    mines = ships.mines + v.mines,
    genesis_torpedoes = ships.genesis_torpedoes + v.genesis_torpedoes,
    hull = coalesce(v.hull, ships.hull),
    region_id = coalesce(v.region_id, ships.region_id),
    transit_id = case when v.transit_set = 1 then v.transit_id else ships.transit_id end
  from (values ${rows.join(', ')}) as v(id, ore, organics, equipment, colonists, fighters, shields, holds, mines, genesis_torpedoes, hull, region_id, transit_set, transit_id)
  where ships.id = v.id)`;
}

/**
 * Gate transfers: a new outgoing one (pending) or a pending one settled. Settling only moves a
 * pending row, so a transfer finalized twice, or finalized and rolled back by racing drivers,
 * is settled once: the loser's statement matches no row, and its caller reads the state back.
 */
function transfersCte(st: Statement, transfers: GateTransferChange[]): string {
  const created = transfers.flatMap((t) => (t.create ? [{ id: t.id, ...t.create }] : []));
  const settled = transfers.flatMap((t) => (t.state ? [{ id: t.id, state: t.state }] : []));
  const parts: string[] = [];
  if (created.length > 0) {
    const rows = created.map(
      (t) =>
        `(${st.value(t.id)}::uuid, 'out', ${st.value(t.userId)}::uuid, ${st.value(t.fromRegionId)}::int, ${st.value(t.toRegionId)}::int, 'pending', ${st.value(JSON.stringify(t.payload))}::jsonb)`,
    );
    parts.push(
      `transfers_created as (insert into gate_transfers (id, direction, user_id, from_region_id, to_region_id, state, payload) values ${rows.join(', ')})`,
    );
  }
  if (settled.length > 0) {
    const rows = settled.map((t) => `(${st.value(t.id)}::uuid, ${st.value(t.state)}::text)`);
    parts.push(`transfers_settled as (update gate_transfers set state = v.state, updated_at = now()
  from (values ${rows.join(', ')}) as v(id, state) where gate_transfers.id = v.id and gate_transfers.state = 'pending')`);
  }
  return parts.join(',\n');
}

function portGoodsCte(st: Statement, goods: PortGoodChange[]): string {
  const rows = goods.map((g, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    return `(${st.value(g.portId)}${cast('int')}, ${st.value(g.good)}${cast('text')}, ${st.value(g.stock)}${cast('int')}, ${st.value(new Date(g.anchorMs).toISOString())}${cast('timestamptz')})`;
  });
  return `changed_port_goods as (update port_goods set stock = v.stock, anchor_at = v.anchor_at
  from (values ${rows.join(', ')}) as v(port_id, good, stock, anchor_at)
  where port_goods.port_id = v.port_id and port_goods.good = v.good)`;
}

/** One row per (pilot, sector); a snapshot seen later in the set replaces an earlier one. */
function mergeKnown(changes: KnownSectorChange[]): KnownSectorChange[] {
  const byKey = new Map<string, KnownSectorChange>();
  for (const change of changes) {
    const key = `${change.userId}:${change.sectorId}`;
    const before = byKey.get(key);
    byKey.set(key, { ...change, snapshot: change.snapshot ?? before?.snapshot ?? null });
  }
  return [...byKey.values()];
}

function knownCte(st: Statement, known: KnownSectorChange[]): string {
  const rows = known.map((k, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    return `(${st.value(k.userId)}${cast('uuid')}, ${st.value(k.sectorId)}${cast('int')}, ${st.value(k.snapshot === null ? null : JSON.stringify(k.snapshot))}${cast('jsonb')})`;
  });
  return `known as (insert into known_sectors (user_id, sector_id, snapshot) values ${rows.join(', ')}
  on conflict (user_id, sector_id) do update set last_seen_at = now(), snapshot = coalesce(excluded.snapshot, known_sectors.snapshot))`;
}

function combatLogsCte(st: Statement, logs: CombatLogRecord[]): string {
  const rows = logs.map((l, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    return `(${st.value(l.id)}${cast('uuid')}, ${st.value(l.regionId)}${cast('int')}, ${st.value(l.sectorId)}${cast('int')}, ${st.value(l.attackerUserId)}${cast('uuid')}, ${st.value(
      l.defenderUserId,
    )}${cast('uuid')}, ${st.value(l.attackerName)}${cast('text')}, ${st.value(l.defenderName)}${cast('text')}, ${st.value(l.seed)}${cast('text')}, ${st.value(
      l.result,
    )}${cast('text')}, ${st.value(JSON.stringify(l.detail))}${cast('jsonb')})`;
  });
  return `combat_logged as (insert into combat_logs (id, region_id, sector_id, attacker_user_id, defender_user_id, attacker_name, defender_name, seed, result, detail)
  values ${rows.join(', ')} returning id)`;
}

/** New wrecks (inserted after the log they name) and cargo taken from existing ones (added; CHECKs keep it ≥ 0). */
function wrecksCtes(st: Statement, wrecks: WreckChange[]): string[] {
  const ctes: string[] = [];
  const created = wrecks.flatMap((w) => ('create' in w ? [w.create] : []));
  if (created.length > 0) {
    const rows = created.map((w, i) => {
      const cast = (type: string) => (i === 0 ? `::${type}` : '');
      return `(${st.value(w.id)}${cast('uuid')}, ${st.value(w.regionId)}${cast('int')}, ${st.value(w.sectorId)}${cast('int')}, ${st.value(w.victimName)}${cast(
        'text',
      )}, ${st.value(w.combatLogId)}${cast('uuid')}, ${st.value(w.cargo.ore)}${cast('int')}, ${st.value(w.cargo.organics)}${cast('int')}, ${st.value(
        w.cargo.equipment,
      )}${cast('int')}, ${st.value(w.cargo.colonists)}${cast('int')}, ${st.value(new Date(w.expiresAtMs).toISOString())}${cast('timestamptz')})`;
    });
    // Selected through the logs CTE, so the log row exists when the wreck's reference is checked.
    ctes.push(`wrecks_created as (insert into wrecks (id, region_id, sector_id, victim_name, combat_log_id, cargo_ore, cargo_organics, cargo_equipment, cargo_colonists, expires_at)
  select v.* from (values ${rows.join(', ')}) as v(id, region_id, sector_id, victim_name, combat_log_id, ore, organics, equipment, colonists, expires_at)
  where v.combat_log_id in (select id from combat_logged))`);
  }
  const taken = new Map<string, Cargo>();
  for (const w of wrecks) {
    if ('create' in w) continue;
    const cargo = taken.get(w.id) ?? { ore: 0, organics: 0, equipment: 0, colonists: 0 };
    for (const [good, delta] of Object.entries(w.cargo) as [keyof Cargo, number][]) cargo[good] += delta;
    taken.set(w.id, cargo);
  }
  if (taken.size > 0) {
    const rows = [...taken].map(([id, c], i) => {
      const cast = (type: string) => (i === 0 ? `::${type}` : '');
      const int = (value: number) => `${st.value(value)}${cast('int')}`;
      return `(${st.value(id)}${cast('uuid')}, ${int(c.ore)}, ${int(c.organics)}, ${int(c.equipment)}, ${int(c.colonists)})`;
    });
    ctes.push(`wrecks_salvaged as (update wrecks set
    cargo_ore = wrecks.cargo_ore + v.ore,
    cargo_organics = wrecks.cargo_organics + v.organics,
    cargo_equipment = wrecks.cargo_equipment + v.equipment,
    cargo_colonists = wrecks.cargo_colonists + v.colonists
  from (values ${rows.join(', ')}) as v(id, ore, organics, equipment, colonists)
  where wrecks.id = v.id)`);
  }
  return ctes;
}

/**
 * Deployed stacks: one row per stack id (quantities summed, the last `set` wins). A created stack
 * is an upsert on (sector, owner, kind), so a second deploy adds to the first; the rest are
 * updates. The CHECK keeps every quantity ≥ 0 whatever a rule computed.
 */
function defensesCtes(st: Statement, changes: DefenseChange[]): string[] {
  const byId = new Map<string, DefenseChange>();
  for (const change of changes) {
    const before = byId.get(change.id);
    byId.set(change.id, {
      id: change.id,
      quantity: (before?.quantity ?? 0) + change.quantity,
      ...((change.create ?? before?.create) ? { create: change.create ?? before?.create } : {}),
      ...((change.set ?? before?.set) ? { set: change.set ?? before?.set } : {}),
    });
  }
  const merged = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const ctes: string[] = [];
  const created = merged.filter((d) => d.create);
  if (created.length > 0) {
    const rows = created.map((d, i) => {
      const cast = (type: string) => (i === 0 ? `::${type}` : '');
      const c = d.create!;
      return `(${st.value(d.id)}${cast('uuid')}, ${st.value(c.regionId)}${cast('int')}, ${st.value(c.sectorId)}${cast('int')}, ${st.value(c.ownerUserId)}${cast(
        'uuid',
      )}, ${st.value(c.ownerName)}${cast('text')}, ${st.value(d.set?.teamId ?? null)}${cast('int')}, ${st.value(c.kind)}${cast('text')}, ${st.value(d.quantity)}${cast(
        'int',
      )}, ${st.value(d.set?.mode ?? null)}${cast('text')}, ${st.value(d.set?.toll ?? 0)}${cast('int')})`;
    });
    ctes.push(`defenses_created as (insert into sector_defenses (id, region_id, sector_id, owner_user_id, owner_name, team_id, kind, quantity, mode, toll)
  values ${rows.join(', ')}
  on conflict (sector_id, owner_user_id, kind) do update set quantity = sector_defenses.quantity + excluded.quantity,
    mode = excluded.mode, toll = excluded.toll, team_id = excluded.team_id, updated_at = now())`);
  }
  const updated = merged.filter((d) => !d.create);
  if (updated.length > 0) {
    const rows = updated.map((d, i) => {
      const cast = (type: string) => (i === 0 ? `::${type}` : '');
      return `(${st.value(d.id)}${cast('uuid')}, ${st.value(d.quantity)}${cast('int')}, ${st.value(d.set ? 1 : 0)}${cast('int')}, ${st.value(d.set?.mode ?? null)}${cast(
        'text',
      )}, ${st.value(d.set?.toll ?? 0)}${cast('int')}, ${st.value(d.set?.teamId ?? null)}${cast('int')})`;
    });
    ctes.push(`defenses_changed as (update sector_defenses set
    quantity = sector_defenses.quantity + v.quantity,
    mode = case when v.has_set = 1 then v.mode else sector_defenses.mode end,
    toll = case when v.has_set = 1 then v.toll else sector_defenses.toll end,
    team_id = case when v.has_set = 1 then v.team_id else sector_defenses.team_id end,
    updated_at = now()
  from (values ${rows.join(', ')}) as v(id, quantity, has_set, mode, toll, team_id)
  where sector_defenses.id = v.id)`);
  }
  return ctes;
}

interface MergedPlanet {
  id: number;
  create: NonNullable<PlanetChange['create']> | null;
  stock: { ore: number; organics: number; equipment: number };
  colonists: number;
  fighters: number;
  shields: number;
  ownerUserId: string | null;
  allocation: PlanetChange['allocation'] | null;
  citadel: PlanetChange['citadel'] | null;
  anchorMs: number | null;
}

function mergePlanets(changes: PlanetChange[]): MergedPlanet[] {
  const byId = new Map<number, MergedPlanet>();
  for (const change of changes) {
    let merged = byId.get(change.id);
    if (!merged)
      byId.set(
        change.id,
        (merged = {
          id: change.id,
          create: null,
          stock: { ore: 0, organics: 0, equipment: 0 },
          colonists: 0,
          fighters: 0,
          shields: 0,
          ownerUserId: null,
          allocation: null,
          citadel: null,
          anchorMs: null,
        }),
      );
    if (change.create) merged.create = change.create;
    for (const [good, delta] of Object.entries(change.stock ?? {}) as ['ore' | 'organics' | 'equipment', number][]) merged.stock[good] += delta;
    merged.colonists += change.colonists ?? 0;
    merged.fighters += change.fighters ?? 0;
    merged.shields += change.shields ?? 0;
    if (change.ownerUserId !== undefined) merged.ownerUserId = change.ownerUserId;
    if (change.allocation !== undefined) merged.allocation = change.allocation;
    if (change.citadel !== undefined) merged.citadel = change.citadel;
    if (change.anchorMs !== undefined) merged.anchorMs = change.anchorMs;
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Planets: a created one is inserted with its id (taken from the sequence by the action's read)
 * and whatever the same set put on it; the others are one UPDATE per row, deltas added and
 * values set. The CHECK keeps stock, colonists and fighters ≥ 0 whatever a rule computed.
 */
function planetsCtes(st: Statement, changes: PlanetChange[]): string[] {
  const merged = mergePlanets(changes);
  const ctes: string[] = [];
  const created = merged.filter((p) => p.create);
  if (created.length > 0) {
    const rows = created.map((p, i) => {
      const cast = (type: string) => (i === 0 ? `::${type}` : '');
      const c = p.create!;
      const int = (value: number) => `${st.value(value)}${cast('int')}`;
      return `(${st.value(p.id)}${cast('bigint')}, ${st.value(c.sectorId)}${cast('int')}, ${st.value(c.regionId)}${cast('int')}, ${st.value(c.name)}${cast(
        'text',
      )}, ${st.value(c.planetType)}${cast('text')}, ${st.value(c.ownerUserId)}${cast('uuid')}, ${st.value(new Date(c.anchorMs).toISOString())}${cast(
        'timestamptz',
      )}, ${int(p.colonists)}, ${int(p.fighters)}, ${int(p.shields)}, ${int(p.stock.ore)}, ${int(p.stock.organics)}, ${int(p.stock.equipment)})`;
    });
    ctes.push(`planets_created as (insert into planets (id, sector_id, region_id, name, planet_type, owner_user_id, anchor_at, colonists, fighters, shields, stock_ore, stock_organics, stock_equipment)
  values ${rows.join(', ')})`);
  }
  const updated = merged.filter((p) => !p.create);
  if (updated.length > 0) {
    const rows = updated.map((p, i) => {
      const cast = (type: string) => (i === 0 ? `::${type}` : '');
      const int = (value: number | null) => `${st.value(value)}${cast('int')}`;
      const a = p.allocation;
      const b = p.citadel?.building ?? null;
      return `(${st.value(p.id)}${cast('bigint')}, ${int(p.stock.ore)}, ${int(p.stock.organics)}, ${int(p.stock.equipment)}, ${int(p.colonists)}, ${int(p.fighters)}, ${int(
        p.shields,
      )}, ${st.value(p.ownerUserId)}${cast('uuid')}, ${int(a?.ore ?? null)}, ${int(a?.organics ?? null)}, ${int(a?.equipment ?? null)}, ${int(a?.fighters ?? null)}, ${int(
        p.citadel ? 1 : 0,
      )}, ${int(p.citadel?.level ?? null)}, ${int(b?.level ?? null)}, ${st.value(b ? new Date(b.doneAtMs).toISOString() : null)}${cast('timestamptz')}, ${st.value(
        p.anchorMs === null ? null : new Date(p.anchorMs).toISOString(),
      )}${cast('timestamptz')})`;
    });
    ctes.push(`planets_changed as (update planets set
    stock_ore = planets.stock_ore + v.ore,
    stock_organics = planets.stock_organics + v.organics,
    stock_equipment = planets.stock_equipment + v.equipment,
    colonists = planets.colonists + v.colonists,
    fighters = planets.fighters + v.fighters,
    shields = planets.shields + v.shields,
    owner_user_id = coalesce(v.owner_user_id, planets.owner_user_id),
    alloc_ore = coalesce(v.alloc_ore, planets.alloc_ore),
    alloc_organics = coalesce(v.alloc_organics, planets.alloc_organics),
    alloc_equipment = coalesce(v.alloc_equipment, planets.alloc_equipment),
    alloc_fighters = coalesce(v.alloc_fighters, planets.alloc_fighters),
    citadel_level = case when v.citadel_set = 1 then v.citadel_level else planets.citadel_level end,
    building_level = case when v.citadel_set = 1 then v.building_level else planets.building_level end,
    build_done_at = case when v.citadel_set = 1 then v.build_done_at else planets.build_done_at end,
    anchor_at = coalesce(v.anchor_at, planets.anchor_at)
  from (values ${rows.join(', ')}) as v(id, ore, organics, equipment, colonists, fighters, shields, owner_user_id, alloc_ore, alloc_organics, alloc_equipment, alloc_fighters, citadel_set, citadel_level, building_level, build_done_at, anchor_at)
  where planets.id = v.id)`);
  }
  return ctes;
}

function outboxCte(st: Statement, changes: ChangeSet): string {
  const rows = changes.events.map((e, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    return `(${st.value(e.topic)}${cast('text')}, ${st.value(e.type)}${cast('text')}, ${st.value(JSON.stringify(e.data))}${cast('jsonb')})`;
  });
  return `events as (insert into outbox (topic, type, data) values ${rows.join(', ')} returning id, created_at)`;
}

/**
 * The idempotent response, claimed at commit: a concurrent request with the same key waits on
 * this insert until the first commits, then finds the key taken, rolls back and replays the
 * stored text. A crash before commit leaves no row, so the key is free at once.
 */
function responseCte(st: Statement, stored: StoredResponse): string {
  return `stored_response as (insert into idempotency_keys (user_id, key, request_hash, response_status, response_text)
  values (${st.value(stored.userId)}::uuid, ${st.value(stored.key)}::text, ${st.value(stored.requestHash)}::text, ${st.value(stored.status)}::int, ${st.value(stored.text)}::text)
  on conflict (user_id, key) do nothing returning 1)`;
}

function lastPerKey<T>(rows: T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}
