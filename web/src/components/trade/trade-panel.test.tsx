import { render, screen, waitFor, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient, type Player, type Ship, type TradeQuote, type TradeResult } from '../../../../client/index.js';
import { createCargoCosts } from '../../stores/cargo-costs.js';
import { pilot, port, ship } from '../../testing/fixtures.js';
import { TradePanel } from './TradePanel.js';

/**
 * A port whose price climbs one credit every ten units bought (and falls as you sell), like the
 * real curve in miniature, so totals and the affordability search are checkable by hand.
 */
function fakeTrade(player: Player, vessel: Ship) {
  const market = port();
  const totalFor = (good: string, quantity: number, side: 'buy' | 'sell') => {
    const base = market.goods.find((g) => g.good === good)!.unit_price;
    let total = 0;
    for (let i = 0; i < quantity; i++) total += side === 'buy' ? base + Math.floor(i / 10) : base - Math.floor(i / 10);
    return total;
  };
  const quote = vi.fn(async (order: { good: 'ore' | 'organics' | 'equipment' | 'colonists'; quantity: number; side: 'buy' | 'sell' }): Promise<TradeQuote> => {
    const total = totalFor(order.good, order.quantity, order.side);
    const blocked =
      order.side === 'buy'
        ? total > player.credits
          ? 'insufficient_credits'
          : order.quantity > vessel.holds_free
            ? 'insufficient_holds'
            : null
        : order.quantity > vessel.cargo[order.good]
          ? 'insufficient_cargo'
          : null;
    return {
      side: order.side,
      good: order.good,
      quantity: order.quantity,
      total,
      average_unit_price: Math.round((total / order.quantity) * 100) / 100,
      port_stock_after: 0,
      turns: 1,
      port_id: market.id,
      can_execute: blocked === null,
      blocked_by: blocked,
    };
  });
  const result = (side: 'buy' | 'sell', order: { good: 'ore' | 'organics' | 'equipment' | 'colonists'; quantity: number }): TradeResult => {
    const total = totalFor(order.good, order.quantity, side);
    return {
      trade: {
        side,
        good: order.good,
        quantity: order.quantity,
        total,
        average_unit_price: total / order.quantity,
        port_stock_after: 0,
        turns: 1,
        port_id: market.id,
        credits_after: 0,
        experience_gained: 0,
      },
      player,
      ship: vessel,
    };
  };
  const buy = vi.fn(async (order: { good: 'ore' | 'organics' | 'equipment' | 'colonists'; quantity: number }, _key: string) => result('buy', order));
  const sell = vi.fn(async (order: { good: 'ore' | 'organics' | 'equipment' | 'colonists'; quantity: number }, _key: string) => result('sell', order));
  return {
    market,
    api: { trade: { quote, buy, sell } } as unknown as Pick<ApiClient, 'trade'> & { trade: { quote: typeof quote; buy: typeof buy; sell: typeof sell } },
  };
}

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe('TradePanel', () => {
  it('prices the order as the quantity is typed and names the total on the confirm button', async () => {
    const player = pilot();
    const vessel = ship();
    const { market, api } = fakeTrade(player, vessel);
    const user = userEvent.setup();
    render(() => (
      <TradePanel port={market} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={() => {}} quoteDelayMs={0} />
    ));

    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    await user.type(screen.getByLabelText('Buy Organics'), '12');
    // 10 units at 20, then 2 at 21.
    expect(await screen.findByText('242 cr')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Buy 12 for 242 cr' })).toBeTruthy();
    expect(api.trade.quote).toHaveBeenLastCalledWith({ good: 'organics', quantity: 12, side: 'buy' }, expect.any(AbortSignal));
  });

  it("offers the limits — what the credits buy, the free holds, the port's stock — and Max takes the smallest", async () => {
    const player = pilot({ credits: 1_000 });
    const vessel = ship({ holds_free: 50 });
    const { market, api } = fakeTrade(player, vessel);
    const user = userEvent.setup();
    render(() => (
      <TradePanel port={market} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={() => {}} quoteDelayMs={0} />
    ));

    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    const limits = screen.getByRole('group', { name: 'Limits' });
    // 45 units cost 980 cr, the 46th would make it 1,004.
    await waitFor(() => expect(within(limits).getByRole('button', { name: 'Afford 45' })).toBeTruthy());
    expect(within(limits).getByRole('button', { name: 'Holds 50' })).toBeTruthy();
    expect(within(limits).getByRole('button', { name: 'Port 1,500' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Max 45' }));
    expect((screen.getByLabelText('Buy Organics') as HTMLInputElement).value).toBe('45');
    await user.click(within(limits).getByRole('button', { name: 'Holds 50' }));
    expect(await screen.findByText('More than you can afford')).toBeTruthy();
    expect((screen.getByRole('button', { name: /^Buy 50 for/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('sends one order once: a double click trades once, a retry after a failure reuses the key, the next order gets a new one', async () => {
    const player = pilot();
    const vessel = ship();
    const { market, api } = fakeTrade(player, vessel);
    const traded = vi.fn();
    // The first attempt hangs until released, then the line drops.
    let dropLine!: () => void;
    api.trade.buy.mockImplementationOnce(() => new Promise((_, reject) => (dropLine = () => reject(ApiError.unreachable(new TypeError('fetch failed'))))));
    const user = userEvent.setup();
    render(() => (
      <TradePanel port={market} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={traded} quoteDelayMs={0} />
    ));

    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    await user.type(screen.getByLabelText('Buy Organics'), '5');
    await user.dblClick(await screen.findByRole('button', { name: 'Buy 5 for 100 cr' }));
    expect(screen.getByRole('button', { name: 'Trading…' })).toBeTruthy();
    expect(api.trade.buy).toHaveBeenCalledTimes(1);
    dropLine();
    expect(await screen.findByText('No contact with the server. Check your connection and try again.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Buy 5 for 100 cr' }));
    expect(await screen.findByText('Bought 5 Organics for 100 cr')).toBeTruthy();
    expect(api.trade.buy).toHaveBeenCalledTimes(2);
    const [firstKey, retryKey] = api.trade.buy.mock.calls.map((call) => call[1]);
    expect(retryKey).toBe(firstKey);
    expect(traded).toHaveBeenCalledTimes(1);

    await user.type(screen.getByLabelText('Buy Organics'), '5');
    await user.click(await screen.findByRole('button', { name: 'Buy 5 for 100 cr' }));
    await waitFor(() => expect(api.trade.buy).toHaveBeenCalledTimes(3));
    expect(api.trade.buy.mock.calls[2]![1]).not.toBe(firstKey);
  });

  it('shows the profit of a sale over what the cargo cost', async () => {
    const player = pilot();
    const vessel = ship({ cargo: { ore: 10, organics: 0, equipment: 0, colonists: 0 }, holds_free: 40 });
    const { market, api } = fakeTrade(player, vessel);
    const costs = createCargoCosts('t', memoryStorage());
    costs.recordPurchase('ore', 10, 200);
    const traded = vi.fn();
    const user = userEvent.setup();
    render(() => <TradePanel port={market} player={player} ship={vessel} api={api} costs={costs} onTraded={traded} quoteDelayMs={0} />);

    await user.click(screen.getByRole('button', { name: 'Sell Fuel Ore' }));
    expect(screen.getByRole('button', { name: 'Aboard 10' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Max 10' }));
    // 10 units at 26 = 260 against 200 paid.
    expect(await screen.findByText('profit ≈ +60 cr')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sell 10 for 260 cr' }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe('Sold 10 Fuel Ore for 260 cr · profit +60 cr');
    expect(api.trade.sell).toHaveBeenCalledWith({ good: 'ore', quantity: 10 }, expect.stringMatching(/^[0-9a-f]{32}$/));
    expect(traded).toHaveBeenCalledWith(expect.objectContaining({ trade: expect.objectContaining({ side: 'sell', total: 260 }) }));
    expect(costs.averageCost('ore')).toBeNull();
  });

  it('keeps the order desk and the outcome when the same port is read again after a trade, and clears them at a new port', async () => {
    const player = pilot();
    const vessel = ship();
    const { market, api } = fakeTrade(player, vessel);
    const [where, setWhere] = createSignal(market);
    const user = userEvent.setup();
    render(() => (
      <TradePanel
        port={where()}
        player={player}
        ship={vessel}
        api={api}
        costs={createCargoCosts('t', memoryStorage())}
        onTraded={() => setWhere({ ...market, goods: [...market.goods] })}
        quoteDelayMs={0}
      />
    ));
    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    await user.type(screen.getByLabelText('Buy Organics'), '5');
    await user.click(await screen.findByRole('button', { name: 'Buy 5 for 100 cr' }));
    expect((await screen.findByRole('status')).textContent).toBe('Bought 5 Organics for 100 cr');
    expect(screen.getByLabelText('Buy Organics')).toBeTruthy();

    setWhere(port({ id: 8, name: 'Altair Depot' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByLabelText('Buy Organics')).toBeNull();
  });

  it('refuses nonsense quantities, and more than the port trades, without asking the server', async () => {
    const player = pilot();
    const vessel = ship();
    const { market, api } = fakeTrade(player, vessel);
    const user = userEvent.setup();
    render(() => (
      <TradePanel port={market} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={() => {}} quoteDelayMs={0} />
    ));
    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    const calls = api.trade.quote.mock.calls.length;
    await user.type(screen.getByLabelText('Buy Organics'), '-3');
    expect(screen.getByText('Enter a whole number of units.')).toBeTruthy();
    expect(api.trade.quote.mock.calls.length).toBe(calls);
    await user.clear(screen.getByLabelText('Buy Organics'));
    await user.type(screen.getByLabelText('Buy Organics'), '1501');
    expect(await screen.findByText('More than the port has')).toBeTruthy();
    expect(api.trade.quote.mock.calls.filter((call) => call[0].quantity === 1501)).toEqual([]);
    expect((screen.getByRole('button', { name: 'Buy' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('abandons the affordability search, aborting its quotes, when the panel closes or the ship departs', async () => {
    // A slow server: quotes hang until the test lets them go, as they do under load.
    const player = pilot();
    const vessel = ship();
    const { market, api } = fakeTrade(player, vessel);
    const signals: Array<AbortSignal | undefined> = [];
    api.trade.quote.mockImplementation((_order, signal?: AbortSignal) => {
      signals.push(signal);
      return new Promise(() => {});
    });
    const [departing, setDeparting] = createSignal(false);
    const user = userEvent.setup();
    const { unmount } = render(() => (
      <TradePanel
        port={market}
        player={player}
        ship={vessel}
        api={api}
        costs={createCargoCosts('t', memoryStorage())}
        onTraded={() => {}}
        quoteDelayMs={0}
        departing={departing()}
      />
    ));
    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    await waitFor(() => expect(signals.length).toBe(1));
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    // Warping away: the quote in flight would be answered at the next sector (409 there).
    setDeparting(true);
    expect(signals[0]!.aborted).toBe(true);
    setDeparting(false);
    await waitFor(() => expect(signals.length).toBe(2));
    unmount();
    expect(signals[1]!.aborted).toBe(true);
    // Nothing more is asked once the panel is gone.
    expect(signals.length).toBe(2);
  });

  it("names the API's real limit for a huge quantity, and explains the port's class code", async () => {
    const player = pilot();
    const vessel = ship();
    const { market, api } = fakeTrade(player, vessel);
    const user = userEvent.setup();
    render(() => (
      <TradePanel port={market} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={() => {}} quoteDelayMs={0} />
    ));
    expect(screen.getByText(/^BSB: this port buys Fuel Ore and Equipment, sells Organics/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Buy Organics' }));
    await user.type(screen.getByLabelText('Buy Organics'), '99999999999999');
    expect(screen.getByText('At most 1,000,000 units an order.')).toBeTruthy();
    await user.clear(screen.getByLabelText('Buy Organics'));
    await user.type(screen.getByLabelText('Buy Organics'), '2.5');
    expect(screen.getByText('Enter a whole number of units.')).toBeTruthy();
  });

  it('at the Stardock says what it is and offers no goods to pick', () => {
    const player = pilot();
    const vessel = ship();
    const { api } = fakeTrade(player, vessel);
    const stardock = port({ id: 2, name: 'Stardock', class: 9, class_code: '', class_name: 'Stardock', goods: [] });
    render(() => <TradePanel port={stardock} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={() => {}} />);
    expect(screen.getByText(/deals in ships and hardware, not goods/)).toBeTruthy();
    expect(screen.queryByText(/Pick a good to trade/)).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('sells colonists at Earth Station now that planets are open', () => {
    const player = pilot();
    const vessel = ship();
    const { api } = fakeTrade(player, vessel);
    const earth = port({
      id: 1,
      name: 'Earth Station',
      class: 0,
      class_code: 'SSS',
      class_name: 'Earth Station',
      goods: [
        { good: 'ore', port_action: 'sells', unit_price: 20, stock: 1_000_000, capacity: 1_000_000, tradable: 1_000_000 },
        { good: 'colonists', port_action: 'sells', unit_price: 60, stock: 1_000_000, capacity: 1_000_000, tradable: 1_000_000 },
      ],
    });
    render(() => <TradePanel port={earth} player={player} ship={vessel} api={api} costs={createCargoCosts('t', memoryStorage())} onTraded={() => {}} />);
    expect(screen.getByRole('button', { name: 'Buy Fuel Ore' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Buy Colonists' })).toBeTruthy();
    expect(screen.queryByText('Planets not open yet')).toBeNull();
  });
});
