import type { Player, Port, Ship } from '../../../client/index.js';

/** A pilot, a ship and a port as the API describes them, for component tests. */
export function pilot(overrides: Partial<Player> = {}): Player {
  return {
    name: 'han_solo',
    credits: 20_000,
    turns: 998,
    max_turns: 1_000,
    next_turn_in_ms: 86_000,
    sector_id: 1,
    region_id: 1,
    experience: 0,
    alignment: 0,
    rank: { level: 0, title: 'Civilian' },
    landed_planet_id: null,
    ...overrides,
  };
}

export function ship(overrides: Partial<Ship> = {}): Ship {
  return {
    id: 1,
    hull: 'light_freighter',
    hull_name: 'Light Freighter',
    holds: 50,
    holds_free: 50,
    cargo: { ore: 0, organics: 0, equipment: 0, colonists: 0 },
    fighters: 30,
    max_fighters: 300,
    shields: 50,
    max_shields: 200,
    max_holds: 100,
    mines: 0,
    max_mines: 10,
    genesis_torpedoes: 0,
    max_genesis_torpedoes: 1,
    escape_pod: false,
    turns_per_warp: 2,
    ...overrides,
  };
}

export function port(overrides: Partial<Port> = {}): Port {
  return {
    id: 7,
    name: 'Vega Exchange',
    class: 2,
    class_code: 'BSB',
    class_name: 'Trading post',
    goods: [
      { good: 'ore', port_action: 'buys', unit_price: 26, stock: 400, capacity: 2_000, tradable: 1_600 },
      { good: 'organics', port_action: 'sells', unit_price: 20, stock: 1_500, capacity: 2_000, tradable: 1_500 },
      { good: 'equipment', port_action: 'buys', unit_price: 61, stock: 300, capacity: 1_000, tradable: 700 },
    ],
    ...overrides,
  };
}
