import { For, Show } from 'solid-js';
import type { Sector } from '../../../../client/index.js';
import { count, ZONE_NAMES } from '../../format.js';
import { WarpPad, type WarpPadProps } from './WarpPad.js';

export interface SectorPanelProps extends Omit<WarpPadProps, 'warps'> {
  sector: Sector;
  /** names of pilots here whose realtime link is up */
  online?: ReadonlySet<string>;
  onHail?(name: string): void;
  /** open the planets screen (a planet here, or the genesis dialog) */
  onPlanets?(): void;
}

const HULL_NAMES: Record<string, string> = {
  escape_pod: 'Escape Pod',
  scout: 'Scout',
  light_freighter: 'Light Freighter',
  cargo_hauler: 'Cargo Hauler',
  colony_ship: 'Colony Ship',
  defender: 'Defender',
  carrier: 'Carrier',
};

/** Where the ship is: the sector's number and zone, its warps, and who and what is here. */
export function SectorPanel(props: SectorPanelProps) {
  return (
    <section class="panel sector" aria-labelledby="sector-title">
      <header class="sector-head">
        <h2 id="sector-title" class="sector-number">
          <span class="eyebrow">Sector</span>
          <span class="number">{props.sector.id}</span>
        </h2>
        <div class="sector-meta">
          <Show when={props.sector.name}>
            <p class="sector-name">{props.sector.name}</p>
          </Show>
          <p>
            <span class={`zone zone-${props.sector.zone}`}>{ZONE_NAMES[props.sector.zone] ?? props.sector.zone}</span>
            <Show when={props.sector.fedspace}>
              <span class="badge fed" title="FedSpace: no combat here">
                FedSpace
              </span>
            </Show>
          </p>
          <p class="muted">{props.sector.region.name}</p>
        </div>
      </header>

      <WarpPad warps={props.sector.warps} warpingTo={props.warpingTo} error={props.error} onWarp={props.onWarp} />

      <div class="sector-contents">
        <div>
          <h3>Port</h3>
          <p classList={{ muted: !props.sector.port }}>
            {props.sector.port
              ? `${props.sector.port.name} · class ${props.sector.port.class}${props.sector.port.class_code ? ` (${props.sector.port.class_code})` : ''}`
              : 'None'}
          </p>
        </div>
        <div>
          <h3>Planets</h3>
          <Show when={props.sector.planets.length > 0} fallback={<p class="muted">None</p>}>
            <ul class="plain">
              <For each={props.sector.planets}>
                {(planet) => (
                  <li>
                    {planet.name}{' '}
                    <span class="muted">
                      · {planet.type}
                      {planet.yours ? ' · yours' : planet.owner ? ` · ${planet.owner}` : planet.owned ? ' · claimed' : ''}
                      {planet.citadel_level > 0 ? ` · citadel ${planet.citadel_level}` : ''}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={props.onPlanets}>
            <button type="button" class="link" onClick={() => props.onPlanets?.()}>
              Planets…
            </button>
          </Show>
        </div>
        <div>
          <h3>Pilots here</h3>
          <Show when={props.sector.players.length > 0} fallback={<p class="muted">No one else</p>}>
            <ul class="plain pilots" aria-label="Pilots in this sector">
              <For each={props.sector.players}>
                {(pilot) => (
                  <li classList={{ online: props.online?.has(pilot.name) ?? false, npc: pilot.npc }}>
                    <span class="presence" role="img" aria-label={pilot.npc ? 'NPC trader' : props.online?.has(pilot.name) ? 'online' : 'offline'} />
                    {pilot.name}{' '}
                    <span class="muted">
                      · {HULL_NAMES[pilot.hull] ?? pilot.hull}
                      {pilot.npc ? ' · NPC trader' : ''}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
        <div>
          <h3>Defenses</h3>
          <p classList={{ muted: props.sector.defenses.fighters + props.sector.defenses.mines === 0 }}>
            {props.sector.defenses.fighters + props.sector.defenses.mines === 0
              ? 'None deployed'
              : `${count(props.sector.defenses.fighters)} fighters · ${count(props.sector.defenses.mines)} mines · ${props.sector.defenses.owners.join(', ')}`}
          </p>
        </div>
      </div>
    </section>
  );
}
