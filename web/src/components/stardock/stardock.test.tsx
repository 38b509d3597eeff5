import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type Shipyard } from '../../../../client/index.js';
import { pilot, ship } from '../../testing/fixtures.js';
import { StardockView, type ShipyardApi } from './StardockScreen.js';

function yard(credits: number): Shipyard {
  const hull = (id: Shipyard['hulls'][number]['id'], name: string, price: number, blocked: Shipyard['hulls'][number]['blocked_by']) => ({
    id,
    name,
    price,
    holds: 50,
    max_holds: 100,
    max_fighters: 300,
    max_shields: 200,
    starting_shields: 50,
    turns_per_warp: 2,
    trade_in: 20_000,
    net_cost: price - 20_000,
    carry_over: { cargo_fits: true, fighters: 30, shields: 50, mines: 0, genesis_torpedoes: 0 },
    blocked_by: blocked,
  });
  return {
    trade_in_value: 20_000,
    hulls: [
      hull('scout', 'Scout', 15_000, null),
      hull('light_freighter', 'Light Freighter', 40_000, 'same_hull'),
      hull('carrier', 'Carrier', 800_000, 'insufficient_credits'),
    ],
    equipment: [
      { item: 'holds', unit_price: 400, owned: 50, capacity: 100, max_quantity: 37 },
      { item: 'fighters', unit_price: 100, owned: 30, capacity: 300, max_quantity: 200 },
      { item: 'genesis_torpedoes', unit_price: 25_000, owned: 0, capacity: 1, max_quantity: 0 },
    ],
    player: pilot({ credits }),
    ship: ship(),
  };
}

describe('the Stardock screen', () => {
  it('shows the trade-in, compares hulls, and buys the max of an item', async () => {
    const api: ShipyardApi = {
      get: vi.fn(async () => yard(20_000)),
      buyHull: vi.fn(),
      buyEquipment: vi.fn(async () => ({ player: pilot({ credits: 0 }), ship: ship({ fighters: 230 }) })),
    };
    const onBought = vi.fn();
    render(() => <StardockView shipyard={api} onBought={onBought} onLeave={() => {}} />);
    expect((await screen.findByTestId('trade-in')).textContent).toContain('20,000 cr');
    expect(screen.getByText('Your hull')).toBeTruthy();
    expect(screen.getAllByText('Not enough credits')).toHaveLength(2);
    expect(screen.getByText('you get 5,000 cr')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Max 200 Fighters' }));
    await user.click(screen.getByRole('button', { name: 'Buy Fighters' }));
    await waitFor(() => expect(api.buyEquipment).toHaveBeenCalledWith({ item: 'fighters', quantity: 200 }, expect.any(String)));
    expect(onBought).toHaveBeenCalled();
    expect(await screen.findByText('Bought 200 fighters.')).toBeTruthy();
    // Nothing to buy where the hull is full or credits fall short: no button, a reason.
    expect(screen.queryByRole('button', { name: 'Buy Genesis torpedoes' })).toBeNull();
  });

  it('keeps Max disabled until the offers have reloaded after a purchase', async () => {
    let reload: (y: Shipyard) => void = () => {};
    const get = vi.fn(async () => yard(20_000));
    const api: ShipyardApi = {
      get,
      buyHull: vi.fn(),
      buyEquipment: vi.fn(async () => ({ player: pilot({ credits: 18_000 }), ship: ship({ holds: 55 }) })),
    };
    render(() => <StardockView shipyard={api} onBought={() => {}} onLeave={() => {}} />);
    await screen.findByTestId('trade-in');
    get.mockImplementation(() => new Promise<Shipyard>((resolve) => (reload = resolve)));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Buy Cargo holds' }));
    await screen.findByText('Bought 1 cargo holds.');
    // The old offers still show a Max the credits no longer cover: not clickable until they reload.
    expect((screen.getByRole('button', { name: 'Max 200 Fighters' }) as HTMLButtonElement).disabled).toBe(true);
    const after = yard(18_000);
    after.equipment[1] = { ...after.equipment[1]!, max_quantity: 180 };
    reload(after);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Max 180 Fighters' }) as HTMLButtonElement).disabled).toBe(false));
  });

  it('asks before buying a hull', async () => {
    const api: ShipyardApi = {
      get: vi.fn(async () => yard(20_000)),
      buyHull: vi.fn(async () => ({ player: pilot(), ship: ship({ hull: 'scout', hull_name: 'Scout' }) })),
      buyEquipment: vi.fn(),
    };
    render(() => <StardockView shipyard={api} onBought={() => {}} onLeave={() => {}} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Buy Scout' }));
    expect(api.buyHull).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Confirm: receive 5,000 cr' }));
    await waitFor(() => expect(api.buyHull).toHaveBeenCalledWith({ hull: 'scout' }, expect.any(String)));
  });

  it('says where to go when this is not the Stardock', async () => {
    const api: ShipyardApi = {
      get: vi.fn(async () => {
        throw new ApiError(409, 'no_stardock', 'There is no Stardock in this sector');
      }),
      buyHull: vi.fn(),
      buyEquipment: vi.fn(),
    };
    const onLeave = vi.fn();
    render(() => <StardockView shipyard={api} onBought={() => {}} onLeave={onLeave} />);
    expect(await screen.findByText(/class 9 port in FedSpace/)).toBeTruthy();
  });
});
