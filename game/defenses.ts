import { topics } from '../contract/topics.js';
import { DEFENSES } from './catalog/defenses.js';
import { TURN_COSTS } from './catalog/turns.js';
import { type ChangeSet, crewAfter, type Decision, mergeChanges, noChanges } from './changes.js';
import { type DestructionContext, destructionChanges, type Engagement, mergeInto, resolveEngagement } from './combat.js';
import { decideMove, type Hop, type Passage } from './movement.js';
import { type Crew, type GameTime, hullOf, turnRegenFor } from './pilot.js';
import { createRandom } from './random.js';
import { refuse } from './refusals.js';
import { spendTurns } from './turns.js';

export type DefenseKind = 'fighters' | 'mines';
export type FighterMode = 'defensive' | 'toll' | 'offensive';

/**
 * A stack of deployed fighters or mines: one per (sector, owner, kind). The owner is a pilot;
 * `teamId` set means the stack is team-owned: every member of that team passes it.
 */
export interface Defense {
  id: string;
  sectorId: number;
  regionId: number;
  ownerUserId: string;
  ownerName: string;
  teamId: number | null;
  kind: DefenseKind;
  quantity: number;
  /** fighters only */
  mode: FighterMode | null;
  /** credits per entry, toll mode only */
  toll: number;
}

/** Who the entrant is friends with (looked up account-side before the read): its own team. */
export interface Allegiance {
  userId: string;
  teamId: number | null;
  /** the team of each defense owner, as far as known */
  ownerTeams: ReadonlyMap<string, number>;
}

/** Teammates are never hostile: the owner itself, a stack owned by the entrant's team, or an owner on its team. */
export function isHostile(defense: Defense, who: Allegiance): boolean {
  if (defense.quantity <= 0) return false;
  if (defense.ownerUserId === who.userId) return false;
  if (who.teamId === null) return true;
  if (defense.teamId === who.teamId) return false;
  return who.ownerTeams.get(defense.ownerUserId) !== who.teamId;
}

// ---- deploying and recalling ----------------------------------------------------------------

export interface DeployOrder {
  kind: DefenseKind;
  quantity: number;
  mode?: FighterMode;
  toll?: number;
  /** deploy as a team stack (the deployer's team) */
  team?: boolean;
}

export interface DeployContext {
  sector: { id: number; regionId: number; fedspace: boolean };
  /** the deployer's own stack of this kind here, if any */
  own: Defense | null;
  /** the deployer's team, if any */
  teamId: number | null;
  /** the id a new stack takes */
  newId: string;
}

export interface DeployOutcome {
  defense_id: string;
  sector_id: number;
  kind: DefenseKind;
  deployed: number;
  quantity: number;
  mode: FighterMode | null;
  toll: number;
  team_owned: boolean;
  turns_left: number;
}

/** Leave fighters or mines in this sector (1 turn): they join your stack here, which takes the order's mode and toll. */
export function decideDeploy(crew: Crew, order: DeployOrder, context: DeployContext, at: GameTime): Decision<DeployOutcome> {
  const { pilot, ship } = crew;
  if (context.sector.fedspace) return refuse('fedspace', 'The Federation forbids deployed defenses in FedSpace');
  if (!Number.isInteger(order.quantity) || order.quantity < 1) return refuse('invalid_quantity');
  const aboard = order.kind === 'fighters' ? ship.fighters : ship.mines;
  if (order.quantity > aboard) {
    return refuse(order.kind === 'fighters' ? 'insufficient_fighters' : 'insufficient_mines', `You have ${aboard} ${order.kind} aboard`, {
      available: aboard,
      needed: order.quantity,
    });
  }
  if (order.team && context.teamId === null) return refuse('not_in_team', 'You are not in a team');
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.deploy, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });

  const mode = order.kind === 'fighters' ? (order.mode ?? context.own?.mode ?? 'defensive') : null;
  const toll = mode === 'toll' ? (order.toll ?? context.own?.toll ?? 0) : 0;
  if (mode === 'toll' && toll < 1) return refuse('invalid_quantity', 'A toll stack needs a toll of at least 1 credit');
  const teamId = order.team ? context.teamId : order.team === false ? null : (context.own?.teamId ?? null);
  const id = context.own?.id ?? context.newId;
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent });
  changes.ships.push({ shipId: ship.id, ...(order.kind === 'fighters' ? { fighters: -order.quantity } : { mines: -order.quantity }) });
  changes.defenses.push({
    id,
    quantity: order.quantity,
    set: { mode, toll, teamId },
    ...(context.own
      ? {}
      : {
          create: { sectorId: context.sector.id, regionId: context.sector.regionId, ownerUserId: pilot.userId, ownerName: pilot.name, kind: order.kind },
        }),
  });
  const quantity = (context.own?.quantity ?? 0) + order.quantity;
  changes.events.push({
    topic: topics.sector(context.sector.id),
    type: 'sector.defenses',
    data: { sector_id: context.sector.id, owner: pilot.name, kind: order.kind, change: 'deployed' },
  });
  return {
    changes,
    outcome: {
      defense_id: id,
      sector_id: context.sector.id,
      kind: order.kind,
      deployed: order.quantity,
      quantity,
      mode,
      toll,
      team_owned: teamId !== null,
      turns_left: spent.turns,
    },
  };
}

export interface RecallOutcome {
  defense_id: string;
  kind: DefenseKind;
  recalled: number;
  left: number;
  turns_left: number;
}

/** Take your own fighters or mines in this sector back aboard (1 turn), up to what the hull carries. */
export function decideRecall(crew: Crew, order: { kind: DefenseKind; quantity: number }, own: Defense | null, at: GameTime): Decision<RecallOutcome> {
  const { pilot, ship } = crew;
  if (!own || own.quantity <= 0 || own.sectorId !== pilot.sectorId) return refuse('no_defenses', `You have no ${order.kind} deployed in this sector`);
  if (order.quantity > own.quantity) return refuse('exceeds_deployed', `You have ${own.quantity} ${order.kind} here`, { available: own.quantity });
  const hull = hullOf(ship);
  const room = order.kind === 'fighters' ? hull.maxFighters - ship.fighters : hull.maxMines - ship.mines;
  if (order.quantity > room)
    return refuse('exceeds_capacity', `Your hull has room for ${Math.max(0, room)} more ${order.kind}`, { available: Math.max(0, room) });
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.deploy, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent });
  changes.ships.push({ shipId: ship.id, ...(order.kind === 'fighters' ? { fighters: order.quantity } : { mines: order.quantity }) });
  changes.defenses.push({ id: own.id, quantity: -order.quantity });
  changes.events.push({
    topic: topics.sector(own.sectorId),
    type: 'sector.defenses',
    data: { sector_id: own.sectorId, owner: pilot.name, kind: order.kind, change: 'recalled' },
  });
  return { changes, outcome: { defense_id: own.id, kind: order.kind, recalled: order.quantity, left: own.quantity - order.quantity, turns_left: spent.turns } };
}

// ---- fights with deployed fighters ----------------------------------------------------------

/** Spread `lost` over stacks in id order (the first stack loses first), never below zero. */
export function spreadLosses(stacks: readonly Defense[], lost: number): Array<{ defense: Defense; lost: number }> {
  let left = lost;
  return [...stacks]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((defense) => {
      const take = Math.min(defense.quantity, left);
      left -= take;
      return { defense, lost: take };
    });
}

/** Who hears about a hit on a stack: its owner (and the team, for a team stack). */
function ownerTopics(defense: Defense): string[] {
  return defense.teamId !== null ? [topics.player(defense.ownerUserId), topics.team(defense.teamId)] : [topics.player(defense.ownerUserId)];
}

export interface DefenseFight {
  log_id: string;
  result: Engagement['result'];
  rounds: number;
  seed: string;
  /** the pilot's fighters and shields lost */
  fighters_lost: number;
  shields_lost: number;
  /** deployed fighters lost */
  defense_fighters_lost: number;
  destroyed: boolean;
  engagement: Engagement;
}

export interface FightIds {
  seed: string;
  logId: string;
  wreckId: string;
}

/**
 * Deployed fighters attack a pilot (an entrant on entry, a pilot passing on): the stacks fight as
 * one side with no shields against the whole ship, which holds the defender's bonus. A ship left
 * with neither fighters nor shields is destroyed (destructionChanges); deployed fighters lost come
 * off the stacks in id order. The combat log names the first stack's owner as the attacker.
 */
export function defensesAttack(
  crew: Crew,
  stacks: readonly Defense[],
  sector: { id: number; regionId: number },
  ids: FightIds,
  refuge: Pick<DestructionContext, 'escapeTo' | 'escapeSnapshot'>,
  at: GameTime,
): { changes: ChangeSet; fight: DefenseFight } {
  const total = stacks.reduce((sum, s) => sum + s.quantity, 0);
  const engagement = resolveEngagement({ fighters: total, shields: 0 }, { fighters: crew.ship.fighters, shields: crew.ship.shields }, ids.seed);
  const destroyed = engagement.result === 'destroyed';
  const changes = noChanges();
  for (const { defense, lost } of spreadLosses(stacks, engagement.attacker_fighters_lost))
    if (lost > 0) changes.defenses.push({ id: defense.id, quantity: -lost });
  if (destroyed) {
    mergeInto(changes, destructionChanges(crew, { sectorId: sector.id, regionId: sector.regionId, logId: ids.logId, wreckId: ids.wreckId, ...refuge }, at));
  } else {
    changes.ships.push({ shipId: crew.ship.id, fighters: -engagement.defender_fighters_lost, shields: -engagement.defender_shields_lost });
  }
  const lead = [...stacks].sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
  changes.combatLogs.push({
    id: ids.logId,
    regionId: sector.regionId,
    sectorId: sector.id,
    attackerUserId: lead.ownerUserId,
    defenderUserId: crew.pilot.userId,
    attackerName: `${lead.ownerName}'s fighters`,
    defenderName: crew.pilot.name,
    seed: ids.seed,
    result: engagement.result,
    detail: { ...engagement, kind: 'defenses', stacks: stacks.map((s) => s.id) },
  });
  const summary = {
    log_id: ids.logId,
    sector_id: sector.id,
    attacker: `${lead.ownerName}'s fighters`,
    defender: crew.pilot.name,
    result: engagement.result,
    rounds: engagement.rounds.length,
    attacker_fighters_lost: engagement.attacker_fighters_lost,
    defender_fighters_lost: engagement.defender_fighters_lost,
    destroyed,
  };
  changes.events.push(
    { topic: topics.player(crew.pilot.userId), type: 'combat.resolved', data: summary },
    { topic: topics.sector(sector.id), type: 'sector.combat', data: summary },
  );
  for (const stack of stacks) {
    for (const topic of ownerTopics(stack)) {
      changes.events.push({
        topic,
        type: 'defenses.fired',
        data: {
          sector_id: sector.id,
          kind: 'fighters',
          pilot: crew.pilot.name,
          log_id: ids.logId,
          lost: spreadLosses(stacks, engagement.attacker_fighters_lost).find((l) => l.defense.id === stack.id)?.lost ?? 0,
          result: engagement.result,
          credits: 0,
        },
      });
    }
  }
  if (destroyed) {
    changes.events.push(
      {
        topic: topics.global,
        type: 'ship.destroyed',
        data: { log_id: ids.logId, sector_id: sector.id, victim: crew.pilot.name, hull: crew.ship.hull, attacker: summary.attacker },
      },
      {
        topic: topics.player(crew.pilot.userId),
        type: 'player.moved',
        data: { from: sector.id, to: refuge.escapeTo.sectorId, turns_left: crew.pilot.turns, first_visit: false },
      },
      { topic: topics.sector(sector.id), type: 'sector.departed', data: { sector_id: sector.id, player: crew.pilot.name } },
      {
        topic: topics.sector(refuge.escapeTo.sectorId),
        type: 'sector.arrived',
        data: { sector_id: refuge.escapeTo.sectorId, player: crew.pilot.name, hull: 'escape_pod' },
      },
    );
  }
  return {
    changes,
    fight: {
      log_id: ids.logId,
      result: engagement.result,
      rounds: engagement.rounds.length,
      seed: ids.seed,
      fighters_lost: engagement.defender_fighters_lost,
      shields_lost: engagement.defender_shields_lost,
      defense_fighters_lost: engagement.attacker_fighters_lost,
      destroyed,
      engagement,
    },
  };
}

// ---- entering a defended sector -------------------------------------------------------------

export type TollChoice = 'pay' | 'refuse';

export interface MineHit {
  defense_id: string;
  owner: string;
  mines: number;
  shields_lost: number;
  fighters_lost: number;
}

export interface EntryOutcome {
  sector_id: number;
  mines: MineHit[];
  toll: { amount: number; paid: boolean } | null;
  fight: DefenseFight | null;
  destroyed: boolean;
}

/** The toll a move into this sector owes its hostile toll stacks (0: none). */
export function tollOwed(stacks: readonly Defense[], who: Allegiance): number {
  return stacks.filter((s) => s.kind === 'fighters' && s.mode === 'toll' && isHostile(s, who)).reduce((sum, s) => sum + s.toll, 0);
}

export interface EntryContext {
  sector: { id: number; regionId: number };
  /** every stack in the sector (hostility is decided here) */
  defenses: readonly Defense[];
  who: Allegiance;
  toll: TollChoice | undefined;
  ids: FightIds;
  refuge: Pick<DestructionContext, 'escapeTo' | 'escapeSnapshot'>;
}

/**
 * What a sector's hostile defenses do to a pilot who has just arrived (`crew` as the hop left it):
 * mines hit first and are used up (shields, then fighters; mines alone never destroy a ship);
 * then toll stacks are paid (owner credited through the ledger) if the pilot chose to pay and can,
 * else they attack with any offensive stacks; defensive stacks wait. Escape Pods pass untouched.
 * A toll owed and no choice given is `toll_required`, changing nothing.
 */
export function decideEntry(crew: Crew, context: EntryContext, at: GameTime): Decision<EntryOutcome> {
  const hostile = context.defenses.filter((d) => isHostile(d, context.who));
  const outcome: EntryOutcome = { sector_id: context.sector.id, mines: [], toll: null, fight: null, destroyed: false };
  const changes = noChanges();
  if (hostile.length === 0 || crew.ship.hull === 'escape_pod') return { changes, outcome };
  const owed = tollOwed(hostile, context.who);
  if (owed > 0 && context.toll === undefined) {
    return refuse('toll_required', `The fighters in sector ${context.sector.id} demand a toll of ${owed} credits: move again with toll "pay" or "refuse"`, {
      amount: owed,
      sector_id: context.sector.id,
    });
  }

  // Mines first, in id order, each stack hitting a seeded share of itself.
  const random = createRandom(`${context.ids.seed}:mines`);
  let shields = crew.ship.shields;
  let fighters = crew.ship.fighters;
  for (const field of hostile.filter((d) => d.kind === 'mines').sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const spread = 1 - DEFENSES.mineSpread + 2 * DEFENSES.mineSpread * random.next();
    const mines = Math.min(field.quantity, Math.max(1, Math.round(field.quantity * DEFENSES.mineHitShare * spread)));
    const damage = mines * DEFENSES.mineDamage;
    const onShields = Math.min(shields, damage);
    const onFighters = Math.min(fighters, damage - onShields);
    shields -= onShields;
    fighters -= onFighters;
    changes.defenses.push({ id: field.id, quantity: -mines });
    outcome.mines.push({ defense_id: field.id, owner: field.ownerName, mines, shields_lost: onShields, fighters_lost: onFighters });
    for (const topic of ownerTopics(field)) {
      changes.events.push({
        topic,
        type: 'defenses.fired',
        data: { sector_id: context.sector.id, kind: 'mines', pilot: crew.pilot.name, log_id: null, lost: mines, result: 'hit', credits: 0 },
      });
    }
  }
  const hit = shields !== crew.ship.shields || fighters !== crew.ship.fighters;
  if (hit) changes.ships.push({ shipId: crew.ship.id, shields: shields - crew.ship.shields, fighters: fighters - crew.ship.fighters });
  const afterMines: Crew = { pilot: crew.pilot, ship: { ...crew.ship, shields, fighters } };

  const fighterStacks = hostile.filter((d) => d.kind === 'fighters');
  const tollStacks = fighterStacks.filter((d) => d.mode === 'toll');
  const attackers = fighterStacks.filter((d) => d.mode === 'offensive');
  if (owed > 0) {
    const pays = context.toll === 'pay' && crew.pilot.credits >= owed;
    outcome.toll = { amount: owed, paid: pays };
    if (pays) {
      changes.credits.push({ userId: crew.pilot.userId, delta: -owed, reason: 'toll_paid', ref: { sector_id: context.sector.id } });
      for (const stack of tollStacks) {
        changes.credits.push({
          userId: stack.ownerUserId,
          delta: stack.toll,
          reason: 'toll_received',
          ref: { sector_id: context.sector.id, pilot: crew.pilot.name },
        });
        for (const topic of ownerTopics(stack)) {
          changes.events.push({
            topic,
            type: 'defenses.fired',
            data: { sector_id: context.sector.id, kind: 'fighters', pilot: crew.pilot.name, log_id: null, lost: 0, result: 'toll_paid', credits: stack.toll },
          });
        }
      }
    } else {
      attackers.push(...tollStacks);
    }
  }
  if (attackers.length > 0) {
    const { changes: fightChanges, fight } = defensesAttack(afterMines, attackers, context.sector, context.ids, context.refuge, at);
    mergeInto(changes, fightChanges);
    outcome.fight = fight;
    outcome.destroyed = fight.destroyed;
  }
  return { changes, outcome };
}

/**
 * Leaving a sector: hostile defensive stacks attack a pilot that passes on, except back the way it
 * came (a retreat). Nothing happens when none are hostile or the pilot retreats.
 */
export function defensiveStacksFor(defenses: readonly Defense[], who: Allegiance, to: number, cameFrom: number | null): Defense[] {
  if (cameFrom !== null && to === cameFrom) return [];
  return defenses.filter((d) => d.kind === 'fighters' && d.mode === 'defensive' && isHostile(d, who));
}

// ---- attacking deployed fighters ------------------------------------------------------------

export interface AttackDefensesOutcome {
  log_id: string;
  sector_id: number;
  committed: number;
  result: Engagement['result'];
  seed: string;
  fighters_lost: number;
  shields_lost: number;
  defense_fighters_lost: number;
  defenses_left: number;
  destroyed: boolean;
  engagement: Engagement;
}

/**
 * Attack the hostile fighters deployed in your sector with some of yours (3 turns): your committed
 * fighters (shields absorbing) against the stacks as one side, which hold the defender's bonus.
 * Deployed fighters lost come off the stacks in id order; the owners are told.
 */
export function decideAttackDefenses(
  crew: Crew,
  order: { fighters: number },
  context: { sector: { id: number; regionId: number; fedspace: boolean }; defenses: readonly Defense[]; who: Allegiance; ids: FightIds },
  at: GameTime,
): Decision<AttackDefensesOutcome> {
  const { pilot, ship } = crew;
  if (context.sector.fedspace) return refuse('fedspace', 'The Federation forbids combat in FedSpace');
  const stacks = context.defenses.filter((d) => d.kind === 'fighters' && isHostile(d, context.who));
  if (stacks.length === 0) return refuse('no_defenses', 'There are no hostile fighters deployed in this sector');
  if (order.fighters > ship.fighters) {
    return refuse('insufficient_fighters', `You have ${ship.fighters} fighters aboard`, { available: ship.fighters, needed: order.fighters });
  }
  const spent = spendTurns({ turns: pilot.turns, anchorMs: pilot.turnsAnchorMs }, TURN_COSTS.attack, at.nowMs, turnRegenFor(pilot, at.timeScale));
  if ('error' in spent) return refuse('insufficient_turns', undefined, { available: spent.available, needed: spent.needed });
  const total = stacks.reduce((sum, s) => sum + s.quantity, 0);
  const engagement = resolveEngagement({ fighters: order.fighters, shields: ship.shields }, { fighters: total, shields: 0 }, context.ids.seed);
  const changes = noChanges();
  changes.pilots.push({ userId: pilot.userId, turns: spent });
  changes.ships.push({ shipId: ship.id, fighters: -engagement.attacker_fighters_lost, shields: -engagement.attacker_shields_lost });
  const losses = spreadLosses(stacks, engagement.defender_fighters_lost);
  for (const { defense, lost } of losses) if (lost > 0) changes.defenses.push({ id: defense.id, quantity: -lost });
  const lead = [...stacks].sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
  const sectorId = context.sector.id;
  changes.combatLogs.push({
    id: context.ids.logId,
    regionId: context.sector.regionId,
    sectorId,
    attackerUserId: pilot.userId,
    defenderUserId: lead.ownerUserId,
    attackerName: pilot.name,
    defenderName: `${lead.ownerName}'s fighters`,
    seed: context.ids.seed,
    result: engagement.result,
    detail: { ...engagement, kind: 'attack_defenses', stacks: stacks.map((s) => s.id) },
  });
  const destroyed = engagement.result === 'destroyed';
  const summary = {
    log_id: context.ids.logId,
    sector_id: sectorId,
    attacker: pilot.name,
    defender: `${lead.ownerName}'s fighters`,
    result: engagement.result,
    rounds: engagement.rounds.length,
    attacker_fighters_lost: engagement.attacker_fighters_lost,
    defender_fighters_lost: engagement.defender_fighters_lost,
    destroyed,
  };
  changes.events.push(
    { topic: topics.player(pilot.userId), type: 'combat.resolved', data: summary },
    { topic: topics.sector(sectorId), type: 'sector.combat', data: summary },
  );
  for (const { defense, lost } of losses) {
    for (const topic of ownerTopics(defense)) {
      changes.events.push({
        topic,
        type: 'defenses.fired',
        data: {
          sector_id: sectorId,
          kind: 'fighters',
          pilot: pilot.name,
          log_id: context.ids.logId,
          lost,
          result: lost === defense.quantity ? 'destroyed' : 'attacked',
          credits: 0,
        },
      });
    }
  }
  return {
    changes,
    outcome: {
      log_id: context.ids.logId,
      sector_id: sectorId,
      committed: order.fighters,
      result: engagement.result,
      seed: context.ids.seed,
      fighters_lost: engagement.attacker_fighters_lost,
      shields_lost: engagement.attacker_shields_lost,
      defense_fighters_lost: engagement.defender_fighters_lost,
      defenses_left: total - engagement.defender_fighters_lost,
      destroyed,
      engagement,
    },
  };
}

// ---- a move through defended space ----------------------------------------------------------

export interface DefendedMoveContext {
  /** the stacks where the pilot is and where it goes */
  defenses: readonly Defense[];
  who: Allegiance;
  cameFrom: number | null;
  toll: TollChoice | undefined;
  /** ids and seed for a fight leaving (`departure`) and one arriving (`entry`) */
  departureIds: FightIds;
  entryIds: FightIds;
  refuge: Pick<DestructionContext, 'escapeTo' | 'escapeSnapshot'>;
  /** the sector left and the one entered: their regions */
  fromRegionId: number;
}

export interface DefendedMoveOutcome {
  hop: Hop;
  /** hostile defensive fighters fought the pilot passing on */
  departure: DefenseFight | null;
  entry: EntryOutcome | null;
  destroyed: boolean;
}

/**
 * One warp hop with the sectors' defenses: hostile defensive fighters where the pilot is attack
 * it if it passes on rather than retreating the way it came; then the hop (decideMove); then what
 * the defenses where it arrives do (decideEntry). A toll owed and no choice refuses the whole
 * move. A pilot destroyed leaving still spends the hop's turns, and ends in its pod.
 */
export function decideDefendedMove(crew: Crew, to: number, passage: Passage, context: DefendedMoveContext, at: GameTime): Decision<DefendedMoveOutcome> {
  const from = crew.pilot.sectorId;
  const move = decideMove(crew, to, passage, at);
  if ('refused' in move) return move;
  const here = context.defenses.filter((d) => d.sectorId === from);
  const there = context.defenses.filter((d) => d.sectorId === to);
  const holding = defensiveStacksFor(here, context.who, to, context.cameFrom);
  let departure: DefenseFight | null = null;
  let departureChanges = noChanges();
  if (holding.length > 0 && crew.ship.hull !== 'escape_pod') {
    const fought = defensesAttack(crew, holding, { id: from, regionId: context.fromRegionId }, context.departureIds, context.refuge, at);
    departure = fought.fight;
    departureChanges = fought.changes;
    if (fought.fight.destroyed) {
      // The move's changes first: the destruction's position (the pod's FedSpace sector) wins.
      return { changes: mergeChanges(move.changes, departureChanges), outcome: { hop: move.outcome, departure, entry: null, destroyed: true } };
    }
  }
  const arrived = crewAfter(crew, mergeChanges(departureChanges, move.changes));
  const entry = decideEntry(
    arrived,
    { sector: { id: to, regionId: passage.toRegionId }, defenses: there, who: context.who, toll: context.toll, ids: context.entryIds, refuge: context.refuge },
    at,
  );
  if ('refused' in entry) return entry;
  const acted = entry.outcome.mines.length > 0 || entry.outcome.toll !== null || entry.outcome.fight !== null;
  return {
    changes: mergeChanges(departureChanges, move.changes, entry.changes),
    outcome: { hop: move.outcome, departure, entry: acted ? entry.outcome : null, destroyed: entry.outcome.destroyed },
  };
}
