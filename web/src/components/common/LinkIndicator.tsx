import { createSignal, Match, onCleanup, Switch } from 'solid-js';
import type { LinkState } from '../../../../client/index.js';

/** The realtime link at a glance: live, or reconnecting (with a countdown and a button to retry now). */
export function LinkIndicator(props: { state: LinkState; onReconnect(): void }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1_000);
  onCleanup(() => clearInterval(timer));
  const wait = () => (props.state.retryAt ? Math.max(0, Math.ceil((props.state.retryAt - now()) / 1000)) : 0);
  return (
    <div class={`uplink uplink-${props.state.status}`} role="status" aria-live="polite">
      <span class="uplink-dot" aria-hidden="true" />
      <Switch>
        <Match when={props.state.status === 'live'}>
          <span class="uplink-text">Live</span>
        </Match>
        <Match when={props.state.status === 'connecting'}>
          <span class="uplink-text">Connecting…</span>
        </Match>
        <Match when={props.state.status === 'reconnecting'}>
          <span class="uplink-text">Link lost · retry in {wait()} s</span>
          <button type="button" class="uplink-action" onClick={() => props.onReconnect()}>
            Reconnect
          </button>
        </Match>
        <Match when={props.state.status === 'superseded'}>
          <span class="uplink-text">Playing in another tab</span>
          <button type="button" class="uplink-action" onClick={() => props.onReconnect()}>
            Play here
          </button>
        </Match>
        <Match when={props.state.status === 'signed-out' || props.state.status === 'closed'}>
          <span class="uplink-text">Offline</span>
        </Match>
      </Switch>
    </div>
  );
}
