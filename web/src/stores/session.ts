import { createSignal } from 'solid-js';
import type { ApiClient, User } from '../../../client/index.js';

export type SessionStatus = 'restoring' | 'signed-out' | 'signed-in';

/**
 * Set while signed in: a visitor who never signed in on this browser is not sent to exchange a
 * refresh cookie they cannot have (the refusal would be a 401 in the console of a fresh visit).
 * It says only that a session may exist; the cookie itself stays out of reach of scripts.
 */
const SESSION_HINT = 'sectorwars:signed-in';

/**
 * Who is flying. On load the session is picked up again from the refresh cookie; signing in,
 * signing up and signing out go through the one API client, which also reports a session that
 * ended on its own (logged out elsewhere, refresh refused).
 */
export function createSessionStore(
  api: Pick<ApiClient, 'auth' | 'session'>,
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = globalThis.localStorage ?? null,
) {
  const [status, setStatus] = createSignal<SessionStatus>('restoring');
  const [user, setUser] = createSignal<User | null>(null);
  const [restoreError, setRestoreError] = createSignal<unknown>(null);

  const adopt = (next: User | null) => {
    if (next) storage?.setItem(SESSION_HINT, '1');
    else storage?.removeItem(SESSION_HINT);
    setUser(next);
    setStatus(next ? 'signed-in' : 'signed-out');
  };
  api.session.onChange(adopt);

  return {
    status,
    user,
    restoreError,
    async restore() {
      setRestoreError(null);
      // Back from a provider sign-in: the refresh cookie was just set, though no hint was.
      const fromProvider = new URLSearchParams(globalThis.location?.search ?? '').has('signed_in');
      if (fromProvider) globalThis.history?.replaceState(null, '', '/');
      if (!storage?.getItem(SESSION_HINT) && !fromProvider) {
        setStatus('signed-out');
        return;
      }
      setStatus('restoring');
      try {
        adopt(await api.auth.resume());
      } catch (err) {
        setRestoreError(err);
        setStatus('signed-out');
      }
    },
    async login(username: string, password: string) {
      adopt(await api.auth.login({ username, password }));
    },
    /** A first provider sign-in whose name was taken: the username chosen on the follow-up form. */
    async completeOAuth(pending: string, username: string) {
      adopt(await api.auth.completeOAuth({ pending, username }));
      globalThis.history?.replaceState(null, '', '/');
    },
    async register(username: string, email: string, password: string) {
      adopt(await api.auth.register({ username, email, password }));
    },
    async logout() {
      try {
        await api.auth.logout();
      } finally {
        adopt(null);
      }
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
