import { createSignal, onCleanup } from 'solid-js';
import { createStore } from 'solid-js/store';
import { newActionKey, type ApiClient, type GameEvent, type Player, type Sector, type Ship, type TradeResult } from '../../../client/index.js';

interface CockpitState {
  player: Player | null;
  ship: Ship | null;
  sector: Sector | null;
  loading: boolean;
  error: unknown;
  /** the sector a warp is under way to */
  warpingTo: number | null;
  warpError: unknown;
  /** when `player` was read, for the turn countdown */
  readAt: number;
}

/** Do not re-read the pilot more often than this when turns tick over. */
const TURN_REFRESH_MS = 3_000;
/**
 * Pilots who close their game leave no event behind (presence just expires), so the sector is
 * read again this often to drop them from "pilots here".
 */
const SECTOR_REFRESH_MS = 30_000;

/**
 * The pilot, the ship and the sector around them: what the cockpit shows. Changes come from the
 * pilot's own actions (their answers carry the new state) and from events about the sector.
 */
export function createCockpit(api: Pick<ApiClient, 'player' | 'sectors'>, now: () => number = Date.now) {
  const [state, setState] = createStore<CockpitState>({
    player: null,
    ship: null,
    sector: null,
    loading: false,
    error: null,
    warpingTo: null,
    warpError: null,
    readAt: 0,
  });
  const [clock, setClock] = createSignal(now());
  let lastTurnRefresh = 0;

  const ticker = setInterval(() => {
    setClock(now());
    const player = state.player;
    if (player?.next_turn_in_ms != null && nextTurnIn() === 0 && now() - lastTurnRefresh > TURN_REFRESH_MS) {
      lastTurnRefresh = now();
      void refreshPilot().catch(() => {});
    }
  }, 1_000);
  const sectorTimer = setInterval(() => {
    if (state.sector && state.warpingTo === null && document.visibilityState !== 'hidden') void refreshSector().catch(() => {});
  }, SECTOR_REFRESH_MS);
  onCleanup(() => {
    clearInterval(ticker);
    clearInterval(sectorTimer);
  });

  /** ms until the next turn regenerates, counted down locally between reads; null when the pool is full */
  function nextTurnIn(): number | null {
    const ms = state.player?.next_turn_in_ms;
    if (ms == null) return null;
    return Math.max(0, ms - (clock() - state.readAt));
  }

  async function refreshPilot() {
    const { player, ship } = await api.player.state();
    setState({ player, ship, readAt: now() });
  }

  async function refreshSector() {
    const id = state.player?.sector_id;
    if (id === undefined) return;
    const sector = await api.sectors.get(id);
    // A warp may have landed meanwhile: that answer is about a sector we left.
    if (state.player?.sector_id === id && state.warpingTo === null) setState('sector', sector);
  }

  return {
    state,
    nextTurnIn,

    /** Read everything the cockpit shows (on sign-in, and when realtime says we missed too much). */
    async load() {
      setState({ loading: true, error: null });
      try {
        const { player, ship } = await api.player.state();
        const sector = await api.sectors.get(player.sector_id);
        setState({ player, ship, sector, readAt: now() });
      } catch (err) {
        setState('error', err);
      } finally {
        setState('loading', false);
      }
    },

    refreshPilot,
    refreshSector,

    /** Fly one warp. Resolves true on arrival; a refusal is left in `warpError`. */
    async warp(to: number, toll?: 'pay' | 'refuse'): Promise<boolean> {
      if (state.warpingTo !== null) return false;
      setState({ warpingTo: to, warpError: null });
      try {
        const result = await api.player.move(to, newActionKey(), toll);
        setState({ player: result.player, sector: result.sector, readAt: now() });
        return true;
      } catch (err) {
        setState('warpError', err);
        return false;
      } finally {
        setState('warpingTo', null);
      }
    },

    clearWarpError() {
      setState('warpError', null);
    },

    applyTrade(result: TradeResult) {
      setState({ player: result.player, ship: result.ship, readAt: now() });
      void refreshSector().catch(() => {});
    },

    applyPlayer(player: Player) {
      setState({ player, readAt: now() });
    },

    /** The pilot and ship as a Stardock purchase, an attack or a salvage left them. */
    applyCrew(crew: { player: Player; ship: Ship }) {
      setState({ player: crew.player, ship: crew.ship, readAt: now() });
      void refreshSector().catch(() => {});
    },

    /** Other pilots coming and going, and their trades at this sector's port. */
    applyEvent(event: GameEvent) {
      const sector = state.sector;
      const data = event.data as Record<string, unknown>;
      // An engagement we fought (either side): fighters, shields, maybe the hull and the sector changed.
      if (
        event.type === 'combat.resolved' ||
        event.type === 'defenses.fired' ||
        event.type === 'bounty.paid' ||
        event.type === 'police.fined' ||
        event.type === 'planet.attacked'
      ) {
        void refreshPilot()
          .then(() => refreshSector())
          .catch(() => {});
        return;
      }
      // A fight here: a wreck may have appeared and a pilot left in a pod.
      if (event.type === 'sector.combat' && sector && data.sector_id === sector.id) {
        void refreshSector().catch(() => {});
        return;
      }
      if (!sector || data.sector_id !== sector.id) return;
      const me = state.player?.name;
      switch (event.type) {
        case 'planet.created':
          void refreshSector().catch(() => {});
          return;
        case 'sector.arrived': {
          const name = String(data.player);
          if (name === me) return;
          // A pilot who just flew in is at the controls: online, whatever an older read said.
          if (sector.players.some((p) => p.name === name)) {
            setState('sector', 'players', (p) => p.name === name, 'online', true);
            return;
          }
          setState('sector', 'players', (players) =>
            [...players, { name, hull: String(data.hull ?? ''), npc: false, online: true }].sort((a, b) => a.name.localeCompare(b.name)),
          );
          return;
        }
        case 'sector.departed': {
          const name = String(data.player);
          setState('sector', 'players', (players) => players.filter((p) => p.name !== name));
          return;
        }
        case 'port.traded': {
          if (!sector.port || data.port_id !== sector.port.id) return;
          const stock = Number(data.stock);
          setState(
            'sector',
            'port',
            'goods',
            (good) => good.good === data.good,
            (good) => ({
              stock,
              unit_price: Number(data.unit_price),
              tradable: good.port_action === 'sells' ? stock : good.capacity - stock,
            }),
          );
          return;
        }
      }
    },
  };
}

export type Cockpit = ReturnType<typeof createCockpit>;
