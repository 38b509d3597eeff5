import { For, Show } from 'solid-js';
import type { Sector } from '../../../../client/index.js';
import { ApiError } from '../../../../client/index.js';
import { describeProblem } from '../../problems.js';

export interface WarpPadProps {
  warps: Sector['warps'];
  warpingTo: number | null;
  error: unknown;
  onWarp(to: number, toll?: 'pay' | 'refuse'): void;
}

/** A move refused for a toll: where, and how much the fighters there demand. */
function tollAsked(error: unknown): { to: number; amount: number } | null {
  if (!(error instanceof ApiError) || error.code !== 'toll_required') return null;
  const amount = Number(error.extra.amount);
  const to = Number(error.extra.sector_id);
  return Number.isFinite(amount) && Number.isFinite(to) ? { to, amount } : null;
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
                onClick={() => props.onWarp(warp.to)}
              >
                {/* The name is "Warp to sector N": the key is announced by aria-keyshortcuts. */}
                <Show when={i() < 9}>
                  <kbd aria-hidden="true">{i() + 1}</kbd>
                </Show>
                <span class="sr-only">Warp to sector </span>
                <span class="to">{warp.to}</span>
                <Show when={warp.one_way}>
                  <span class="tag" title="One-way: no warp leads back" aria-hidden="true">
                    →
                  </span>
                  <span class="sr-only"> (one-way)</span>
                </Show>
                <Show when={warp.gate}>
                  <span class="tag" title="Gate to another region" aria-hidden="true">
                    ⌘
                  </span>
                  <span class="sr-only"> (gate)</span>
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
      <Show
        when={tollAsked(props.error)}
        fallback={
          <Show when={props.error}>
            <p class="warp-error" role="alert">
              {describeProblem(props.error)}
            </p>
          </Show>
        }
      >
        {(toll) => (
          <div class="toll-prompt" role="alertdialog" aria-label="Toll demanded">
            <p>
              Fighters in sector {toll().to} demand a toll of <b>{toll().amount.toLocaleString()} cr</b>.
            </p>
            <button type="button" class="primary" onClick={() => props.onWarp(toll().to, 'pay')}>
              Pay {toll().amount.toLocaleString()} cr
            </button>{' '}
            <button type="button" onClick={() => props.onWarp(toll().to, 'refuse')}>
              Refuse and face them
            </button>
          </div>
        )}
      </Show>
    </nav>
  );
}
