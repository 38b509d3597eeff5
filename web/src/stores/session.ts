import { createSignal } from 'solid-js';
import { type ApiClient, isTotpChallenge, type User } from '../../../client/index.js';

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
  /** A sign-in waiting for its TOTP code: from the password form, or back from a provider (`/?totp_challenge=`). */
  const [challenge, setChallenge] = createSignal<string | null>(null);

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
    challenge,
    async restore() {
      setRestoreError(null);
      // Back from a provider sign-in of an account with TOTP: the code finishes it.
      const pending = new URLSearchParams(globalThis.location?.search ?? '').get('totp_challenge');
      if (pending) {
        globalThis.history?.replaceState(null, '', '/');
        setChallenge(pending);
        setStatus('signed-out');
        return;
      }
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
      const answer = await api.auth.login({ username, password });
      if (isTotpChallenge(answer)) setChallenge(answer.challenge);
      else adopt(answer);
    },
    /** The second step of a sign-in: the code from the authenticator app, or a recovery code. */
    async finishTotp(code: string) {
      const pending = challenge();
      if (!pending) return;
      adopt(await api.auth.loginTotp({ challenge: pending, code }));
      setChallenge(null);
    },
    /** A forced password reset's one-time link: the new password signs in (or asks for the TOTP code). */
    async redeemLink(token: string, password: string) {
      const answer = await api.auth.redeemLink({ token, password });
      globalThis.history?.replaceState(null, '', '/');
      if (isTotpChallenge(answer)) setChallenge(answer.challenge);
      else adopt(answer);
    },
    cancelTotp() {
      setChallenge(null);
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
