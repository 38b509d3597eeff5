import { newActionKey } from '../client/index.js';
import type { Good, PlayerState, Session } from './game-api.js';

/** What the colonizers add up to, for the economy report. */
export interface ColonyTally {
  colonizers: number;
  planets: number;
  colonists_settled: number;
  /** units loaded off planets (what planets put into the goods supply) */
  goods_loaded: Record<Good, number>;
  /** credits from selling planet-made goods (what planets put into the money supply) */
  sales_credits: number;
  errors: number;
  refusals: Record<string, number>;
}

export function newColonyTally(): ColonyTally {
  return { colonizers: 0, planets: 0, colonists_settled: 0, goods_loaded: { ore: 0, organics: 0, equipment: 0 }, sales_credits: 0, errors: 0, refusals: {} };
}

export interface ColonyPlan {
  stardock: number;
  /** where this colonizer fires its torpedo (outside FedSpace, fewer than 3 planets) */
  home: number;
  /** the good its colonists make, and the nearest port that buys it */
  good: Good;
  market: number;
  course(from: number, to: number): number[];
  /** real ms in a game day */
  dayMs: number;
}

/**
 * A colonizing pilot for the economy scenario (GAME.md "Planets"): a genesis torpedo from the
 * Stardock, a hold of colonists from Earth Station, a planet outside FedSpace with every
 * colonist on one good; then, a game day at a time, it loads what the planet made and sells it
 * at the nearest port that buys it. Everything goes over the API like any client; refusals are
 * counted, not fatal. Its start-up capital (a torpedo costs more than a new pilot has) is granted
 * by the scenario through the ledger.
 */
export class Colonist {
  private at: number;
  private planetId: number | null = null;

  constructor(
    private readonly session: Session,
    state: PlayerState,
    private readonly plan: ColonyPlan,
    private readonly tally: ColonyTally,
  ) {
    this.at = state.player.sector_id;
    tally.colonizers++;
  }

  async run(stop: () => boolean): Promise<void> {
    const client = this.session.client;
    const { plan } = this;
    if (!(await this.fly(plan.stardock, stop))) return;
    if (!(await this.call(() => client.shipyard.buyEquipment({ item: 'genesis_torpedoes', quantity: 1 }, newActionKey())))) return;
    if (!(await this.fly(1, stop))) return;
    const state = await this.call(() => client.player.state());
    if (!state) return;
    const colonists = Math.min(state.ship.holds_free, Math.floor((state.player.credits - 1_000) / 60));
    if (!(await this.call(() => client.trade.buy({ good: 'colonists', quantity: colonists }, newActionKey())))) return;
    if (!(await this.fly(plan.home, stop))) return;
    const made = await this.call(() =>
      client.planets.genesis({ name: `Colony ${this.session.username.replace(/[^A-Za-z0-9]/g, '').slice(-6)}` }, newActionKey()),
    );
    if (!made) return;
    const id = made.planet.id;
    this.planetId = id;
    this.tally.planets++;
    if (!(await this.call(() => client.planets.land(id, newActionKey())))) return;
    if (!(await this.call(() => client.planets.colonists(id, { action: 'drop', quantity: colonists }, newActionKey())))) return;
    this.tally.colonists_settled += colonists;
    const allocation = { fuel_ore: 0, organics: 0, equipment: 0, fighters: 0, [plan.good === 'ore' ? 'fuel_ore' : plan.good]: 100 };
    if (!(await this.call(() => client.planets.allocation(id, allocation as never, newActionKey())))) return;
    while (!stop()) {
      await new Promise((resolve) => setTimeout(resolve, plan.dayMs));
      if (stop()) return;
      if (this.at !== plan.home) {
        if (!(await this.fly(plan.home, stop))) return;
        if (!(await this.call(() => client.planets.land(id, newActionKey())))) continue;
      }
      const planet = await this.call(() => client.planets.get(id));
      const ship = await this.call(() => client.player.state());
      if (!planet || !ship || !('stock' in planet)) continue;
      const units = Math.min(planet.stock[plan.good], ship.ship.holds_free);
      if (units <= 0) continue;
      if (!(await this.call(() => client.planets.cargo(id, { action: 'load', good: plan.good, quantity: units }, newActionKey())))) continue;
      this.tally.goods_loaded[plan.good] += units;
      if (!(await this.fly(plan.market, stop))) return;
      const sold = await this.call(() => client.trade.sell({ good: plan.good, quantity: units }, newActionKey()));
      if (sold) this.tally.sales_credits += sold.trade.total;
    }
  }

  get planet(): number | null {
    return this.planetId;
  }

  private async call<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code) this.tally.refusals[code] = (this.tally.refusals[code] ?? 0) + 1;
      else this.tally.errors++;
      return null;
    }
  }

  private async fly(to: number, stop: () => boolean): Promise<boolean> {
    while (this.at !== to) {
      if (stop()) return false;
      const next = this.plan.course(this.at, to)[1]!;
      const moved = await this.call(() => this.session.client.player.move(next, newActionKey()));
      if (!moved) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      this.at = next;
    }
    return true;
  }
}
