import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { PortReport, RouteReport, Sector, SeenPort, Ship } from '../../../client/index.js';
import { port, ship } from '../testing/fixtures.js';
import { createComputer, portMatches } from './computer.js';
import { createGuide } from './guide.js';

const seen = (sector_id: number, overrides: Partial<SeenPort> = {}): SeenPort => ({
  sector_id,
  port_id: sector_id,
  name: `Port ${sector_id}`,
  class: 2,
  class_code: 'BSB',
  class_name: 'Class 2 (BSB)',
  goods: port().goods,
  seen_at: `2026-05-01T12:${String(sector_id).padStart(2, '0')}:00.000Z`,
  live: false,
  hops: sector_id % 7,
  turns: (sector_id % 7) * 2,
  ...overrides,
});

describe("the computer's port report", () => {
  it('filters by name or sector, by what a port buys or sells and by class', () => {
    const vega = seen(12, { name: 'Vega Exchange' });
    expect(portMatches(vega, { text: 'vega', buys: '', sells: '', portClass: null })).toBe(true);
    expect(portMatches(vega, { text: '12', buys: '', sells: '', portClass: null })).toBe(true);
    expect(portMatches(vega, { text: '1', buys: '', sells: '', portClass: null })).toBe(false);
    // BSB: buys ore and equipment, sells organics.
    expect(portMatches(vega, { text: '', buys: 'ore', sells: 'organics', portClass: 2 })).toBe(true);
    expect(portMatches(vega, { text: '', buys: 'organics', sells: '', portClass: null })).toBe(false);
    expect(portMatches(vega, { text: '', buys: '', sells: 'ore', portClass: null })).toBe(false);
    expect(portMatches(vega, { text: '', buys: '', sells: '', portClass: 5 })).toBe(false);
  });

  it('sorts the ports it read, nearest first unless asked otherwise', async () => {
    const ports: PortReport = { sector_id: 1, turns_per_warp: 2, ports: [seen(9), seen(3), seen(15, { class: 0 }), seen(4, { hops: null, turns: null })] };
    const routes: RouteReport = { sector_id: 1, holds: 50, credits: 20_000, turns_per_warp: 2, routes: [] };
    await createRoot(async (dispose) => {
      const computer = createComputer({ computer: { ports: async () => ports, routes: async () => routes } } as never);
      await computer.load();
      expect(computer.shown().map((p) => p.sector_id)).toEqual([15, 9, 3, 4]); // hops 1, 2, 3, unknown
      computer.setSort('sector');
      expect(computer.shown().map((p) => p.sector_id)).toEqual([3, 4, 9, 15]);
      computer.setSort('seen');
      expect(computer.shown().map((p) => p.sector_id)).toEqual([15, 9, 4, 3]);
      computer.setSort('class');
      expect(computer.shown()[0]!.sector_id).toBe(15);
      computer.setFilter('portClass', 2);
      expect(computer.shown().map((p) => p.sector_id)).toEqual([3, 4, 9]);
      dispose();
    });
  });
});

describe('the first-flight guide', () => {
  const memory = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
  };

  it('ticks off port, buy, fly and sell as the pilot plays, and remembers being skipped', () => {
    const storage = memory();
    createRoot((dispose) => {
      const [sector, setSector] = createSignal<Sector | null>({ id: 1, port: port({ class: 0 }) } as Sector);
      const [vessel, setVessel] = createSignal<Ship | null>(ship());
      const [sold, setSold] = createSignal(false);
      const guide = createGuide('u1', { sector, ship: vessel, sold }, storage);
      expect(guide.current()).toBe('buy'); // docked at a port that sells
      setVessel(ship({ cargo: { ore: 0, organics: 50, equipment: 0, colonists: 0 }, holds_free: 0 }));
      expect(guide.current()).toBe('fly');
      setSector({ id: 2, port: null } as Sector);
      expect(guide.current()).toBe('sell');
      setVessel(ship());
      setSold(true);
      expect(guide.current()).toBeNull();
      expect(guide.open()).toBe(true);
      guide.dismiss();
      expect(guide.open()).toBe(false);
      dispose();
    });
    createRoot((dispose) => {
      const again = createGuide('u1', { sector: () => null, ship: () => null, sold: () => false }, storage);
      expect(again.open()).toBe(false);
      again.restart();
      expect([again.open(), again.current()]).toEqual([true, 'port']);
      expect(createGuide('u2', { sector: () => null, ship: () => null, sold: () => false }, storage).open()).toBe(true);
      dispose();
    });
  });
});
