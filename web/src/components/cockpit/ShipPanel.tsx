import { For } from 'solid-js';
import type { Commodity, Ship } from '../../../../client/index.js';
import { count, GOOD_NAMES } from '../../format.js';

const GOODS: Commodity[] = ['ore', 'organics', 'equipment', 'colonists'];

function Gauge(props: { label: string; value: number; max: number; tone: string }) {
  const percent = () => (props.max > 0 ? Math.min(100, (props.value / props.max) * 100) : 0);
  return (
    <div class="gauge">
      <div class="gauge-label">
        <span>{props.label}</span>
        <span>
          {count(props.value)} <span class="muted">/ {count(props.max)}</span>
        </span>
      </div>
      <div class="gauge-track" role="meter" aria-label={props.label} aria-valuemin="0" aria-valuemax={props.max} aria-valuenow={props.value}>
        <div class={`gauge-fill ${props.tone}`} style={{ width: `${percent()}%` }} />
      </div>
    </div>
  );
}

/** The ship: hull, holds and what fills them, fighters and shields. */
export function ShipPanel(props: { ship: Ship }) {
  const used = () => props.ship.holds - props.ship.holds_free;
  return (
    <section class="panel ship" aria-labelledby="ship-title">
      <header class="panel-head">
        <h2 id="ship-title">
          <span class="eyebrow">Ship</span> {props.ship.hull_name}
        </h2>
        <span class="muted">{props.ship.turns_per_warp} turns / warp</span>
      </header>
      <Gauge label="Holds used" value={used()} max={props.ship.holds} tone="holds" />
      <ul class="cargo" aria-label="Cargo">
        <For each={GOODS}>
          {(good) => (
            <li classList={{ empty: props.ship.cargo[good] === 0 }}>
              <span>{GOOD_NAMES[good]}</span>
              <b>{count(props.ship.cargo[good])}</b>
            </li>
          )}
        </For>
        <li class="free">
          <span>Free holds</span>
          <b>{count(props.ship.holds_free)}</b>
        </li>
      </ul>
      <Gauge label="Fighters" value={props.ship.fighters} max={props.ship.max_fighters} tone="fighters" />
      <Gauge label="Shields" value={props.ship.shields} max={props.ship.max_shields} tone="shields" />
    </section>
  );
}
