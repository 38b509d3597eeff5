import { createSignal, onCleanup } from 'solid-js';
import { connectRealtime, type ApiClient, type ClientFrame, type LinkState, type RealtimeFrame } from '../../../client/index.js';

/** Outbox ids replayed on the first connection: the log opens with recent history. */
const HISTORY_WINDOW = 400;

/**
 * The cockpit's realtime link: its state for the reconnect indicator, and every frame handed to
 * `onFrame`. The browser's own signals (network back, tab shown again) cut a reconnect wait short.
 * Reconnects themselves are the typed client's (client/realtime.ts): the first attempt after a
 * drop at a random time within 3 s (a restarted server's players do not all come back in the
 * same instant), jittered backoff after, and the resume token of the last welcome instead of a
 * new ticket, so a restart does not turn into one ticket request per player. In multi-regional
 * mode the link follows the pilot: after a gate crossing the typed client knows the new region,
 * and the link reopens at its `<base_path>/ws` (REST calls follow in the client itself).
 */
export function createLink(api: Pick<ApiClient, 'realtime' | 'session' | 'region'>, onFrame: (frame: RealtimeFrame) => void) {
  const [state, setState] = createSignal<LinkState>({ status: 'connecting', attempts: 0, retryAt: null, reason: null });
  const link = connectRealtime({ api, onFrame, onState: setState, historyWindow: HISTORY_WINDOW });

  const wake = () => {
    if (document.visibilityState === 'visible' && state().status === 'reconnecting') link.reconnectNow();
  };
  const online = () => {
    if (state().status === 'reconnecting') link.reconnectNow();
  };
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', wake);
  onCleanup(() => {
    window.removeEventListener('online', online);
    document.removeEventListener('visibilitychange', wake);
    link.close();
  });

  return {
    state,
    send: (frame: ClientFrame) => link.send(frame),
    reconnectNow: () => link.reconnectNow(),
  };
}

export type Link = ReturnType<typeof createLink>;
