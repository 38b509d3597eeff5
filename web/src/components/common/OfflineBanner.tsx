import { createSignal, onCleanup, Show } from 'solid-js';
import { useFlight } from '../../flight.js';

/** The browser's own idea of the network, as a signal. */
export function useOnline() {
  const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const up = () => setOnline(true);
  const down = () => setOnline(false);
  window.addEventListener('online', up);
  window.addEventListener('offline', down);
  onCleanup(() => {
    window.removeEventListener('online', up);
    window.removeEventListener('offline', down);
  });
  return online;
}

/**
 * While the connection is down the screens keep the last state they showed (nothing is cleared),
 * and this says so: what you see may be out of date, and actions wait for the link.
 */
export function OfflineBanner() {
  const { link } = useFlight();
  const online = useOnline();
  const down = () => !online() || link.state().status === 'reconnecting';
  return (
    <Show when={down()}>
      <div class="offline-banner" role="alert">
        <b>{online() ? 'Connection lost.' : 'You are offline.'}</b> Showing the last state you saw; it may be out of date. Trades and warps resume once the link
        is back.
        <Show when={online()}>
          <button type="button" onClick={() => link.reconnectNow()}>
            Reconnect now
          </button>
        </Show>
      </div>
    </Show>
  );
}
