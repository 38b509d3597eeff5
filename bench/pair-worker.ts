import type { GameApi, Good, PlayerState, SectorView, Session } from './game-api.js';
import type { BotTally } from './trader-bot.js';

/** One port pair to work: where each load is bought, and the courses between the ends. */
export interface WorkedPair {
  a: number;
  b: number;
  /** bought at a, sold at b; null when nothing pays that way */
  out: Good | null;
  back: Good | null;
  /** sector → sector courses, both ends inclusive (the full warp graph: the bench knows the galaxy) */
  course(from: number, to: number): number[];
}

/**
 * A trader that works one pair hard, round trip after round trip, for the economy scenario's
 * "markets remember play" figure: the worked pair's margin against an idle pair's. It flies
 * from Terra to the pair, then buys a full hold at one end and sells it at the other, until
 * told to stop. It plays over the API like any client; refusals are counted, not fatal.
 */
export class PairWorker {
  private sector: SectorView | null = null;
  private credits: number;
  private holdsFree: number;
  private cargo: Record<Good, number>;
  private at: number;

  constructor(
    private readonly api: GameApi,
    private readonly session: Session,
    state: PlayerState,
    private readonly pair: WorkedPair,
    private readonly tally: BotTally,
  ) {
    this.credits = state.player.credits;
    this.holdsFree = state.ship.holds_free;
    this.cargo = { ore: state.ship.cargo.ore, organics: state.ship.cargo.organics, equipment: state.ship.cargo.equipment };
    this.at = state.player.sector_id;
  }

  /** Work the pair until `stop()` says so (checked between actions). */
  async run(stop: () => boolean): Promise<void> {
    const { a, b, out, back } = this.pair;
    if (!(await this.fly(a, stop))) return;
    while (!stop()) {
      if (out) await this.buy(out);
      if (!(await this.fly(b, stop))) return;
      if (out) await this.sell(out);
      if (back) await this.buy(back);
      if (!(await this.fly(a, stop))) return;
      if (back) await this.sell(back);
    }
  }

  private async fly(to: number, stop: () => boolean): Promise<boolean> {
    while (this.at !== to) {
      if (stop()) return false;
      const next = this.pair.course(this.at, to)[1]!;
      this.tally.actions++;
      const res = await this.api.move(this.session, next);
      if (res.status !== 200) {
        this.count(res.code);
        // Out of turns (or a refusal): wait for the clock rather than hammer the API.
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      this.at = next;
      this.sector = res.body.sector;
    }
    return true;
  }

  private portGood(good: Good) {
    return this.sector?.port?.goods.find((g) => g.good === good);
  }

  private async buy(good: Good): Promise<void> {
    const g = this.portGood(good);
    if (g?.port_action !== 'sells') return;
    const quantity = Math.min(this.holdsFree, g.tradable, Math.floor(this.credits / Math.ceil(g.unit_price * 1.4)));
    if (quantity > 0) await this.trade('buy', good, quantity);
  }

  private async sell(good: Good): Promise<void> {
    const g = this.portGood(good);
    if (g?.port_action !== 'buys') return;
    const quantity = Math.min(this.cargo[good], g.tradable);
    if (quantity > 0) await this.trade('sell', good, quantity);
  }

  private async trade(side: 'buy' | 'sell', good: Good, quantity: number): Promise<void> {
    this.tally.actions++;
    const res = await this.api.trade(this.session, side, good, quantity);
    if (res.status !== 200) {
      this.count(res.code);
      return;
    }
    this.tally.trades++;
    this.credits = res.body.player.credits;
    this.holdsFree = res.body.ship.holds_free;
    this.cargo = { ore: res.body.ship.cargo.ore, organics: res.body.ship.cargo.organics, equipment: res.body.ship.cargo.equipment };
  }

  private count(code: string | null): void {
    const key = code ?? 'unknown';
    this.tally.refused[key] = (this.tally.refused[key] ?? 0) + 1;
  }
}
