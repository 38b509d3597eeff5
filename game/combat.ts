import { topics } from '../contract/topics.js';
import { COMBAT, SCAN_BANDS } from './catalog/combat.js';
import { HULLS } from './catalog/hulls.js';
import { TURN_COSTS } from './catalog/turns.js';
import { type ChangeSet, type Decision, noChanges } from './changes.js';
import { netWorth } from './net-worth.js';
import { type Cargo, type Crew, cargoUsed, freeHolds, type GameTime, turnRegenFor } from './pilot.js';
import { createRandom } from './random.js';
import { type Refusal, refuse } from './refusals.js';
import { spendTurns } from './turns.js';

// ---- the exchange ---------------------------------------------------------------------------

/** One side as it enters an exchange: the attacker's committed fighters, or the defender's whole ship. */
export interface Side {
  fighters: number;
  shields: number;
}

export interface Round {
  round: number;
  /** hits each side dealt this round */
  attacker_hits: number;
  defender_hits: number;
  /** what each side had left after the round */
  attacker_fighters: number;
  attacker_shields: number;
  defender_fighters: number;
  defender_shields: number;
}

export type EngagementResult = 'destroyed' | 'repelled' | 'stalemate';

/** An exchange, whole: replaying its seed with the same sides gives the same value. */
export interface Engagement {
  seed: string;
  attacker: Side;
  defender: Side;
  rounds: Round[];
  result: EngagementResult;
  attacker_fighters_lost: number;
  attacker_shields_lost: number;
  defender_fighters_lost: number;
  defender_shields_lost: number;
}

/** Hits land on shields first, then on fighters; nothing goes below zero. */
function absorb(side: Side, hits: number): Side {
  const onShields = Math.min(side.shields, hits);
  const onFighters = Math.min(side.fighters, hits - onShields);
  return { shields: side.shields - onShields, fighters: side.fighters - onFighters };
}

function hitsOf(fighters: number, bonus: number, roll: number): number {
  if (fighters <= 0) return 0;
  const spread = 1 - COMBAT.spread + 2 * COMBAT.spread * roll;
  return Math.max(1, Math.round(fighters * COMBAT.roundShare * (1 + bonus) * spread));
}

/**
 * Run the exchange: each round both sides hit at once with a share of their fighters, spread by
 * the seeded random source (the defender's hits carry a small bonus); shields absorb before
 * fighters. It ends when the defender has neither fighters nor shields (destroyed), the
 * attacker's committed fighters are gone (repelled), or after COMBAT.maxRounds (stalemate).
 * The attacker's shields absorb the defender's hits on the committed fighters.
 */
export function resolveEngagement(attacker: Side, defender: Side, seed: string): Engagement {
  const random = createRandom(seed);
  let a: Side = { ...attacker };
  let d: Side = { ...defender };
  const rounds: Round[] = [];
  while (a.fighters > 0 && (d.fighters > 0 || d.shields > 0) && rounds.length < COMBAT.maxRounds) {
    const attackerHits = hitsOf(a.fighters, 0, random.next());
    const defenderHits = hitsOf(d.fighters, COMBAT.defenderBonus, random.next());
    d = absorb(d, attackerHits);
    a = absorb(a, defenderHits);
    rounds.push({
      round: rounds.length + 1,
      attacker_hits: attackerHits,
      defender_hits: defenderHits,
      attacker_fighters: a.fighters,
      attacker_shields: a.shields,
      defender_fighters: d.fighters,
      defender_shields: d.shields,
    });
  }
  const result: EngagementResult = d.fighters === 0 && d.shields === 0 ? 'destroyed' : a.fighters === 0 ? 'repelled' : 'stalemate';
  return {
    seed,
    attacker: { ...attacker },
    defender: { ...defender },
    rounds,
    result,
    attacker_fighters_lost: attacker.fighters - a.fighters,
    attacker_shields_lost: attacker.shields - a.shields,
    defender_fighters_lost: defender.fighters - d.fighters,
    defender_shields_lost: defender.shields - d.shields,
  };
}

// ---- who may be attacked --------------------------------------------------------------------

/** New-pilot protection thresholds (config); 0 turns a threshold, and so protection, off. */
export interface Protection {
  netWorth: number;
  hours: number;
}

/** A pilot that could be a target: its crew and when it started flying. */
export interface Target {
  crew: Crew;
  createdAtMs: number;
}

/** Protected while both poorer than the net worth and younger (in game hours) than the age. */
export function isProtected(target: Target, protection: Protection, at: GameTime): boolean {
  if (protection.netWorth <= 0 || protection.hours <= 0) return false;
  const { pilot, ship } = target.crew;
  const worth = netWorth({ credits: pilot.credits, hull: ship.hull, cargo: ship.cargo });
  const ageGameHours = ((at.nowMs - target.createdAtMs) * at.timeScale) / 3_600_000;
  return worth < protection.netWorth && ageGameHours < protection.hours;
}

/**
 * The one place that says whether `attacker` may attack `target` where it stands: every target
 * refusal is here, in this order, so a new rule (teammates) is one more line.
 */
export function targetObstacle(
  attacker: Crew,
  target: Target | null,
  sector: { fedspace: boolean },
  protection: Protection,
  at: GameTime,
  teammate: boolean,
): Refusal | null {
  if (target && target.crew.pilot.userId === attacker.pilot.userId) return refuse('invalid_target', 'You cannot attack yourself').refused;
  if (!target || target.crew.pilot.sectorId !== attacker.pilot.sectorId) return refuse('target_not_here', 'No such pilot in this sector').refused;
  // No friendly fire: teams are account-side, so the caller looks membership up before the read.
  if (teammate) return refuse('teammate', `${target.crew.pilot.name} is on your team`).refused;
  if (sector.fedspace) return refuse('fedspace', 'The Federation forbids combat in FedSpace').refused;
  if (target.crew.ship.hull === 'escape_pod') return refuse('target_indestructible', 'An Escape Pod cannot be destroyed').refused;
  if (isProtected(target, protection, at)) return refuse('target_protected', `${target.crew.pilot.name} is a new pilot under Federation protection`).refused;
  return null;
}

/** Where a destroyed ship's pilot goes, and the ids its wreck and log take. */
export interface DestructionContext {
  sectorId: number;
  regionId: number;
  logId: string;
  wreckId: string;
  escapeTo: { sectorId: number; regionId: number };
  escapeSnapshot: unknown;
}

/** Add every list of `extra` to `into` (a change set built in steps). */
export function mergeInto(into: ChangeSet, extra: ChangeSet): void {
  for (const key of Object.keys(extra) as (keyof ChangeSet)[]) (into[key] as unknown[]).push(...(extra[key] as unknown[]));
}

/**
 * A ship destroyed, whoever destroyed it (a pilot, deployed fighters, an NPC): its hull and cargo
 * are lost (the cargo stays as a wreck for a game day), its credits stay, and its pilot ejects in
 * an Escape Pod to the nearest FedSpace sector. `victim` is the crew as the fight found it.
 */
export function destructionChanges(victim: Crew, context: DestructionContext, at: GameTime): ChangeSet {
  const changes = noChanges();
  const pod = HULLS.escape_pod;
  const cargo = victim.ship.cargo;
  changes.ships.push({
    shipId: victim.ship.id,
    hull: 'escape_pod',
    holds: pod.holds - victim.ship.holds,
    fighters: -victim.ship.fighters,
    shields: pod.startingShields - victim.ship.shields,
    mines: -victim.ship.mines,
    genesisTorpedoes: -victim.ship.genesisTorpedoes,
    cargo: { ore: -cargo.ore, organics: -cargo.organics, equipment: -cargo.equipment, colonists: -cargo.colonists },
    ...(context.escapeTo.regionId !== victim.pilot.regionId ? { regionId: context.escapeTo.regionId } : {}),
  });
  changes.pilots.push({ userId: victim.pilot.userId, position: context.escapeTo });
  changes.knownSectors.push({ userId: victim.pilot.userId, sectorId: context.escapeTo.sectorId, snapshot: context.escapeSnapshot });
  if (cargoUsed(victim.ship) > 0) {
    changes.wrecks.push({
      create: {
        id: context.wreckId,
        sectorId: context.sectorId,
        regionId: context.regionId,
        victimName: victim.pilot.name,
        combatLogId: context.logId,
        cargo: { ...cargo },
        expiresAtMs: at.nowMs + COMBAT.wreckLifetimeGameMs / at.timeScale,
      },
    });
  }
  return changes;
}

// ---- an attack, as a change set -------------------------------------------------------------

export interface AttackOrder {
  target: string;
  fighters: number;
}

/** What the world adds to an attack: its ids and seed (chosen by the caller), and where a pod flies. */
export interface AttackContext {
  sector: { id: number; regionId: number; fedspace: boolean };
  protection: Protection;
  /** the target is on the attacker's team */
  teammate: boolean;
  seed: string;
  logId: string;
  wreckId: string;
  /** the FedSpace sector nearest the fight, where a destroyed pilot's pod arrives */
  escapeTo: { sectorId: number; regionId: number };
  /** what the victim sees on arrival there, kept as its last-seen view */
  escapeSnapshot: unknown;
}

export interface AttackOutcome {
  log_id: string;
  target: string;
  sector_id: number;
  committed: number;
  result: EngagementResult;
  rounds: number;
  seed: string;
  fighters_lost: number;
  shields_lost: number;
  target_fighters_lost: number;
  target_shields_lost: number;
  destroyed: boolean;
  wreck_id: string | null;
  experience_gained: number;
  alignment_change: number;
  engagement: Engagement;
}

/** Experience and alignment an attacker earns from an engagement. */
export function attackRewards(engagement: Engagement, targetAlignment: number): { experience: number; alignment: number } {
  const destroyed = engagement.result === 'destroyed';
  const experience = Math.floor(engagement.defender_fighters_lost / COMBAT.fightersPerExperience) + (destroyed ? COMBAT.destructionExperience : 0);
  const shift = COMBAT.alignmentShift * (destroyed ? 2 : 1);
  return { experience, alignment: targetAlignment >= 0 ? -shift : shift };
}

/**
 * Attack a pilot in the same sector with some of your fighters, for 3 turns. Fighters lost are
 * removed from both ships; a target left with neither fighters nor shields is destroyed: its hull
 * and cargo are lost (the cargo stays as a wreck for a game day), its credits stay, and its pilot
 * ejects in an Escape Pod to the nearest FedSpace sector.
 */
export function decideAttack(attacker: Crew, target: Target | null, order: AttackOrder, context: AttackContext, at: GameTime): Decision<AttackOutcome> {
  const obstacle = targetObstacle(attacker, target, context.sector, context.protection, at, context.teammate);
  if (obstacle) return { refused: obstacle };
  const victim = target!.crew;
  const { pilot, ship } = attacker;
  if (order.fighters > ship.fighters) {
    return refuse('insufficient_fighters', `You have ${ship.fighters} fighters aboard`, { available: ship.fighters, needed: order.fighters });
  }
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.attack, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });

  const engagement = resolveEngagement(
    { fighters: order.fighters, shields: ship.shields },
    { fighters: victim.ship.fighters, shields: victim.ship.shields },
    context.seed,
  );
  const destroyed = engagement.result === 'destroyed';
  const rewards = attackRewards(engagement, victim.pilot.alignment);
  const leavesWreck = destroyed && cargoUsed(victim.ship) > 0;
  const sectorId = context.sector.id;

  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent, experience: rewards.experience, alignment: rewards.alignment });
  changes.ships.push({ shipId: ship.id, fighters: -engagement.attacker_fighters_lost, shields: -engagement.attacker_shields_lost });
  if (destroyed) {
    mergeInto(
      changes,
      destructionChanges(
        victim,
        {
          sectorId,
          regionId: context.sector.regionId,
          logId: context.logId,
          wreckId: context.wreckId,
          escapeTo: context.escapeTo,
          escapeSnapshot: context.escapeSnapshot,
        },
        at,
      ),
    );
  } else {
    changes.ships.push({ shipId: victim.ship.id, fighters: -engagement.defender_fighters_lost, shields: -engagement.defender_shields_lost });
  }
  changes.combatLogs.push({
    id: context.logId,
    regionId: context.sector.regionId,
    sectorId,
    attackerUserId: pilot.userId,
    defenderUserId: victim.pilot.userId,
    attackerName: pilot.name,
    defenderName: victim.pilot.name,
    seed: context.seed,
    result: engagement.result,
    detail: engagement,
  });

  const summary = {
    log_id: context.logId,
    sector_id: sectorId,
    attacker: pilot.name,
    defender: victim.pilot.name,
    result: engagement.result,
    rounds: engagement.rounds.length,
    attacker_fighters_lost: engagement.attacker_fighters_lost,
    defender_fighters_lost: engagement.defender_fighters_lost,
    destroyed,
  };
  changes.events.push(
    { topic: topics.player(pilot.userId), type: 'combat.resolved', data: summary },
    { topic: topics.player(victim.pilot.userId), type: 'combat.resolved', data: summary },
    { topic: topics.sector(sectorId), type: 'sector.combat', data: summary },
  );
  if (destroyed) {
    changes.events.push(
      {
        topic: topics.global,
        type: 'ship.destroyed',
        data: { log_id: context.logId, sector_id: sectorId, victim: victim.pilot.name, hull: victim.ship.hull, attacker: pilot.name },
      },
      {
        topic: topics.player(victim.pilot.userId),
        type: 'player.moved',
        data: { from: sectorId, to: context.escapeTo.sectorId, turns_left: victim.pilot.turns, first_visit: false },
      },
      { topic: topics.sector(sectorId), type: 'sector.departed', data: { sector_id: sectorId, player: victim.pilot.name } },
      {
        topic: topics.sector(context.escapeTo.sectorId),
        type: 'sector.arrived',
        data: { sector_id: context.escapeTo.sectorId, player: victim.pilot.name, hull: 'escape_pod' },
      },
    );
  }

  return {
    changes,
    outcome: {
      log_id: context.logId,
      target: victim.pilot.name,
      sector_id: sectorId,
      committed: order.fighters,
      result: engagement.result,
      rounds: engagement.rounds.length,
      seed: context.seed,
      fighters_lost: engagement.attacker_fighters_lost,
      shields_lost: engagement.attacker_shields_lost,
      target_fighters_lost: engagement.defender_fighters_lost,
      target_shields_lost: engagement.defender_shields_lost,
      destroyed,
      wreck_id: leavesWreck ? context.wreckId : null,
      experience_gained: rewards.experience,
      alignment_change: rewards.alignment,
      engagement,
    },
  };
}

// ---- wrecks ---------------------------------------------------------------------------------

export interface Wreck {
  id: string;
  sectorId: number;
  cargo: Cargo;
  expiresAtMs: number;
}

export interface SalvageOrder {
  good: keyof Cargo;
  quantity: number;
}

export interface SalvageOutcome {
  wreck_id: string;
  good: keyof Cargo;
  quantity: number;
  wreck_left: Cargo;
  turns_left: number;
}

/** Take cargo from a wreck in this sector into free holds, for 1 turn. */
export function decideSalvage(crew: Crew, wreck: Wreck | null, order: SalvageOrder, at: GameTime): Decision<SalvageOutcome> {
  const { pilot, ship } = crew;
  if (!wreck || wreck.sectorId !== pilot.sectorId || wreck.expiresAtMs <= at.nowMs) return refuse('wreck_not_found', 'No such wreck in this sector');
  const there = wreck.cargo[order.good];
  if (order.quantity > there) return refuse('exceeds_wreck', `The wreck holds only ${there} ${order.good}`, { available: there });
  const free = freeHolds(ship);
  if (order.quantity > free) return refuse('insufficient_holds', `Only ${free} holds are free`, { available: free });
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.salvage, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent });
  changes.ships.push({ shipId: ship.id, cargo: { [order.good]: order.quantity } });
  changes.wrecks.push({ id: wreck.id, cargo: { [order.good]: -order.quantity } });
  const left = { ...wreck.cargo, [order.good]: there - order.quantity };
  return { changes, outcome: { wreck_id: wreck.id, good: order.good, quantity: order.quantity, wreck_left: left, turns_left: spent.turns } };
}

// ---- scanning -------------------------------------------------------------------------------

/** A count as a scan reports it: the band it falls in. */
export function scanBand(value: number): { min: number; max: number | null } {
  let index = 0;
  for (let i = 0; i < SCAN_BANDS.length; i++) if (value >= (SCAN_BANDS[i] as number)) index = i;
  const min = SCAN_BANDS[index] as number;
  const next = SCAN_BANDS[index + 1];
  return { min, max: next === undefined ? null : next - 1 };
}

export interface ScanOutcome {
  sector_id: number;
  turns_left: number;
}

/** Scanning the current or an adjacent sector costs 1 turn; what it shows is read by the world. */
export function decideScan(crew: Crew, sectorId: number, adjacent: boolean, at: GameTime): Decision<ScanOutcome> {
  const { pilot } = crew;
  if (sectorId !== pilot.sectorId && !adjacent) return refuse('not_adjacent', `Sector ${sectorId} is not one warp away from ${pilot.sectorId}`);
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.scan, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent });
  return { changes, outcome: { sector_id: sectorId, turns_left: spent.turns } };
}
