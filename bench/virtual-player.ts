import type { Random } from '../game/random.js';
import { interrupt } from './interrupt.js';
import type { Good, PlayerState, SectorView, TradeResult } from './game-api.js';
import { Samples, Tally, Timeline } from './stats.js';

/**
 * A virtual player: what it knows of the game (only what responses told it) and how it picks its
 * next action. The same policy drives the player over HTTP and the raw-SQL baseline, so both
 * do the same work.
 */
export type ActionName = 'state' | 'sector' | 'quote' | 'buy' | 'sell' | 'move';

/** The target mix, by weight (percent). */
export const ACTION_MIX: ReadonlyArray<readonly [ActionName, number]> = [
  ['state', 30],
  ['sector', 20],
  ['quote', 15],
  ['buy', 10],
  ['sell', 10],
  ['move', 15],
];

export const ACTION_NAMES: readonly ActionName[] = ACTION_MIX.map(([name]) => name);

/** 409s that are the game saying no (a full hold, an empty port), not the server failing. */
export const GAME_OUTCOMES: ReadonlySet<string> = new Set([
  'insufficient_credits',
  'insufficient_holds',
  'insufficient_cargo',
  'insufficient_turns',
  'exceeds_stock',
  'exceeds_demand',
  'no_port',
  'good_not_sold_here',
  'good_not_bought_here',
  // A pilot crossing a gate between regions: "in a moment", as the contract says (multi-regional mode).
  'in_transit',
]);

export interface PortGoodSeen {
  good: Good;
  /** the port sells it: players buy here */
  portSells: boolean;
  unitPrice: number;
  tradable: number;
}

export interface Knowledge {
  sectorId: number;
  credits: number;
  turns: number;
  holdsFree: number;
  cargo: Record<Good, number>;
  /** sector id → its exits, for every sector this player has seen */
  warps: Map<number, number[]>;
  /** sector id → the goods of its port, for every port this player has seen (none: no entry) */
  ports: Map<number, PortGoodSeen[]>;
  /** sectors seen that have no port */
  portless: Set<number>;
}

export type Decision =
  | { action: 'state' }
  | { action: 'sector' }
  | { action: 'quote'; side: 'buy' | 'sell'; good: Good; quantity: number }
  | { action: 'buy'; good: Good; quantity: number }
  | { action: 'sell'; good: Good; quantity: number }
  | { action: 'move'; to: number };

/** What a pilot knows on arrival: where it is; the rest comes from its first answers. */
export function newKnowledge(state?: PlayerState): Knowledge {
  const k: Knowledge = {
    sectorId: 1,
    credits: 0,
    turns: 0,
    holdsFree: 0,
    cargo: { ore: 0, organics: 0, equipment: 0 },
    warps: new Map(),
    ports: new Map(),
    portless: new Set(),
  };
  if (state) learnState(k, state);
  return k;
}

export function learnState(k: Knowledge, state: Pick<PlayerState, 'player'> & Partial<Pick<PlayerState, 'ship'>>): void {
  k.sectorId = state.player.sector_id;
  k.credits = state.player.credits;
  k.turns = state.player.turns;
  if (state.ship) {
    k.holdsFree = state.ship.holds_free;
    k.cargo.ore = state.ship.cargo.ore;
    k.cargo.organics = state.ship.cargo.organics;
    k.cargo.equipment = state.ship.cargo.equipment;
  }
}

export function learnSector(k: Knowledge, sector: Pick<SectorView, 'id' | 'warps' | 'port'>): void {
  k.warps.set(
    sector.id,
    sector.warps.map((w) => w.to),
  );
  const goods = (sector.port?.goods ?? [])
    .filter((g) => g.good !== 'colonists')
    .map((g) => ({ good: g.good as Good, portSells: g.port_action === 'sells', unitPrice: g.unit_price, tradable: g.tradable }));
  if (goods.length > 0) {
    k.ports.set(sector.id, goods);
    k.portless.delete(sector.id);
  } else {
    k.ports.delete(sector.id);
    k.portless.add(sector.id);
  }
}

export function learnTrade(k: Knowledge, result: TradeResult): void {
  learnState(k, result);
  const seen = k.ports.get(k.sectorId)?.find((g) => g.good === result.trade.good);
  if (seen) seen.tradable = seen.portSells ? result.trade.port_stock_after : Math.max(0, seen.tradable - result.trade.quantity);
}

/** The next action: the mix decides what kind, what the player knows decides the details. */
export function decide(k: Knowledge, rng: Random): Decision {
  if (!k.warps.has(k.sectorId)) return { action: 'sector' };
  const wanted = rng.pickWeighted(ACTION_MIX);
  const here = k.ports.get(k.sectorId);
  switch (wanted) {
    case 'state':
    case 'sector':
      return { action: wanted };
    case 'move':
      return moveDecision(k, rng, here !== undefined);
    case 'quote':
    case 'buy':
    case 'sell': {
      // Nowhere to trade here: a trader heads for the nearest port it knows (or explores).
      if (!here) return moveDecision(k, rng, false);
      const sell = sellable(k, here);
      const buy = buyable(k, here, rng);
      if (wanted === 'quote') {
        if (sell && (!buy || rng.chance(0.5))) return { action: 'quote', side: 'sell', ...sell };
        if (buy) return { action: 'quote', side: 'buy', ...buy };
        return { action: 'quote', side: here[0]!.portSells ? 'buy' : 'sell', good: here[0]!.good, quantity: 10 };
      }
      if (wanted === 'sell' && sell) return { action: 'sell', ...sell };
      if (buy) return { action: 'buy', ...buy };
      if (sell) return { action: 'sell', ...sell };
      // Nothing to do here (holds full of what this port does not buy): off to a port that does.
      return moveDecision(k, rng, true);
    }
  }
}

function sellable(k: Knowledge, here: PortGoodSeen[]): { good: Good; quantity: number } | undefined {
  for (const g of here) {
    if (g.portSells || k.cargo[g.good] === 0 || g.tradable === 0) continue;
    return { good: g.good, quantity: Math.min(k.cargo[g.good], g.tradable) };
  }
  return undefined;
}

function buyable(k: Knowledge, here: PortGoodSeen[], rng: Random): { good: Good; quantity: number } | undefined {
  const selling = here.filter((g) => g.portSells && g.tradable > 0);
  if (selling.length === 0 || k.holdsFree === 0) return undefined;
  const g = rng.pick(selling);
  // Prices are clamped to 1.4 × base, so this many units are always affordable.
  const affordable = Math.floor(k.credits / Math.max(1, Math.ceil(g.unitPrice * 1.4)));
  const quantity = Math.min(k.holdsFree, g.tradable, affordable, rng.int(5, 25));
  return quantity > 0 ? { good: g.good, quantity } : undefined;
}

/**
 * One hop toward the nearest known port where this pilot has business (cargo it buys, or goods
 * to fill free holds); a random or unexplored exit when no such port is known or reachable.
 */
function moveDecision(k: Knowledge, rng: Random, atPort: boolean): Decision {
  const exits = k.warps.get(k.sectorId);
  if (!exits || exits.length === 0) return { action: 'sector' };
  const unexplored = exits.filter((to) => !k.warps.has(to) && !k.portless.has(to));
  // Some curiosity keeps traders discovering ports rather than shuttling between the first two.
  if (unexplored.length > 0 && rng.chance(atPort ? 0.5 : 0.35)) return { action: 'move', to: rng.pick(unexplored) };
  const next = firstHopTo(k, k.sectorId, (sectorId) => hasBusiness(k, k.ports.get(sectorId)!));
  return { action: 'move', to: next ?? rng.pick(exits) };
}

function hasBusiness(k: Knowledge, port: PortGoodSeen[]): boolean {
  return port.some((g) => (g.portSells ? k.holdsFree > 0 && g.tradable > 0 : k.cargo[g.good] > 0 && g.tradable > 0));
}

/** BFS over the warps this player has seen, to the nearest known port (other than `from`) that `wanted` accepts. */
export function firstHopTo(k: Knowledge, from: number, wanted: (portSectorId: number) => boolean): number | undefined {
  return firstHop(k, from, (sectorId) => k.ports.has(sectorId) && wanted(sectorId));
}

/** The first hop of the shortest course, through the warps this player has seen, to a sector `goal` accepts. */
export function firstHop(k: Knowledge, from: number, goal: (sectorId: number) => boolean): number | undefined {
  const parent = new Map<number, number>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const w of k.warps.get(v) ?? []) {
      if (parent.has(w)) continue;
      parent.set(w, v);
      if (goal(w)) {
        let step = w;
        while (parent.get(step) !== from) step = parent.get(step)!;
        return step;
      }
      queue.push(w);
    }
  }
  return undefined;
}

/** How one action ended: a code for the report and whether it was an error. */
export interface ActionOutcome {
  /** '200', '409 insufficient_holds', '500 internal_error', 'network:ECONNRESET', … */
  code: string;
  kind: 'ok' | 'outcome' | 'error';
  status: number;
}

export function classify(status: number, code: string | null): ActionOutcome {
  if (status >= 200 && status < 300) return { code: String(status), kind: 'ok', status };
  if (status === 0) return { code: code ?? 'network', kind: 'error', status };
  const label = `${status} ${code ?? ''}`.trim();
  return { code: label, kind: status === 409 && code !== null && GAME_OUTCOMES.has(code) ? 'outcome' : 'error', status };
}

/** One player's connection to the game: performs a decision and updates what the player knows. */
export interface PlayerDriver {
  perform(decision: Decision, k: Knowledge): Promise<ActionOutcome>;
}

export interface ActionStats {
  samples: Samples;
  codes: Tally;
}

/** What a load phase measured, from the end of the warm-up on. */
export class LoadRecorder {
  readonly actions = new Map<ActionName, ActionStats>(ACTION_NAMES.map((name) => [name, { samples: new Samples(), codes: new Tally() }]));
  readonly all = new Samples();
  readonly timeline: Timeline;
  completed = 0;
  outcomes = 0;
  errors = 0;
  serverErrors = 0;
  /** everything done, warm-up included: for progress */
  seen = 0;

  constructor(
    readonly measureFromMs: number,
    readonly measureToMs: number,
  ) {
    this.timeline = new Timeline(measureFromMs, 1000, measureToMs);
  }

  /** Counted: actions that started after the warm-up and answered before the deadline. */
  record(action: ActionName, startedMs: number, endedMs: number, outcome: ActionOutcome): void {
    this.seen++;
    if (startedMs < this.measureFromMs || endedMs > this.measureToMs) return;
    const ms = endedMs - startedMs;
    const stats = this.actions.get(action)!;
    stats.codes.add(outcome.code);
    if (outcome.kind === 'error') {
      this.errors++;
      if (outcome.status >= 500 || outcome.status === 0) this.serverErrors++;
      return;
    }
    if (outcome.kind === 'outcome') this.outcomes++;
    this.completed++;
    stats.samples.add(ms);
    this.all.add(ms);
    this.timeline.record(endedMs, ms);
  }
}

/**
 * Closed-loop load: every player issues its next action as soon as the previous one answered,
 * until the deadline. N players = N requests in flight, as N busy humans would keep at most.
 */
export async function drivePlayers(
  players: Array<{ driver: PlayerDriver; knowledge: Knowledge; rng: Random }>,
  recorder: LoadRecorder,
  deadlineMs: number,
  thinkMs = 0,
): Promise<void> {
  await Promise.all(
    players.map(async ({ driver, knowledge, rng }) => {
      while (performance.now() < deadlineMs && !interrupt.requested) {
        const decision = decide(knowledge, rng);
        const started = performance.now();
        const outcome = await driver.perform(decision, knowledge);
        recorder.record(decision.action, started, performance.now(), outcome);
        // A person reads the screen before the next command: exponential pauses around the mean.
        if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - rng.next()) * thinkMs));
      }
    }),
  );
}
