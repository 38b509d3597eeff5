import { createEffect, createSignal, For, Match, on, onMount, Show, Switch } from 'solid-js';
import type { Commodity, RouteLeg, SeenPort, TradeRoute } from '../../../../client/index.js';
import { FEATURES } from '../../features.js';
import { useFlight } from '../../flight.js';
import { clockTime, count, credits, describeClassCode, GOOD_NAMES } from '../../format.js';
import type { PortSort } from '../../stores/computer.js';
import { Loading, Problem } from '../common/Status.js';

type Tab = 'routes' | 'ports';

const SORTS: Array<{ key: PortSort; label: string }> = [
  { key: 'hops', label: 'Nearest' },
  { key: 'sector', label: 'Sector' },
  { key: 'class', label: 'Class' },
  { key: 'seen', label: 'Last seen' },
  { key: 'name', label: 'Name' },
];

const GOODS: Commodity[] = ['ore', 'organics', 'equipment', ...(FEATURES.colonization ? (['colonists'] as const) : [])];

/**
 * The ship's computer: the trade-route finder (known pairs ranked by profit per turn, each with
 * "plot" and "autopilot") and the port report (every port seen, sortable and filterable).
 */
export function ComputerScreen() {
  const { computer, cockpit, navigator, navigation } = useFlight();
  const [tab, setTab] = createSignal<Tab>('routes');
  onMount(() => void computer.load());
  // A flight moves the ship (hops change) and charts ports: read the computer again.
  createEffect(
    on(
      () => cockpit.state.player?.sector_id,
      () => void computer.load(),
      { defer: true },
    ),
  );

  const plot = (route: TradeRoute) => {
    const start = startOf(route);
    navigation.go('map');
    void navigator.select(start);
  };
  const autopilot = (route: TradeRoute) => {
    const start = startOf(route);
    navigation.go('map');
    void navigator.flyTo(start);
  };
  /** At the route's start already: the course goes to the other end. */
  const startOf = (route: TradeRoute) => (cockpit.state.player?.sector_id === route.from.sector_id ? route.to.sector_id : route.from.sector_id);

  return (
    <section class="panel computer" aria-labelledby="computer-title">
      <header class="panel-head">
        <h2 id="computer-title">
          <span class="eyebrow">Computer</span> Ship's computer
        </h2>
        <div class="tabs" role="tablist" aria-label="Computer">
          <button type="button" role="tab" id="tab-routes" aria-controls="panel-routes" aria-selected={tab() === 'routes'} onClick={() => setTab('routes')}>
            Trade routes
          </button>
          <button type="button" role="tab" id="tab-ports" aria-controls="panel-ports" aria-selected={tab() === 'ports'} onClick={() => setTab('ports')}>
            Port report
          </button>
        </div>
      </header>
      <Switch>
        <Match when={computer.state.error && !computer.state.ports}>
          <Problem error={computer.state.error} retry={() => void computer.load()} />
        </Match>
        <Match when={!computer.state.ports || !computer.state.routes}>
          <Loading what="Working it out…" />
        </Match>
        <Match when={tab() === 'routes'}>
          <div id="panel-routes" role="tabpanel" aria-labelledby="tab-routes">
            <RouteList
              routes={computer.state.routes!.routes}
              holds={computer.state.routes!.holds}
              here={cockpit.state.player?.sector_id}
              onPlot={plot}
              onAutopilot={autopilot}
            />
          </div>
        </Match>
        <Match when={tab() === 'ports'}>
          <div id="panel-ports" role="tabpanel" aria-labelledby="tab-ports">
            <PortReportView />
          </div>
        </Match>
      </Switch>
    </section>
  );
}

function legText(leg: RouteLeg, from: number, to: number): string {
  return `${count(leg.quantity)} ${GOOD_NAMES[leg.good]}: buy at ${from} for ${credits(leg.cost)}, sell at ${to} for ${credits(leg.revenue)} (+${credits(leg.profit)})`;
}

function RouteList(props: {
  routes: TradeRoute[];
  holds: number;
  here: number | undefined;
  onPlot(route: TradeRoute): void;
  onAutopilot(route: TradeRoute): void;
}) {
  return (
    <Show
      when={props.routes.length > 0}
      fallback={
        <p class="hint">
          No known pair pays yet. Every port you visit is remembered: find one that sells a good and one that buys it, and the best pairs show up here. The port
          report lists what you have seen.
        </p>
      }
    >
      <p class="hint">
        Known port pairs, best credits per turn first, priced at what you last saw for {count(props.holds)} holds. A round trip flies there and back and trades
        at each end.
      </p>
      <ol class="routes" aria-label="Trade routes">
        <For each={props.routes}>
          {(route, i) => (
            <li class="route">
              <div class="route-head">
                <span class="route-rank">#{i() + 1}</span>
                <b class="route-rate">{count(Math.round(route.profit_per_turn))} cr / turn</b>
                <span class="route-ends">
                  {route.from.sector_id} ⇄ {route.to.sector_id}
                </span>
              </div>
              <p class="route-ports muted">
                {route.from.port_name} (class {route.from.class}) and {route.to.port_name} (class {route.to.class})
              </p>
              <ul class="plain route-legs">
                <Show when={route.out}>{(leg) => <li>{legText(leg(), route.from.sector_id, route.to.sector_id)}</li>}</Show>
                <Show when={route.back}>{(leg) => <li>{legText(leg(), route.to.sector_id, route.from.sector_id)}</li>}</Show>
              </ul>
              <p class="route-sum">
                +{credits(route.profit)} a round trip of {count(route.turns)} turns
                <Show when={route.approach_turns !== null}>
                  {' · '}
                  {route.approach_turns === 0 ? 'you are at its start' : `${count(route.approach_turns!)} turns to its start`}
                </Show>
              </p>
              <div class="route-actions">
                <button type="button" onClick={() => props.onPlot(route)}>
                  Plot<span class="sr-only"> route {i() + 1}</span>
                </button>
                <button type="button" class="primary" onClick={() => props.onAutopilot(route)}>
                  Autopilot<span class="sr-only"> route {i() + 1}</span>
                </button>
              </div>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}

function PortReportView() {
  const { computer } = useFlight();
  const { filter, setFilter } = computer;
  const total = () => computer.state.ports?.ports.length ?? 0;
  return (
    <>
      <form class="port-filters" role="search" aria-label="Filter ports" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Find</span>
          <input type="search" placeholder="Name or sector" value={filter.text} onInput={(e) => setFilter('text', e.currentTarget.value)} />
        </label>
        <label>
          <span>Buys</span>
          <select value={filter.buys} onChange={(e) => setFilter('buys', e.currentTarget.value as Commodity | '')}>
            <option value="">any good</option>
            <For each={GOODS}>{(g) => <option value={g}>{GOOD_NAMES[g]}</option>}</For>
          </select>
        </label>
        <label>
          <span>Sells</span>
          <select value={filter.sells} onChange={(e) => setFilter('sells', e.currentTarget.value as Commodity | '')}>
            <option value="">any good</option>
            <For each={GOODS}>{(g) => <option value={g}>{GOOD_NAMES[g]}</option>}</For>
          </select>
        </label>
        <label>
          <span>Class</span>
          <select
            value={filter.portClass === null ? '' : String(filter.portClass)}
            onChange={(e) => setFilter('portClass', e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
          >
            <option value="">any</option>
            <For each={[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}>{(c) => <option value={String(c)}>{c}</option>}</For>
          </select>
        </label>
        <label>
          <span>Sort</span>
          <select value={computer.sort()} onChange={(e) => computer.setSort(e.currentTarget.value as PortSort)}>
            <For each={SORTS}>{(s) => <option value={s.key}>{s.label}</option>}</For>
          </select>
        </label>
      </form>
      <p class="muted report-count" role="status">
        {count(computer.shown().length)} of {count(total())} ports seen
      </p>
      <ul class="port-report" aria-label="Ports seen">
        <For each={computer.shown()} fallback={<li class="hint">No port you have seen matches.</li>}>
          {(port) => <PortCard port={port} />}
        </For>
      </ul>
    </>
  );
}

function PortCard(props: { port: SeenPort }) {
  const words = () => describeClassCode(props.port.class_code);
  return (
    <li class="port-card" data-sector={props.port.sector_id}>
      <div class="port-card-head">
        <b>{props.port.name}</b>
        <span class="port-class">
          Class {props.port.class}
          {props.port.class_code ? ` · ${props.port.class_code}` : ''}
        </span>
      </div>
      <p class="muted">
        Sector {props.port.sector_id} ·{' '}
        {props.port.hops === null ? 'no known course' : props.port.hops === 0 ? 'here' : `${count(props.port.hops)} hops (${count(props.port.turns!)} turns)`} ·{' '}
        {props.port.live ? 'live' : <>seen {clockTime(props.port.seen_at)}</>}
        <Show when={words()}> · {words()}</Show>
      </p>
      <Show when={props.port.goods.length > 0} fallback={<p class="hint">Ships and hardware, no goods.</p>}>
        <table class="market compact">
          <thead>
            <tr>
              <th scope="col">Good</th>
              <th scope="col">Port</th>
              <th scope="col" class="num">
                Price
              </th>
              <th scope="col" class="num">
                Stock
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={props.port.goods}>
              {(g) => (
                <tr>
                  <th scope="row">{GOOD_NAMES[g.good]}</th>
                  <td class={`port-action ${g.port_action}`}>{g.port_action}</td>
                  <td class="num">{credits(g.unit_price)}</td>
                  <td class="num">{count(g.stock)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </li>
  );
}
