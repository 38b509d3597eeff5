import type pg from 'pg';
import { BASE_PRICE } from '../game/catalog/goods.js';
import { HULLS, type BuyableHullId } from '../game/catalog/hulls.js';
import { POLICE } from '../game/catalog/npcs.js';
import { STARDOCK } from '../game/catalog/stardock.js';
import { noChanges } from '../game/changes.js';
import { openDatabase } from '../platform/db/database.js';
import { applyChanges } from '../world/applier.js';
import type { AttackResult, GameApi, Good, PlayerState, SectorView, Session } from './game-api.js';
import type { WorkedPair } from './pair-worker.js';
import { sleep } from './processes.js';

/**
 * The economy scenario's frontier: who meets the pirates and the police. Frontier traders work a
 * port pair beyond the border (half keep their hull's fighters aboard, half never buy any),
 * hunters are given capital to fit a Defender and go after pirates for the bounty, and rogues
 * attack traders near Terra until they are wanted, then sit in FedSpace until the police fine
 * them. They all play over the API; what happened to them is read back from the combat logs and
 * the ledger at the end (frontierOutcome in economy.ts).
 */

export type FrontierRole = 'trader_armed' | 'trader_unarmed' | 'frontier_armed' | 'frontier_unarmed' | 'hunter' | 'rogue';

export interface FrontierTally {
  /** hulls lost, by role and hull, as each pilot found its escape pod */
  lost: Record<string, number>;
  /** hulls bought back at the Stardock after a loss */
  refits: number;
  /** pods that could not afford a hull and sat the rest of the run out */
  stranded: number;
  hunter: { attacks: number; kills: number; fighters_lost: number; shields_lost: number; refused: Record<string, number> };
  rogue: { attacks: number; kills: number; wanted: number; fines_seen: number; refused: Record<string, number> };
  errors: number;
}

export function newFrontierTally(): FrontierTally {
  return {
    lost: {},
    refits: 0,
    stranded: 0,
    hunter: { attacks: 0, kills: 0, fighters_lost: 0, shields_lost: 0, refused: {} },
    rogue: { attacks: 0, kills: 0, wanted: 0, fines_seen: 0, refused: {} },
    errors: 0,
  };
}

/** What the bench knows of the galaxy: the warp graph's courses and each sector's zone. */
export interface FrontierMap {
  stardock: number;
  course(from: number, to: number): number[];
  neighbours(sectorId: number): number[];
  zone(sectorId: number): 'federation' | 'border' | 'frontier';
  fedspace(sectorId: number): boolean;
}

type Ship = PlayerState['ship'];

/** A pilot the bench flies: its position, credits, ship and alignment as the answers told it. */
class FlownPilot {
  at: number;
  credits: number;
  alignment: number;
  ship: Ship;
  sector: SectorView | null = null;

  constructor(
    protected readonly api: GameApi,
    protected readonly session: Session,
    state: PlayerState,
    protected readonly map: FrontierMap,
    protected readonly tally: FrontierTally,
    readonly role: FrontierRole,
  ) {
    this.at = state.player.sector_id;
    this.credits = state.player.credits;
    this.alignment = state.player.alignment;
    this.ship = state.ship;
  }

  get name(): string {
    return this.session.username;
  }

  protected learn(body: { player: PlayerState['player']; ship?: Ship }): void {
    const wasHull = this.ship.hull;
    this.at = body.player.sector_id;
    this.credits = body.player.credits;
    this.alignment = body.player.alignment;
    if (body.ship) {
      if (body.ship.escape_pod && !this.ship.escape_pod) {
        const key = `${this.role}:${wasHull}`;
        this.tally.lost[key] = (this.tally.lost[key] ?? 0) + 1;
      }
      this.ship = body.ship;
    }
  }

  /** The whole state again: how a pilot finds out its ship was destroyed while it flew. */
  protected async refresh(): Promise<void> {
    const res = await this.api.state(this.session);
    if (res.status === 200) this.learn(res.body);
    else this.tally.errors++;
  }

  /** Fly a course through the full warp graph; false when stopped first. */
  protected async fly(to: number, stop: () => boolean): Promise<boolean> {
    while (this.at !== to) {
      if (stop()) return false;
      if (!(await this.hop(this.map.course(this.at, to)[1]!))) await sleep(50);
    }
    return true;
  }

  protected async hop(to: number): Promise<boolean> {
    const res = await this.api.move(this.session, to);
    if (res.status !== 200) {
      // Out of turns, or a toll or defenses in the way: refresh and let the caller wait.
      await this.refresh();
      return false;
    }
    this.learn(res.body);
    this.sector = res.body.sector;
    return true;
  }

  /** Back in a hull after a loss, if the credits allow; false when it must sit the run out. */
  protected async refit(stop: () => boolean, hull: BuyableHullId = 'light_freighter'): Promise<boolean> {
    if (!this.ship.escape_pod) return true;
    if (this.credits < (HULLS[hull].cost ?? 0)) {
      this.tally.stranded++;
      return false;
    }
    if (!(await this.fly(this.map.stardock, stop))) return false;
    const res = await this.api.buyHull(this.session, hull);
    if (res.status !== 200) {
      this.tally.errors++;
      return false;
    }
    this.learn(res.body);
    this.tally.refits++;
    return true;
  }

  /**
   * Fighters up to the hull's most, as far as the credits above `reserve` go (and, with
   * `shields`, the shields topped up first).
   */
  protected async arm(stop: () => boolean, reserve: number, shields = false): Promise<void> {
    const price = STARDOCK.unitPrice;
    const shieldsWanted = shields ? Math.min(this.ship.max_shields - this.ship.shields, Math.floor((this.credits - reserve) / price.shields)) : 0;
    if (this.ship.fighters >= this.ship.max_fighters && shieldsWanted <= 0) return;
    if (!(await this.fly(this.map.stardock, stop))) return;
    if (shieldsWanted > 0) await this.buy('shields', shieldsWanted);
    const fighters = Math.min(this.ship.max_fighters - this.ship.fighters, Math.floor((this.credits - reserve) / price.fighters));
    if (fighters > 0) await this.buy('fighters', fighters);
  }

  private async buy(item: 'fighters' | 'shields', quantity: number): Promise<void> {
    const res = await this.api.buyEquipment(this.session, item, quantity);
    if (res.status === 200) this.learn(res.body);
    else this.tally.errors++;
  }

  protected async attack(target: string, bucket: FrontierTally['hunter'] | FrontierTally['rogue']): Promise<AttackResult | null> {
    const res = await this.api.attack(this.session, target, this.ship.fighters);
    if (res.status !== 200) {
      const code = res.code ?? String(res.status);
      bucket.refused[code] = (bucket.refused[code] ?? 0) + 1;
      return null;
    }
    bucket.attacks++;
    if (res.body.attack.destroyed) bucket.kills++;
    this.learn(res.body);
    return res.body;
  }
}

/**
 * A trader working a frontier pair, where the pirates roam. Armed, it keeps its hull's fighters
 * aboard (a light freighter's 100 is twice what a pirate counts as weak); unarmed, it never buys
 * any. After a loss it buys a light freighter at the Stardock and goes back to work.
 */
export class FrontierTrader extends FlownPilot {
  constructor(
    api: GameApi,
    session: Session,
    state: PlayerState,
    map: FrontierMap,
    tally: FrontierTally,
    private readonly pair: WorkedPair,
    private readonly armed: boolean,
  ) {
    super(api, session, state, map, tally, armed ? 'frontier_armed' : 'frontier_unarmed');
  }

  async run(stop: () => boolean): Promise<void> {
    const { a, b, out, back } = this.pair;
    while (!stop()) {
      if (this.ship.escape_pod && !(await this.refit(stop))) return;
      if (this.armed && this.ship.fighters < this.ship.max_fighters) await this.arm(stop, 2_000);
      if (!(await this.fly(a, stop))) return;
      if (out) await this.trade('buy', out);
      if (!(await this.fly(b, stop))) return;
      if (out) await this.trade('sell', out);
      if (back) await this.trade('buy', back);
      if (!(await this.fly(a, stop))) return;
      if (back) await this.trade('sell', back);
      await this.refresh();
    }
  }

  private async trade(side: 'buy' | 'sell', good: Good): Promise<void> {
    const g = this.sector?.port?.goods.find((x) => x.good === good);
    const quantity =
      side === 'buy'
        ? g?.port_action === 'sells'
          ? Math.min(this.ship.holds_free, g.tradable, Math.floor(this.credits / Math.ceil(g.unit_price * 1.4)))
          : 0
        : g?.port_action === 'buys'
          ? Math.min(this.ship.cargo[good], g.tradable)
          : 0;
    if (quantity <= 0) return;
    const res = await this.api.trade(this.session, side, good, quantity);
    if (res.status === 200) this.learn(res.body);
    else await this.refresh();
  }
}

/** Fighters a hunter keeps after buying its Defender; below REARM_AT it goes back for more. */
const HUNTER_RESERVE = 5_000;
const REARM_AT = 250;
/** A pirate's 150 fighters and 100 shields are beaten with a margin by this many. */
const HUNT_WITH = 200;

/**
 * A bounty hunter: given capital (a "bench_capital" ledger row), it fits a Defender with
 * fighters, roams the frontier and attacks every pirate it meets with all it has, rearming with
 * its bounties while they pay for it.
 */
export class PirateHunter extends FlownPilot {
  private readonly seen: number[] = [];

  constructor(api: GameApi, session: Session, state: PlayerState, map: FrontierMap, tally: FrontierTally) {
    super(api, session, state, map, tally, 'hunter');
  }

  async run(stop: () => boolean): Promise<void> {
    if (!(await this.fly(this.map.stardock, stop))) return;
    const fitted = await this.api.buyHull(this.session, 'defender');
    if (fitted.status === 200) this.learn(fitted.body);
    else this.tally.errors++;
    await this.arm(stop, HUNTER_RESERVE, true);
    while (!stop()) {
      if (this.ship.escape_pod && !(await this.refit(stop, 'defender'))) return;
      if (this.ship.fighters < REARM_AT || this.ship.shields < this.ship.max_shields / 4) {
        await this.arm(stop, 0, true);
        if (this.ship.fighters < HUNT_WITH) return; // the bounties no longer pay for the fighters
      }
      const pirate = this.sector?.players.find((p) => p.npc && p.name.startsWith('Pirate') && p.hull !== 'escape_pod');
      if (pirate) {
        const before = this.ship.fighters;
        const fight = await this.attack(pirate.name, this.tally.hunter);
        if (fight) {
          this.tally.hunter.fighters_lost += fight.attack.fighters_lost;
          this.tally.hunter.shields_lost += fight.attack.shields_lost;
        } else if (before === this.ship.fighters) await this.roam(stop);
        if (fight && !fight.attack.destroyed) continue;
      }
      await this.roam(stop);
    }
  }

  /** One hop, preferring frontier sectors it has not seen lately, heading out there when it is not. */
  private async roam(stop: () => boolean): Promise<void> {
    if (stop()) return;
    const around = this.map.neighbours(this.at).filter((s) => !this.map.fedspace(s));
    const frontier = around.filter((s) => this.map.zone(s) === 'frontier');
    const fresh = (frontier.length ? frontier : around).filter((s) => !this.seen.includes(s));
    const pool = fresh.length ? fresh : frontier.length ? frontier : around;
    let to = pool[Math.floor(Math.random() * pool.length)];
    if (!frontier.length && this.map.zone(this.at) !== 'frontier') to = this.towardFrontier() ?? to;
    if (to === undefined) return;
    if (await this.hop(to)) {
      this.seen.push(to);
      if (this.seen.length > 30) this.seen.shift();
    } else await sleep(50);
  }

  private towardFrontier(): number | undefined {
    const queue = [this.at];
    const parent = new Map<number, number>([[this.at, this.at]]);
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      if (this.map.zone(v) === 'frontier') {
        let step = v;
        while (parent.get(step) !== this.at) step = parent.get(step)!;
        return step;
      }
      for (const w of this.map.neighbours(v)) {
        if (!parent.has(w)) {
          parent.set(w, v);
          queue.push(w);
        }
      }
    }
    return undefined;
  }
}

const ROGUE_RESERVE = 5_000;
/** How long a wanted rogue waits in FedSpace for the police before it gives up, in real ms. */
const WAIT_FOR_POLICE_MS = 5_000;

/**
 * A rogue: it arms and lies in wait on the frontier pair for the unarmed traders working it
 * (offline pilots are not listed in a sector, so it asks for them by name, as a player who knows
 * their habits would), which drags its alignment down (attacking good pilots). Once wanted it
 * flies to Terra, in FedSpace, and waits for the police, who fine it what it can pay and clear
 * its record; then it goes back out.
 */
export class Rogue extends FlownPilot {
  private end = 0;

  constructor(
    api: GameApi,
    session: Session,
    state: PlayerState,
    map: FrontierMap,
    tally: FrontierTally,
    /** the pair's two sectors, and the names of the traders it preys on */
    private readonly den: [number, number],
    private readonly victims: readonly string[],
  ) {
    super(api, session, state, map, tally, 'rogue');
  }

  async run(stop: () => boolean): Promise<void> {
    while (!stop()) {
      if (this.ship.escape_pod && !(await this.refit(stop))) return;
      // It keeps enough to pay a fine: the police take what a wanted pilot can pay, and a pilot
      // who can pay nothing is not cleared.
      if (this.ship.fighters < this.ship.max_fighters / 2) await this.arm(stop, ROGUE_RESERVE);
      if (this.alignment < POLICE.alignmentBelow) {
        await this.surrender(stop);
        continue;
      }
      if (!(await this.fly(this.den[this.end]!, stop))) return;
      let struck = false;
      for (const name of this.victims) {
        if (stop() || this.ship.fighters <= 10) break;
        if (await this.attack(name, this.tally.rogue)) struck = true;
      }
      // Nobody home: try the other end of the pair.
      if (!struck) {
        this.end = 1 - this.end;
        await sleep(50);
      }
    }
  }

  private async surrender(stop: () => boolean): Promise<void> {
    this.tally.rogue.wanted++;
    if (!(await this.fly(1, stop))) return;
    const until = Date.now() + WAIT_FOR_POLICE_MS;
    while (!stop() && Date.now() < until) {
      await sleep(100);
      await this.refresh();
      if (this.alignment >= 0) {
        this.tally.rogue.fines_seen++;
        return;
      }
    }
  }
}

/** Credits for the hunters' Defenders (and colonizers' torpedoes), written like any credit change: one applier, a ledger row each. */
export async function grantCapital(databaseUrl: string | undefined, grants: Array<{ userId: string; credits: number }>): Promise<void> {
  if (grants.length === 0) return;
  if (!databaseUrl) throw new Error('capital is granted in the target database, which this target does not name');
  const handle = await openDatabase({ databaseUrl, databasePoolSize: 1, dataDir: '' });
  try {
    const changes = noChanges();
    for (const g of grants) changes.credits.push({ userId: g.userId, delta: g.credits, reason: 'bench_capital', ref: { for: 'the economy bench' } });
    await handle.region.transaction().execute((trx) => applyChanges(trx, changes));
  } finally {
    await handle.close();
  }
}

export interface RoleOutcome {
  role: FrontierRole;
  pilots: number;
  /** attacked by a pirate, and how often that destroyed the ship */
  raided: number;
  lost_to_pirates: number;
  /** attacked by another player (the rogues), and destroyed */
  attacked_by_players: number;
  lost_to_players: number;
  /** still in an escape pod when the run ended */
  pods_at_end: number;
}

export interface FrontierOutcome {
  pirates: number;
  roles: RoleOutcome[];
  raids: number;
  traders_destroyed: number;
  pirates_destroyed: number;
  /** destroyed pirates back in a ship by the end */
  pirates_active_at_end: number;
  bounties: { paid: number; credits: number };
  fines: { paid: number; credits: number };
  capital: number;
  /** cargo left in the wrecks of pirates' raids (units, and at base prices) */
  raided_cargo: { units: number; credits: number };
}

/** What the month did on the frontier, read back from the combat logs, the ledger and the wrecks. */
export async function frontierOutcome(pool: pg.Pool, roles: Map<string, FrontierRole>): Promise<FrontierOutcome> {
  const pirates = (
    await pool.query<{ user_id: string; hull: string }>(
      `select p.user_id, s.hull from players p join ships s on s.id = p.ship_id where p.npc and p.name like 'Pirate %'`,
    )
  ).rows;
  const pirateIds = pirates.map((p) => p.user_id);
  const logs = (
    await pool.query<{ id: string; attacker: string; defender: string; result: string }>(
      'select id, attacker_user_id as attacker, defender_user_id as defender, result from combat_logs',
    )
  ).rows;
  const isPirate = new Set(pirateIds);
  const byRole = new Map<FrontierRole, RoleOutcome>();
  for (const role of new Set(roles.values())) {
    byRole.set(role, {
      role,
      pilots: [...roles.values()].filter((r) => r === role).length,
      raided: 0,
      lost_to_pirates: 0,
      attacked_by_players: 0,
      lost_to_players: 0,
      pods_at_end: 0,
    });
  }
  const pods = (
    await pool.query<{ user_id: string }>(`select p.user_id from players p join ships s on s.id = p.ship_id where s.hull = 'escape_pod' and not p.npc`)
  ).rows;
  for (const { user_id } of pods) {
    const outcome = byRole.get(roles.get(user_id)!);
    if (outcome) outcome.pods_at_end++;
  }
  let raids = 0;
  let tradersDestroyed = 0;
  let piratesDestroyed = 0;
  const raidLogs: string[] = [];
  for (const log of logs) {
    const destroyed = log.result === 'destroyed';
    if (isPirate.has(log.attacker)) {
      raids++;
      raidLogs.push(log.id);
      if (destroyed) tradersDestroyed++;
      const outcome = byRole.get(roles.get(log.defender)!);
      if (outcome) {
        outcome.raided++;
        if (destroyed) outcome.lost_to_pirates++;
      }
    } else if (isPirate.has(log.defender)) {
      if (destroyed) piratesDestroyed++;
    } else {
      const outcome = byRole.get(roles.get(log.defender)!);
      if (outcome) {
        outcome.attacked_by_players++;
        if (destroyed) outcome.lost_to_players++;
      }
    }
  }
  const ledger = (
    await pool.query<{ reason: string; n: string; total: string }>(
      `select reason, count(*)::bigint as n, coalesce(sum(delta), 0)::bigint as total from credit_ledger
     where reason in ('pirate_bounty', 'federation_fine', 'bench_capital') group by reason`,
    )
  ).rows;
  const of = (reason: string) => ledger.find((r) => r.reason === reason);
  const wrecks = raidLogs.length
    ? (
        await pool.query<{ ore: string; organics: string; equipment: string }>(
          `select coalesce(sum(cargo_ore), 0)::bigint as ore, coalesce(sum(cargo_organics), 0)::bigint as organics, coalesce(sum(cargo_equipment), 0)::bigint as equipment
         from wrecks where combat_log_id = any($1::uuid[])`,
          [raidLogs],
        )
      ).rows[0]!
    : { ore: '0', organics: '0', equipment: '0' };
  const units = { ore: Number(wrecks.ore), organics: Number(wrecks.organics), equipment: Number(wrecks.equipment) };
  return {
    pirates: pirates.length,
    roles: [...byRole.values()],
    raids,
    traders_destroyed: tradersDestroyed,
    pirates_destroyed: piratesDestroyed,
    pirates_active_at_end: pirates.filter((p) => p.hull !== 'escape_pod').length,
    bounties: { paid: Number(of('pirate_bounty')?.n ?? 0), credits: Number(of('pirate_bounty')?.total ?? 0) },
    fines: { paid: Number(of('federation_fine')?.n ?? 0), credits: -Number(of('federation_fine')?.total ?? 0) },
    capital: Number(of('bench_capital')?.total ?? 0),
    raided_cargo: {
      units: units.ore + units.organics + units.equipment,
      credits: units.ore * BASE_PRICE.ore + units.organics * BASE_PRICE.organics + units.equipment * BASE_PRICE.equipment,
    },
  };
}
