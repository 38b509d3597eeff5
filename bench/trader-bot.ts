import { BASE_PRICE } from '../game/catalog/goods.js';
import { type BuyableHullId, HULLS, type HullId } from '../game/catalog/hulls.js';
import { STARDOCK } from '../game/catalog/stardock.js';
import { holdsPrice } from '../game/shipyard.js';
import { priceBand } from '../game/pricing.js';
import type { GameApi, Good, Session, PlayerState, SectorView } from './game-api.js';
import { firstHop, learnSector, learnState, learnTrade, newKnowledge, type Knowledge, type PortGoodSeen } from './virtual-player.js';

/** A margin worth a trip: below it a trader keeps looking. */
const MIN_MARGIN = 0.05;

export interface BotTally {
  actions: number;
  trades: number;
  refused: Record<string, number>;
  errors: number;
  /** completed round trips: what the load cost and what it sold for */
  roundTrips: Array<{ cost: number; revenue: number }>;
  /** prices seen outside base × [0.6, 1.4]: live port views and executed trades */
  bandViolations: Array<{ where: string; good: Good; price: number; band: [number, number] }>;
  pricesChecked: number;
  /** what the bots bought at the Stardock, and what it cost them */
  stardock: { visits: number; spent: number; hulls: number; holds: number; fighters: number };
  /** hulls lost (armed or unarmed bots, by hull), as each bot found its escape pod, and bought back */
  lost: Record<string, number>;
  refits: number;
}

/** When a bot with no cargo has this much, it flies to the Stardock to spend what is above the reserve. */
const SHOP_AT = 22_000;
const RESERVE = 10_000;
/** The upgrade a bot buys once it can afford it with the reserve left. */
const UPGRADE: BuyableHullId = 'cargo_hauler';
/** After a visit, the bot trades on until it has this much more before it shops again. */
const SHOP_AGAIN_AFTER = 15_000;

export function newTally(): BotTally {
  return {
    actions: 0,
    trades: 0,
    refused: {},
    errors: 0,
    roundTrips: [],
    bandViolations: [],
    pricesChecked: 0,
    stardock: { visits: 0, spent: 0, hulls: 0, holds: 0, fighters: 0 },
    lost: {},
    refits: 0,
  };
}

/**
 * A profit-seeking trader for the economy scenario: it explores outward from Terra, remembers
 * every port's prices as it last saw them, sells its cargo where it fetches most, and buys
 * what it knows a better buyer for. Armed, it spends on fighters first (up to its hull's most);
 * unarmed, never. A bot that finds itself in an escape pod buys a light freighter back. It plays
 * over the API like any client.
 */
export class TraderBot {
  readonly k: Knowledge;
  private cargoCost = 0;
  private cargoRevenue = 0;
  private sequence = 0;
  private hull: HullId;
  private holds: number;
  private fighters: number;
  private nextShopAt = SHOP_AT;

  constructor(
    private readonly api: GameApi,
    private readonly session: Session,
    state: PlayerState,
    private readonly tally: BotTally,
    /** where the Stardock is: with it, the bot spends profits there (holds, fighters, a bigger hull) */
    private readonly stardockSectorId: number | null = null,
    readonly armed = true,
  ) {
    this.k = newKnowledge(state);
    this.hull = state.ship.hull as HullId;
    this.holds = state.ship.holds;
    this.fighters = state.ship.fighters;
  }

  async step(): Promise<void> {
    const k = this.k;
    this.tally.actions++;
    if (!k.warps.has(k.sectorId)) {
      const res = await this.api.sector(this.session, k.sectorId);
      if (res.status === 200) this.see(res.body);
      else this.tally.errors++;
      return;
    }
    const carrying = k.cargo.ore + k.cargo.organics + k.cargo.equipment;
    const pod = this.hull === 'escape_pod';
    const shopping = this.stardockSectorId !== null && (pod || (carrying === 0 && k.credits >= this.nextShopAt));
    if (shopping && k.sectorId === this.stardockSectorId) {
      await this.shop();
      return;
    }
    const here = k.ports.get(k.sectorId);
    if (!shopping && here && (await this.tradeHere(here))) return;
    const toDock = shopping ? firstHop(k, k.sectorId, (s) => s === this.stardockSectorId) : undefined;
    const to = toDock ?? this.destination();
    const res = await this.api.move(this.session, to, this.key());
    if (res.status === 200) {
      learnState(k, res.body);
      this.see(res.body.sector);
    } else {
      this.count(res.status, res.code);
      k.warps.delete(k.sectorId);
      await this.refresh();
    }
  }

  /** The whole state again: a destroyed ship escapes to a neighbouring sector in a pod. */
  private async refresh(): Promise<void> {
    const state = await this.api.state(this.session);
    if (state.status === 200) this.learnShip(state.body);
  }

  /** One trade if there is one worth making here; false when there is nothing to do. */
  private async tradeHere(here: PortGoodSeen[]): Promise<boolean> {
    const k = this.k;
    const sell = here.find((g) => !g.portSells && k.cargo[g.good] > 0 && g.tradable > 0);
    if (sell) return this.trade('sell', sell.good, Math.min(k.cargo[sell.good], sell.tradable));
    if (k.holdsFree === 0) return false;
    let best: { g: PortGoodSeen; margin: number } | undefined;
    for (const g of here) {
      if (!g.portSells || g.tradable === 0) continue;
      const margin = (this.bestBuyer(g.good)?.price ?? 0) / g.unitPrice - 1;
      if (margin > MIN_MARGIN && (!best || margin > best.margin)) best = { g, margin };
    }
    if (!best) return false;
    const affordable = Math.floor(k.credits / Math.ceil(best.g.unitPrice * 1.4));
    const quantity = Math.min(k.holdsFree, best.g.tradable, affordable);
    if (quantity <= 0) return false;
    return this.trade('buy', best.g.good, quantity);
  }

  private async trade(side: 'buy' | 'sell', good: Good, quantity: number): Promise<boolean> {
    const res = await this.api.trade(this.session, side, good, quantity, this.key());
    if (res.status !== 200) {
      this.count(res.status, res.code);
      // What it believed about this port (or its own ship: a pirate may have been by) was stale:
      // look again before deciding.
      this.k.warps.delete(this.k.sectorId);
      await this.refresh();
      return true;
    }
    this.tally.trades++;
    this.learnShip(res.body);
    this.checkPrice(`trade ${side} at sector ${this.k.sectorId}`, good, res.body.trade.average_unit_price);
    learnTrade(this.k, res.body);
    if (side === 'buy') this.cargoCost += res.body.trade.total;
    else this.cargoRevenue += res.body.trade.total;
    const carrying = this.k.cargo.ore + this.k.cargo.organics + this.k.cargo.equipment;
    if (side === 'sell' && carrying === 0 && this.cargoCost > 0) {
      this.tally.roundTrips.push({ cost: this.cargoCost, revenue: this.cargoRevenue });
      this.cargoCost = 0;
      this.cargoRevenue = 0;
    }
    return true;
  }

  /** Where to fly next: a buyer for the cargo, a seller with a known buyer, or the unexplored. */
  private destination(): number {
    const k = this.k;
    let goal: number | undefined;
    const carried = (['ore', 'organics', 'equipment'] as const).filter((g) => k.cargo[g] > 0);
    if (carried.length > 0) {
      let best = 0;
      for (const good of carried) {
        const buyer = this.bestBuyer(good);
        if (buyer && buyer.sectorId !== k.sectorId && buyer.price > best) ({ price: best, sectorId: goal } = buyer);
      }
    } else {
      let best = MIN_MARGIN;
      for (const [sectorId, goods] of k.ports) {
        if (sectorId === k.sectorId) continue;
        for (const g of goods) {
          if (!g.portSells || g.tradable === 0) continue;
          const margin = (this.bestBuyer(g.good)?.price ?? 0) / g.unitPrice - 1;
          if (margin > best) {
            best = margin;
            goal = sectorId;
          }
        }
      }
    }
    const exits = k.warps.get(k.sectorId)!;
    const hop = goal !== undefined ? firstHop(k, k.sectorId, (s) => s === goal) : undefined;
    // Nothing worth a trip known yet: explore toward the nearest sector not seen.
    return hop ?? firstHop(k, k.sectorId, (s) => !k.warps.has(s)) ?? exits[Math.floor(Math.random() * exits.length)]!;
  }

  /** Spend what is above the reserve: a bigger hull when affordable, else extra holds, then fighters. */
  private async shop(): Promise<void> {
    const k = this.k;
    this.tally.stardock.visits++;
    try {
      await this.spend();
    } finally {
      this.nextShopAt = Math.max(SHOP_AT, k.credits + SHOP_AGAIN_AFTER);
    }
  }

  private async spend(): Promise<void> {
    const k = this.k;
    if (this.hull === 'escape_pod') {
      if (k.credits < (HULLS.light_freighter.cost ?? 0)) return;
      const res = await this.api.buyHull(this.session, 'light_freighter', this.key());
      if (res.status !== 200) return this.count(res.status, res.code);
      this.tally.refits++;
      return this.bought(res.body, 'hulls', 1);
    }
    let budget = k.credits - RESERVE;
    const hullCost = (HULLS[UPGRADE].cost ?? 0) - Math.floor((HULLS[this.hull].cost ?? 0) * STARDOCK.tradeInRate);
    if (this.hull !== UPGRADE && HULLS[this.hull].holds < HULLS[UPGRADE].holds && hullCost <= budget) {
      const res = await this.api.buyHull(this.session, UPGRADE, this.key());
      if (res.status === 200) return this.bought(res.body, 'hulls', 1);
      this.count(res.status, res.code);
    }
    const hull = HULLS[this.hull];
    if (this.armed) budget -= await this.buyFighters(budget);
    const extra = Math.max(0, this.holds - hull.holds);
    let holds = 0;
    while (this.holds + holds < hull.maxHolds && holdsPrice(extra, holds + 1) <= budget / 2) holds++;
    if (holds > 0) {
      const res = await this.api.buyEquipment(this.session, 'holds', holds, this.key());
      if (res.status !== 200) return this.count(res.status, res.code);
      budget -= res.body.purchase.total;
      this.bought(res.body, 'holds', holds);
    }
  }

  /** Fighters up to the hull's most, within `budget`; what they cost. */
  private async buyFighters(budget: number): Promise<number> {
    const fighters = Math.min(HULLS[this.hull].maxFighters - this.fighters, Math.floor(budget / STARDOCK.unitPrice.fighters));
    if (fighters <= 0) return 0;
    const res = await this.api.buyEquipment(this.session, 'fighters', fighters, this.key());
    if (res.status !== 200) {
      this.count(res.status, res.code);
      return 0;
    }
    this.bought(res.body, 'fighters', fighters);
    return res.body.purchase.total;
  }

  /** The ship as an answer shows it; an escape pod where a hull was is a loss. */
  private learnShip(result: { player: PlayerState['player']; ship: PlayerState['ship'] }): void {
    learnState(this.k, result);
    if (result.ship.escape_pod && this.hull !== 'escape_pod') {
      const key = `${this.armed ? 'trader_armed' : 'trader_unarmed'}:${this.hull}`;
      this.tally.lost[key] = (this.tally.lost[key] ?? 0) + 1;
    }
    this.hull = result.ship.hull as HullId;
    this.holds = result.ship.holds;
    this.fighters = result.ship.fighters;
  }

  private bought(
    result: { player: PlayerState['player']; ship: PlayerState['ship']; purchase: { credits_after: number } & ({ net_cost: number } | { total: number }) },
    what: 'hulls' | 'holds' | 'fighters',
    n: number,
  ): void {
    this.tally.stardock.spent += 'net_cost' in result.purchase ? result.purchase.net_cost : result.purchase.total;
    this.tally.stardock[what] += n;
    learnState(this.k, result);
    this.hull = result.ship.hull as HullId;
    this.holds = result.ship.holds;
    this.fighters = result.ship.fighters;
  }

  private bestBuyer(good: Good): { sectorId: number; price: number } | undefined {
    let best: { sectorId: number; price: number } | undefined;
    for (const [sectorId, goods] of this.k.ports) {
      for (const g of goods) {
        if (g.good === good && !g.portSells && g.tradable > 0 && (!best || g.unitPrice > best.price)) best = { sectorId, price: g.unitPrice };
      }
    }
    return best;
  }

  private see(sector: SectorView): void {
    learnSector(this.k, sector);
    for (const g of this.k.ports.get(sector.id) ?? []) this.checkPrice(`port at sector ${sector.id}`, g.good, g.unitPrice);
  }

  private checkPrice(where: string, good: Good, price: number): void {
    this.tally.pricesChecked++;
    const band = priceBand(BASE_PRICE[good]);
    if (price < band[0] || price > band[1]) this.tally.bandViolations.push({ where, good, price, band });
  }

  private count(status: number, code: string | null): void {
    if (status === 409) {
      const key = code ?? '409';
      this.tally.refused[key] = (this.tally.refused[key] ?? 0) + 1;
    } else this.tally.errors++;
  }

  private key(): string {
    return `${this.session.username}-${++this.sequence}`;
  }
}
