import { type GameApi, type GateCrossing, isCrossing, type MoveResult, type Session } from './game-api.js';
import { classify, learnSector, learnState, learnTrade, type ActionOutcome, type Decision, type Knowledge, type PlayerDriver } from './virtual-player.js';

/** A virtual player over the HTTP API, as a real client plays: Idempotency-Key on every mutation. */
export class HttpPlayer implements PlayerDriver {
  private sequence = 0;

  constructor(
    private readonly api: GameApi,
    private readonly session: Session,
    private readonly keyPrefix: string,
  ) {}

  async perform(d: Decision, k: Knowledge): Promise<ActionOutcome> {
    const s = this.session;
    switch (d.action) {
      case 'state': {
        const res = await this.api.state(s);
        if (res.status === 200) learnState(k, res.body);
        return classify(res.status, res.code);
      }
      case 'sector': {
        const res = await this.api.sector(s, k.sectorId);
        if (res.status === 200) learnSector(k, res.body);
        return classify(res.status, res.code);
      }
      case 'quote': {
        const res = await this.api.quote(s, d.side, d.good, d.quantity);
        return classify(res.status, res.code);
      }
      case 'buy':
      case 'sell': {
        const res = await this.api.trade(s, d.action, d.good, d.quantity, this.nextKey());
        if (res.status === 200) learnTrade(k, res.body);
        // What the player believed was wrong (a stale stock, a rival's trade): look again.
        else if (res.status === 409) k.warps.delete(k.sectorId);
        return classify(res.status, res.code);
      }
      case 'move': {
        const res = await this.api.move(s, d.to, this.nextKey());
        const answer: MoveResult | GateCrossing | undefined = res.status === 200 ? res.body : undefined;
        if (answer && isCrossing(answer)) {
          // Through a gate and still crossing (no pilot yet): the next look is from where it goes.
          k.sectorId = answer.sector_id;
          k.warps.delete(k.sectorId);
        } else if (answer) {
          learnState(k, answer);
          learnSector(k, answer.sector);
        }
        return classify(res.status, res.code);
      }
    }
  }

  private nextKey(): string {
    return `${this.keyPrefix}-${++this.sequence}`;
  }
}
