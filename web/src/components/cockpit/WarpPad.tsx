import { For, Show } from 'solid-js';
import type { Sector } from '../../../../client/index.js';
import { describeProblem } from '../../problems.js';

export interface WarpPadProps {
  warps: Sector['warps'];
  warpingTo: number | null;
  error: unknown;
  onWarp(to: number): void;
}

/** The warps out of this sector as numbered keys: press 1–9 (or click) to fly. */
export function WarpPad(props: WarpPadProps) {
  return (
    <nav class="warp-pad" aria-label="Warps">
      <div class="warp-head">
        <h3>Warps</h3>
        <span class="muted">press a number to fly</span>
      </div>
      <ol>
        <For each={props.warps}>
          {(warp, i) => (
            <li>
              <button
                type="button"
                class="warp-key"
                classList={{ flying: props.warpingTo === warp.to, 'one-way': warp.one_way, gate: warp.gate }}
                disabled={props.warpingTo !== null}
                aria-keyshortcuts={i() < 9 ? String(i() + 1) : undefined}
                aria-label={`Warp to sector ${warp.to}${warp.one_way ? ' (one-way)' : ''}${warp.gate ? ' (gate)' : ''}`}
                onClick={() => props.onWarp(warp.to)}
              >
                <Show when={i() < 9}>
                  <kbd>{i() + 1}</kbd>
                </Show>
                <span class="to">{warp.to}</span>
                <Show when={warp.one_way}>
                  <span class="tag" title="One-way: no warp leads back">
                    →
                  </span>
                </Show>
                <Show when={warp.gate}>
                  <span class="tag" title="Gate to another region">
                    ⌘
                  </span>
                </Show>
              </button>
            </li>
          )}
        </For>
      </ol>
      <Show when={props.warpingTo !== null}>
        <p class="warp-status" role="status">
          Warping to sector {props.warpingTo}…
        </p>
      </Show>
      <Show when={props.error}>
        <p class="warp-error" role="alert">
          {describeProblem(props.error)}
        </p>
      </Show>
    </nav>
  );
}
