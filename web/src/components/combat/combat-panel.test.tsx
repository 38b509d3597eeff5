import { render, screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AttackResult, ScanResult, Sector } from '../../../../client/index.js';
import { pilot, ship } from '../../testing/fixtures.js';
import { CombatPanel, EscapePodBanner, WrecksPanel } from './CombatPanel.js';

const sector = (over: Partial<Sector> = {}): Sector => ({
  id: 40,
  name: null,
  region: { id: 1, name: 'Terran Space' },
  zone: 'frontier',
  fedspace: false,
  coordinates: { x: 0, y: 0 },
  warps: [{ to: 41, one_way: false, gate: false }],
  port: null,
  planets: [],
  players: [],
  defenses: { fighters: 0, mines: 0, owners: [] },
  wrecks: [],
  ...over,
});

const scanned = (over: Partial<ScanResult['scan']['ships'][number]> = {}): ScanResult['scan']['ships'][number] => ({
  pilot: 'greedo',
  hull: 'light_freighter',
  hull_name: 'Light Freighter',
  npc: false,
  escape_pod: false,
  protected: false,
  fighters: { min: 10, max: 49 },
  shields: { min: 50, max: 99 },
  ...over,
});

const attackResult: AttackResult = {
  attack: {
    log_id: 'log',
    target: 'greedo',
    sector_id: 40,
    committed: 300,
    result: 'destroyed',
    rounds: [{ round: 1, attacker_hits: 80, defender_hits: 9, attacker_fighters: 300, attacker_shields: 41, defender_fighters: 0, defender_shields: 0 }],
    seed: 'abcdef0123',
    fighters_lost: 0,
    shields_lost: 9,
    target_fighters_lost: 30,
    target_shields_lost: 50,
    destroyed: true,
    wreck_id: null,
    experience_gained: 53,
    alignment_change: -20,
  },
  player: pilot(),
  ship: ship({ fighters: 300 }),
};

function fakeApi(ships = [scanned()]) {
  return {
    player: {
      scan: vi.fn(async (id: number) => ({ scan: { sector_id: id, ships, defenses: { fighters: 0, mines: 0, owners: [] }, wrecks: [] }, player: pilot() })),
    },
    combat: {
      attack: vi.fn(async () => attackResult),
      logs: vi.fn(async () => ({ logs: [] })),
      salvage: vi.fn(async () => ({ salvage: {} as never, player: pilot(), ship: ship() })),
    },
  };
}

describe('the combat panel', () => {
  it('scans, shows what you commit against what you scanned, and reports the rounds', async () => {
    const api = fakeApi();
    render(() => <CombatPanel api={api as never} sector={sector()} ship={ship({ fighters: 300 })} player={pilot()} onCrew={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Scan sector 40' }));
    expect(await screen.findByText(/fighters 10–49/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Attack greedo' }));
    expect((screen.getByLabelText('Fighters to commit') as HTMLInputElement).value).toBe('300');
    expect(screen.getByText(/Fighters 10–49 · shields 50–99/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: /Attack with 300 fighters/ }));
    await waitFor(() => expect(api.combat.attack).toHaveBeenCalledWith({ target: 'greedo', fighters: 300 }, expect.any(String)));
    expect((await screen.findByTestId('combat-result')).textContent).toBe("greedo's ship destroyed");
    expect(screen.getByRole('table', { name: 'Rounds' })).toBeTruthy();
  });

  it('offers no attack on pods, protected pilots, or in FedSpace', async () => {
    const api = fakeApi([scanned({ pilot: 'pod', escape_pod: true }), scanned({ pilot: 'newbie', protected: true })]);
    render(() => <CombatPanel api={api as never} sector={sector()} ship={ship({ fighters: 300 })} player={pilot()} onCrew={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Scan sector 40' }));
    expect(await screen.findByText('(Escape Pod: cannot be attacked)')).toBeTruthy();
    expect(screen.getByText('(New pilot: under protection)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Attack / })).toBeNull();
  });

  it('lists wrecks with salvage sized to the free holds', async () => {
    const api = fakeApi();
    const wreck = { id: 'w1', victim: 'greedo', cargo: { ore: 80, organics: 0, equipment: 5, colonists: 0 }, expires_at: '2026-05-02T00:00:00.000Z' };
    render(() => <WrecksPanel api={api as never} sector={sector({ wrecks: [wreck] })} ship={ship({ holds_free: 50 })} onCrew={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Salvage 50 Fuel Ore' }));
    await waitFor(() => expect(api.combat.salvage).toHaveBeenCalledWith({ wreck: 'w1', good: 'ore', quantity: 50 }, expect.any(String)));
    expect(screen.getByRole('button', { name: 'Salvage 5 Equipment' })).toBeTruthy();
  });

  it('tells a pilot in a pod what happened, where it is and what to do', async () => {
    const api = fakeApi();
    api.combat.logs.mockResolvedValue({
      logs: [
        {
          id: 'l',
          sector_id: 40,
          attacker: 'han',
          defender: 'greedo',
          your_side: 'defender',
          result: 'destroyed',
          seed: 's',
          attacker_start: { fighters: 300, shields: 50 },
          defender_start: { fighters: 30, shields: 50 },
          rounds: [],
          attacker_fighters_lost: 0,
          defender_fighters_lost: 30,
          attacker_shields_lost: 0,
          defender_shields_lost: 50,
          created_at: '2026-05-01T00:00:00.000Z',
        },
      ] as never,
    });
    render(() => <EscapePodBanner api={api as never} player={pilot({ credits: 1234 })} sector={sector({ id: 3, fedspace: true })} />);
    expect(await screen.findByText(/han destroyed your ship in sector 40/)).toBeTruthy();
    expect(screen.getByText(/in FedSpace, where no one can attack you/)).toBeTruthy();
    expect(screen.getByText(/fly to the Stardock/)).toBeTruthy();
  });
});
