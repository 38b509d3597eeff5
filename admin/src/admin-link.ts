import { createSignal, onCleanup } from 'solid-js';
import { type ApiClient, connectRealtime, type LinkState, type RealtimeFrame } from '../../client/index.js';

/**
 * The admin SPA's realtime link: the one typed client's connection (client/realtime.ts, with its
 * tickets, resume and backoff), handing on the frames of the admin topic only. The server puts a
 * socket on that topic only when its ticket came from a session signed in with TOTP and holding
 * an admin scope, which every session of this SPA is. Closed when the owning component goes.
 */
export function createAdminLink(api: Pick<ApiClient, 'realtime' | 'session'>, onFrame: (frame: RealtimeFrame) => void) {
  const [state, setState] = createSignal<LinkState>({ status: 'connecting', attempts: 0, retryAt: null, reason: null });
  const link = connectRealtime({
    api,
    onState: setState,
    onFrame: (frame) => {
      if (frame.topic === 'admin') onFrame(frame);
    },
  });
  onCleanup(() => link.close());
  return { state, live: () => state().status === 'live' };
}

export type AdminLink = ReturnType<typeof createAdminLink>;
