import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import {
  isAbort,
  newActionKey,
  type ApiClient,
  type Commodity,
  type Player,
  type Port,
  type PortGood,
  type Ship,
  type TradeQuote,
  type TradeResult,
  type TradeSide,
} from '../../../../client/index.js';
import { FEATURES } from '../../features.js';
import { count, credits, describeClassCode, GOOD_NAMES, signedCredits, unitPrice } from '../../format.js';
import { describeProblem } from '../../problems.js';
import type { CargoCosts } from '../../stores/cargo-costs.js';

export interface TradePanelProps {
  port: Port;
  player: Player;
  ship: Ship;
  api: Pick<ApiClient, 'trade'>;
  costs: CargoCosts;
  onTraded(result: TradeResult): void;
  /** at the Stardock: open its shipyard */
  onOpenStardock?: () => void;
  /** quiet time after typing before a quote is asked for */
  quoteDelayMs?: number;
  /** a warp is under way: this port is being left, so nothing more is priced here */
  departing?: boolean;
}

interface Outcome {
  tone: 'done' | 'failed';
  text: string;
  profit?: number | null;
}

/** The API's limit on one order (handlers/trade). */
const MAX_ORDER = 1_000_000;

const sideFor = (good: PortGood): TradeSide => (good.port_action === 'sells' ? 'buy' : 'sell');

/**
 * The port's market and the order desk: pick a good, type a quantity and see the price as you
 * type, use a limit button, confirm. Each order carries its own Idempotency-Key, kept until the
 * order goes through, so a double click or a retry never trades twice.
 */
export function TradePanel(props: TradePanelProps) {
  const [selected, setSelected] = createSignal<Commodity | null>(null);
  const [quantityText, setQuantityText] = createSignal('');
  const [quote, setQuote] = createSignal<TradeQuote | null>(null);
  const [quoteError, setQuoteError] = createSignal<unknown>(null);
  const [quoting, setQuoting] = createSignal(false);
  const [pending, setPending] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  const [affordable, setAffordable] = createSignal<number | null>(null);
  const [ordersPlaced, setOrdersPlaced] = createSignal(0);
  let quantityInput: HTMLInputElement | undefined;

  const good = createMemo(() => props.port.goods.find((g) => g.good === selected()) ?? null);
  const classWords = () => describeClassCode(props.port.class_code);
  /** Goods with a use today: colonists wait for planets to open (features.ts). */
  const usable = (g: PortGood) => g.good !== 'colonists' || FEATURES.colonization;
  const side = createMemo(() => (good() ? sideFor(good()!) : null));
  const quantity = createMemo(() => {
    const text = quantityText().trim();
    return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_ORDER ? Number(text) : null;
  });
  /** Why the typed quantity is not an order, in the pilot's words. */
  const quantityProblem = () => {
    const text = quantityText().trim();
    if (!text) return 'Enter a quantity.';
    if (/^\d+$/.test(text) && Number(text) > MAX_ORDER) return `At most ${count(MAX_ORDER)} units an order.`;
    return 'Enter a whole number of units.';
  };
  /** One key per order: a new one when the order changes or after it went through. */
  const actionKey = createMemo(() => {
    selected();
    side();
    quantity();
    ordersPlaced();
    return newActionKey();
  });

  const aboard = () => (selected() ? props.ship.cargo[selected()!] : 0);
  const limits = createMemo(() => {
    const g = good();
    if (!g) return [];
    if (side() === 'buy') {
      return [
        { label: 'Afford', value: affordable() },
        { label: 'Holds', value: props.ship.holds_free },
        { label: 'Port', value: g.tradable },
      ];
    }
    return [
      { label: 'Aboard', value: aboard() },
      { label: 'Port', value: g.tradable },
    ];
  });
  const overPortLimit = () => {
    const n = quantity();
    return n !== null && good() !== null && n > good()!.tradable;
  };
  const maximum = createMemo(() => {
    const values = limits().map((l) => l.value);
    return values.some((v) => v === null) ? null : Math.min(...(values as number[]));
  });

  // A new port (after a warp) starts a new order; the same port re-read does not.
  const portId = createMemo(() => props.port.id);
  createEffect(
    on(
      portId,
      () => {
        setSelected(null);
        setQuantityText('');
        setOutcome(null);
      },
      { defer: true },
    ),
  );

  // The quote follows the order and the market as you type, the last answer winning.
  createEffect(() => {
    const g = good();
    const s = side();
    const n = quantity();
    // Re-price when the market moves under the order too.
    void g?.stock;
    void props.player.credits;
    setQuote(null);
    setQuoteError(null);
    // Past what the port can trade the server would refuse outright: say so without asking.
    if (!g || !s || n === null || n > g.tradable || props.departing) return;
    const controller = new AbortController();
    setQuoting(true);
    const timer = setTimeout(() => {
      props.api.trade
        .quote({ good: g.good, quantity: n, side: s }, controller.signal)
        .then((answer) => setQuote(answer))
        .catch((err: unknown) => {
          if (!isAbort(err)) setQuoteError(err);
        })
        .finally(() => {
          if (!controller.signal.aborted) setQuoting(false);
        });
    }, props.quoteDelayMs ?? 180);
    onCleanup(() => {
      clearTimeout(timer);
      controller.abort();
    });
  });

  // How much the credits buy: prices climb along the curve, so the answer is searched with quotes.
  // The search is abandoned (its quotes aborted) as soon as the order, the wallet or the port
  // changes, and when the ship leaves: a quote answered after departure would be refused.
  createEffect(() => {
    const g = good();
    const s = side();
    const wallet = props.player.credits;
    setAffordable(null);
    if (!g || s !== 'buy' || props.departing) return;
    const controller = new AbortController();
    onCleanup(() => controller.abort());
    void searchAffordable(props.api, g, wallet, controller.signal).then(
      (n) => !controller.signal.aborted && setAffordable(n),
      () => !controller.signal.aborted && setAffordable(Math.min(g.tradable, Math.floor(wallet / Math.max(1, g.unit_price)))),
    );
  });

  const choose = (g: PortGood) => {
    setSelected(g.good);
    setQuantityText('');
    setOutcome(null);
    queueMicrotask(() => quantityInput?.focus());
  };

  const confirm = async (event?: Event) => {
    event?.preventDefault();
    const g = good();
    const s = side();
    const n = quantity();
    const q = quote();
    if (!g || !s || n === null || !q?.can_execute || pending()) return;
    setPending(true);
    setOutcome(null);
    try {
      const order = { good: g.good, quantity: n };
      const result = s === 'buy' ? await props.api.trade.buy(order, actionKey()) : await props.api.trade.sell(order, actionKey());
      const { trade } = result;
      let profit: number | null = null;
      if (s === 'buy') props.costs.recordPurchase(trade.good, trade.quantity, trade.total);
      else profit = props.costs.recordSale(trade.good, trade.quantity, trade.total);
      const verb = s === 'buy' ? 'Bought' : 'Sold';
      setOutcome({ tone: 'done', text: `${verb} ${count(trade.quantity)} ${GOOD_NAMES[trade.good]} for ${credits(trade.total)}`, profit });
      setQuantityText('');
      setOrdersPlaced((n) => n + 1);
      props.onTraded(result);
    } catch (err) {
      setOutcome({ tone: 'failed', text: describeProblem(err) });
    } finally {
      setPending(false);
    }
  };

  const blockedMessage = () => {
    const q = quote();
    if (!q || q.can_execute || !q.blocked_by) return null;
    return blockedText(q.blocked_by);
  };

  return (
    <section class="panel trade" aria-labelledby="trade-title">
      <header class="panel-head">
        <h2 id="trade-title">
          <span class="eyebrow">Port</span> {props.port.name}
        </h2>
        <span class="port-class" title={props.port.class_name}>
          Class {props.port.class}
          {props.port.class_code ? ` · ${props.port.class_code}` : ''}
        </span>
      </header>
      <Show when={classWords()}>
        <p class="class-words">
          {props.port.class === 0
            ? 'Earth Station sells at fixed base prices and buys nothing: buy here, sell at a port that buys.'
            : `${props.port.class_code}: this port ${classWords()} (letters in order: Fuel Ore, Organics, Equipment; B buys, S sells).`}
        </p>
      </Show>

      <Show
        when={props.port.goods.length > 0}
        fallback={
          <div>
            <p class="hint">
              The {props.port.class_name} deals in ships and hardware, not goods: hulls, holds, fighters, shields, mines and genesis torpedoes. Trade at the
              class 1–8 ports; see Help (<kbd>?</kbd>) for what each class buys and sells.
            </p>
            <Show when={props.onOpenStardock}>
              <button type="button" class="primary" onClick={() => props.onOpenStardock!()}>
                Enter the shipyard
              </button>
            </Show>
          </div>
        }
      >
        <table class="market">
          <thead>
            <tr>
              <th scope="col">Good</th>
              <th scope="col" class="num">
                Price
              </th>
              <th scope="col" class="num">
                Stock
              </th>
              <th scope="col" class="num aboard">
                Aboard
              </th>
              <th scope="col">
                <span class="sr-only">Order</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={props.port.goods}>
              {(g) => (
                <tr classList={{ chosen: selected() === g.good }}>
                  <th scope="row">
                    {GOOD_NAMES[g.good]}
                    <span class={`port-action ${g.port_action}`}>{g.port_action === 'sells' ? 'port sells' : 'port buys'}</span>
                  </th>
                  <td class="num">{credits(g.unit_price)}</td>
                  <td class="num">{count(g.stock)}</td>
                  <td class="num aboard">{count(props.ship.cargo[g.good])}</td>
                  <td>
                    <Show when={usable(g)} fallback={<span class="not-yet">Planets not open yet</span>}>
                      <button type="button" class={`pick ${sideFor(g)}`} aria-pressed={selected() === g.good} onClick={() => choose(g)}>
                        {sideFor(g) === 'buy' ? 'Buy' : 'Sell'}
                        <span class="sr-only"> {GOOD_NAMES[g.good]}</span>
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>

      <Show
        when={good()}
        fallback={
          <Show when={props.port.goods.length > 0}>
            <p class="hint">Pick a good to trade. Prices move as stock changes.</p>
          </Show>
        }
      >
        {(g) => (
          <form class="order" onSubmit={confirm} aria-label="Order">
            <div class="order-row">
              <label for="trade-quantity">
                {side() === 'buy' ? 'Buy' : 'Sell'} {GOOD_NAMES[g().good]}
              </label>
              <input
                id="trade-quantity"
                ref={quantityInput}
                inputmode="numeric"
                autocomplete="off"
                placeholder="Quantity"
                value={quantityText()}
                onInput={(e) => setQuantityText(e.currentTarget.value)}
              />
              <button type="button" class="max" disabled={maximum() === null || maximum() === 0} onClick={() => setQuantityText(String(maximum()))}>
                Max{maximum() !== null ? ` ${count(maximum()!)}` : ''}
              </button>
            </div>
            <div class="limits" role="group" aria-label="Limits">
              <For each={limits()}>
                {(limit) => (
                  <button
                    type="button"
                    class="limit"
                    classList={{ binding: limit.value !== null && limit.value === maximum() }}
                    disabled={limit.value === null || limit.value === 0}
                    onClick={() => limit.value !== null && setQuantityText(String(limit.value))}
                  >
                    {limit.label} <b>{limit.value === null ? '…' : count(limit.value)}</b>
                  </button>
                )}
              </For>
            </div>

            <div class="quote" aria-live="polite">
              <Show when={quantity() !== null} fallback={<span class="muted">{quantityProblem()}</span>}>
                <Show
                  when={quote()}
                  fallback={
                    <span class="muted">
                      {overPortLimit() ? (
                        <span class="blocked">{blockedText(side() === 'buy' ? 'exceeds_stock' : 'exceeds_demand')}</span>
                      ) : quoteError() ? (
                        describeProblem(quoteError())
                      ) : quoting() ? (
                        'Pricing…'
                      ) : (
                        ''
                      )}
                    </span>
                  }
                >
                  {(q) => (
                    <>
                      <span>
                        {count(q().quantity)} × {unitPrice(q().average_unit_price)} = <b class="total">{credits(q().total)}</b>
                      </span>
                      <Show when={side() === 'sell' && props.costs.averageCost(q().good) !== null}>
                        <span class="estimate">
                          profit ≈ {signedCredits(Math.round(q().total - props.costs.averageCost(q().good)! * Math.min(q().quantity, aboard())))}
                        </span>
                      </Show>
                      <Show when={blockedMessage()}>{(text) => <span class="blocked">{text()}</span>}</Show>
                    </>
                  )}
                </Show>
              </Show>
            </div>

            <button type="submit" class={`confirm ${side()}`} disabled={!quote()?.can_execute || pending()}>
              {pending()
                ? 'Trading…'
                : quote()
                  ? `${side() === 'buy' ? 'Buy' : 'Sell'} ${count(quote()!.quantity)} for ${credits(quote()!.total)}`
                  : side() === 'buy'
                    ? 'Buy'
                    : 'Sell'}
            </button>
          </form>
        )}
      </Show>

      <Show when={outcome()}>
        {(o) => (
          <p class={`outcome ${o().tone}`} role="status">
            {o().text}
            <Show when={o().profit !== undefined && o().profit !== null}>
              <span class={o().profit! >= 0 ? 'profit' : 'loss'}> · profit {signedCredits(o().profit!)}</span>
            </Show>
          </p>
        )}
      </Show>
    </section>
  );
}

const BLOCKED: Record<string, string> = {
  insufficient_credits: 'More than you can afford',
  insufficient_holds: 'More than your free holds',
  insufficient_cargo: 'More than you carry',
  insufficient_turns: 'Not enough turns',
  exceeds_stock: 'More than the port has',
  exceeds_demand: 'More than the port will buy',
};

function blockedText(code: string): string {
  return BLOCKED[code] ?? code.replace(/_/g, ' ');
}

/** The most units of a good the credits pay for, found with at most ~log2(stock) quotes. */
export async function searchAffordable(api: Pick<ApiClient, 'trade'>, good: PortGood, wallet: number, signal?: AbortSignal): Promise<number> {
  // The first unit is the cheapest (each purchase raises the price), so this is an upper bound.
  let high = Math.min(good.tradable, Math.floor(wallet / Math.max(1, good.unit_price)));
  if (high <= 0) return 0;
  const totalFor = async (n: number) => (await api.trade.quote({ good: good.good, quantity: n, side: 'buy' }, signal)).total;
  if ((await totalFor(high)) <= wallet) return high;
  let low = 0;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if ((await totalFor(mid)) <= wallet) low = mid;
    else high = mid;
  }
  return low;
}
