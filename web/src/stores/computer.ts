import { createMemo, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { ApiClient, Commodity, PortReport, RouteReport, SeenPort } from '../../../client/index.js';

export type PortSort = 'hops' | 'sector' | 'class' | 'seen' | 'name';

export interface PortFilter {
  /** text in the port's name or its sector number */
  text: string;
  /** only ports that buy this good (you sell it there) */
  buys: Commodity | '';
  /** only ports that sell this good (you buy it there) */
  sells: Commodity | '';
  /** only this class */
  portClass: number | null;
}

interface ComputerState {
  ports: PortReport | null;
  routes: RouteReport | null;
  loading: boolean;
  error: unknown;
}

/** Sort keys: ascending by default; "seen" puts the freshest first. */
const COMPARE: Record<PortSort, (a: SeenPort, b: SeenPort) => number> = {
  hops: (a, b) => (a.hops ?? Number.MAX_SAFE_INTEGER) - (b.hops ?? Number.MAX_SAFE_INTEGER) || a.sector_id - b.sector_id,
  sector: (a, b) => a.sector_id - b.sector_id,
  class: (a, b) => a.class - b.class || a.sector_id - b.sector_id,
  seen: (a, b) => Date.parse(b.seen_at) - Date.parse(a.seen_at) || a.sector_id - b.sector_id,
  name: (a, b) => a.name.localeCompare(b.name) || a.sector_id - b.sector_id,
};

/** Whether a port passes the report's filter (pure, for the screen and its tests). */
export function portMatches(port: SeenPort, filter: PortFilter): boolean {
  const text = filter.text.trim().toLowerCase();
  if (text && !port.name.toLowerCase().includes(text) && String(port.sector_id) !== text) return false;
  if (filter.buys && !port.goods.some((g) => g.good === filter.buys && g.port_action === 'buys')) return false;
  if (filter.sells && !port.goods.some((g) => g.good === filter.sells && g.port_action === 'sells')) return false;
  if (filter.portClass !== null && port.class !== filter.portClass) return false;
  return true;
}

/**
 * The ship's computer: the port report and the trade routes, read together and again whenever
 * the screen asks (after a flight the hops and the live port change).
 */
export function createComputer(api: Pick<ApiClient, 'computer'>) {
  const [state, setState] = createStore<ComputerState>({ ports: null, routes: null, loading: false, error: null });
  const [sort, setSort] = createSignal<PortSort>('hops');
  const [filter, setFilter] = createStore<PortFilter>({ text: '', buys: '', sells: '', portClass: null });
  let request = 0;

  async function load() {
    const mine = ++request;
    setState({ loading: true, error: null });
    try {
      const [ports, routes] = await Promise.all([api.computer.ports(), api.computer.routes(20)]);
      if (mine === request) setState({ ports, routes });
    } catch (err) {
      if (mine === request) setState('error', err);
    } finally {
      if (mine === request) setState('loading', false);
    }
  }

  const shown = createMemo(() => {
    const ports = state.ports?.ports ?? [];
    return ports.filter((p) => portMatches(p, filter)).sort(COMPARE[sort()]);
  });

  return { state, load, sort, setSort, filter, setFilter, shown };
}

export type Computer = ReturnType<typeof createComputer>;
