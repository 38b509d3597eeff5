import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient, type GameEvent, type RealtimeFrame, type Sector } from '../../../client/index.js';
import { pilot, port, ship } from '../testing/fixtures.js';
import { createCargoCosts } from './cargo-costs.js';
import { createCockpit } from './cockpit.js';
import { createComms } from './comms.js';
import { createEventLog } from './event-log.js';

const event = (id: number, type: string, data: Record<string, unknown>): GameEvent => ({ id, type, topic: 'sector:9', at: '2026-05-01T12:00:00.000Z', data });

const sector = (overrides: Partial<Sector> = {}): Sector => ({
  id: 9,
  name: null,
  region: { id: 1, name: 'Terran Space' },
  zone: 'border',
  fedspace: false,
  coordinates: { x: 0, y: 0 },
  warps: [{ to: 3, one_way: false, gate: false }],
  port: port(),
  planets: [],
  players: [],
  defenses: { fighters: 0, mines: 0, owners: [] },
  wrecks: [],
  ...overrides,
});

describe('the event log', () => {
  it("shows each event once, in outbox order, in the pilot's words", () => {
    createRoot((dispose) => {
      const log = createEventLog({ name: 'han_solo', since: '2026-05-01T00:00:00.000Z' });
      log.ingest(event(12, 'trade.completed', { side: 'sell', good: 'ore', quantity: 50, total: 1_300, port_name: 'Vega Exchange', experience_gained: 3 }));
      log.ingest(event(10, 'sector.arrived', { sector_id: 9, player: 'leia', hull: 'scout' }));
      log.ingest(event(12, 'trade.completed', { side: 'sell', good: 'ore', quantity: 50, total: 1_300 }));
      log.ingest(event(13, 'port.traded', { trader: 'han_solo', side: 'sell', good: 'ore', quantity: 50 }));
      expect(log.entries.map((e) => [e.id, e.text])).toEqual([
        [10, 'leia warped into sector 9'],
        [12, 'Sold 50 Fuel Ore at Vega Exchange for 1,300 cr · +3 xp'],
      ]);
      expect(log.lastId()).toBe(13);
      dispose();
    });
  });

  it("does not repeat the pilot's own arrival, and leaves out traffic from before the account existed", () => {
    createRoot((dispose) => {
      const log = createEventLog({ name: 'han_solo', since: '2026-05-01T12:00:00.000Z' });
      const at = (id: number, iso: string, type: string, data: Record<string, unknown>): GameEvent => ({ ...event(id, type, data), at: iso });
      log.ingest(at(3, '2026-05-01T11:59:59.000Z', 'sector.departed', { sector_id: 1, player: 'leia' }));
      log.ingest(at(4, '2026-05-01T12:00:05.000Z', 'player.moved', { from: 1, to: 2, first_visit: false }));
      log.ingest(at(5, '2026-05-01T12:00:05.000Z', 'sector.arrived', { sector_id: 2, player: 'han_solo', hull: 'light_freighter' }));
      log.ingest(at(6, '2026-05-01T12:00:09.000Z', 'sector.arrived', { sector_id: 2, player: 'leia', hull: 'scout' }));
      expect(log.entries.map((e) => e.text)).toEqual(['Warped to sector 2', 'leia warped into sector 2']);
      dispose();
    });
  });

  it('tells the pilot of a gate crossing into another region, and of one the gate refused', () => {
    createRoot((dispose) => {
      const log = createEventLog({ name: 'han_solo', since: '2026-05-01T12:00:00.000Z' });
      log.ingest(event(7, 'player.gate_departed', { transfer_id: 't1', from: 41, to: 501, to_region: 'nexus' }));
      log.ingest(event(8, 'player.gate_arrived', { transfer_id: 't1', sector_id: 501, region: 'nexus', rolled_back: false }));
      log.ingest(event(9, 'player.gate_arrived', { transfer_id: 't2', sector_id: 41, region: 'terran', rolled_back: true }));
      expect(log.entries.map((e) => e.text)).toEqual([
        'Entered the gate in sector 41: crossing to sector 501 (nexus)…',
        'Through the gate: arrived in sector 501 (nexus)',
        'The gate refused the crossing: back in sector 41 with everything aboard',
      ]);
      dispose();
    });
  });
});

describe('the cockpit', () => {
  function cockpitAt(here: Sector, move: ReturnType<typeof vi.fn> = vi.fn()) {
    const api = {
      player: { state: vi.fn(async () => ({ player: pilot({ sector_id: here.id }), ship: ship() })), move },
      sectors: { get: vi.fn(async () => here) },
    } as unknown as Pick<ApiClient, 'player' | 'sectors'>;
    return { api, cockpit: createCockpit(api) };
  }

  it('follows pilots arriving and leaving, and trades at its port', async () => {
    await createRoot(async (dispose) => {
      const { cockpit } = cockpitAt(sector());
      await cockpit.load();
      cockpit.applyEvent(event(1, 'sector.arrived', { sector_id: 9, player: 'leia', hull: 'scout' }));
      cockpit.applyEvent(event(2, 'sector.arrived', { sector_id: 9, player: 'chewie', hull: 'defender' }));
      cockpit.applyEvent(event(3, 'sector.arrived', { sector_id: 4, player: 'lando', hull: 'scout' }));
      cockpit.applyEvent(event(4, 'sector.arrived', { sector_id: 9, player: 'han_solo', hull: 'light_freighter' }));
      expect(cockpit.state.sector!.players.map((p) => p.name)).toEqual(['chewie', 'leia']);
      cockpit.applyEvent(event(5, 'sector.departed', { sector_id: 9, player: 'leia' }));
      expect(cockpit.state.sector!.players.map((p) => p.name)).toEqual(['chewie']);

      cockpit.applyEvent(event(6, 'port.traded', { sector_id: 9, port_id: 7, good: 'ore', stock: 450, unit_price: 25 }));
      expect(cockpit.state.sector!.port!.goods[0]).toMatchObject({ good: 'ore', stock: 450, unit_price: 25, tradable: 1_550 });
      dispose();
    });
  });

  it('warps one hop at a time and keeps the reason when a warp is refused', async () => {
    await createRoot(async (dispose) => {
      const move = vi.fn(async (to: number, _actionKey: string) => {
        if (to === 5) throw new ApiError(422, 'not_adjacent', 'Not adjacent');
        return { hop: {}, player: pilot({ sector_id: to }), sector: sector({ id: to }) };
      });
      const { cockpit } = cockpitAt(sector(), move);
      await cockpit.load();
      const first = cockpit.warp(3);
      expect(await cockpit.warp(3)).toBe(false); // one warp at a time
      expect(await first).toBe(true);
      expect(cockpit.state.sector!.id).toBe(3);
      expect(move).toHaveBeenCalledTimes(1);
      expect(move.mock.calls[0]![1]).toMatch(/^[0-9a-f]{32}$/);

      expect(await cockpit.warp(5)).toBe(false);
      expect((cockpit.state.warpError as ApiError).code).toBe('not_adjacent');
      expect(cockpit.state.player!.sector_id).toBe(3);
      dispose();
    });
  });
});

describe('comms', () => {
  const frame = (type: string, data: Record<string, unknown>, id: string | null = null): RealtimeFrame => ({
    id,
    type,
    topic: null,
    at: '2026-05-01T12:00:00.000Z',
    data,
  });

  it('merges history and live lines without repeats, and counts unread on other channels', () => {
    createRoot((dispose) => {
      const sent: unknown[] = [];
      const comms = createComms((f) => {
        sent.push(f);
        return true;
      });
      comms.handle(frame('welcome', { user_id: 'me', name: 'han_solo', chat_max_length: 500 }));
      const line = { id: 'c1', at: '2026-05-01T11:59:00.000Z', channel: 'global', from: { id: 'u2', name: 'leia' }, text: 'hello galaxy' };
      comms.handle(frame('chat.history', { channel: 'global', messages: [line] }));
      comms.handle(frame('chat.message', { channel: 'global', from: line.from, text: line.text }, 'c1'));
      comms.handle(frame('chat.message', { channel: 'global', from: line.from, text: 'anyone?' }, 'c2'));
      expect(comms.state.scrollback.global.map((e) => (e.kind === 'line' ? e.line.text : e.text))).toEqual(['hello galaxy', 'anyone?']);
      expect(comms.state.unread.global).toBe(1);
      comms.open('global');
      expect(comms.state.unread.global).toBe(0);
      dispose();
    });
  });

  it('needs a recipient for direct lines, says so when the link is down, and shows refusals for its own lines', () => {
    createRoot((dispose) => {
      let up = true;
      const sent: Array<Record<string, unknown>> = [];
      const comms = createComms((f) => {
        if (up) sent.push(f as Record<string, unknown>);
        return up;
      });
      comms.open('direct');
      expect(comms.say('psst')).toBe(false);
      expect(comms.state.error).toBe('Pick who to message: click a name in any channel.');
      comms.messagePrivately({ id: 'u2', name: 'leia' });
      expect(comms.say('psst')).toBe(true);
      expect(sent[0]).toMatchObject({ type: 'chat', channel: 'direct', to: 'u2', text: 'psst' });

      comms.handle(frame('error', { code: 'rate_limited', message: 'At most 8 messages every 10 s', ref: sent[0]!.ref }));
      expect(comms.state.error).toBe('At most 8 messages every 10 s');
      expect(comms.handle(frame('error', { code: 'already_live', message: 'x', ref: 'someone-else' }))).toBe(false);

      up = false;
      expect(comms.say('hello?')).toBe(false);
      expect(comms.state.error).toBe('Comms are down; reconnecting…');
      dispose();
    });
  });
});

describe('cargo costs', () => {
  it('prices a sale against what the units cost, and forgets cargo that left another way', () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
    const costs = createCargoCosts('pilot-1', storage);
    costs.recordPurchase('ore', 30, 600);
    costs.recordPurchase('ore', 20, 500);
    expect(costs.averageCost('ore')).toBe(22);
    expect(costs.recordSale('ore', 25, 750)).toBe(750 - 25 * 22);
    // Survives a reload.
    expect(createCargoCosts('pilot-1', storage).averageCost('ore')).toBe(22);
    costs.reconcile({ ore: 5, organics: 0, equipment: 0, colonists: 0 });
    expect(costs.recordSale('ore', 10, 300)).toBe(Math.round((300 / 10) * 5 - 5 * 22));
    expect(costs.recordSale('organics', 10, 300)).toBeNull();
  });
});
