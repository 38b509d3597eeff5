import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { type AdminMe, ApiError, type ApiClient, isTotpChallenge, type User } from '../../client/index.js';
import { EnrollLinkForm, Enrollment, SignInForm, TotpStep } from './auth.js';
import { FormError } from './components/forms.js';
import { describeProblem } from './problems.js';
import { createRouter } from './router.js';
import { sectionOf, sectionsFor } from './sections.js';

type Phase =
  | { is: 'restoring' }
  | { is: 'signed-out'; note?: string }
  | { is: 'totp'; challenge: string; note?: string }
  | { is: 'checking' }
  | { is: 'enroll' }
  | { is: 'no-scope'; user: User }
  | { is: 'ready'; me: AdminMe };

/**
 * The admin SPA: sign in (password, then TOTP; enrollment on the first admin sign-in), then the
 * frame with the sections the caller's scopes allow.
 */
export function App(props: { api: ApiClient }) {
  const api = props.api;
  const router = createRouter();
  const [phase, setPhase] = createSignal<Phase>({ is: 'restoring' });
  const [error, setError] = createSignal<unknown>(null);
  /** Kept from the password step until the first TOTP sign-in after enrollment, never stored. */
  let credentials: { username: string; password: string } | null = null;

  api.session.onChange((user) => {
    if (!user && phase().is !== 'signed-out') setPhase({ is: 'signed-out', note: 'Your session ended. Sign in again.' });
  });

  /** Signed in: may this session use the admin API, or must it enroll TOTP first? */
  const check = async () => {
    setPhase({ is: 'checking' });
    try {
      const me = await api.admin.me();
      credentials = null;
      setPhase({ is: 'ready', me });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'second_factor_required') setPhase({ is: 'enroll' });
      else if (err instanceof ApiError && err.code === 'insufficient_scope' && api.session.user()) setPhase({ is: 'no-scope', user: api.session.user()! });
      else {
        setError(err);
        setPhase({ is: 'signed-out' });
      }
    }
  };

  const signIn = async (username: string, password: string) => {
    const answer = await api.auth.login({ username, password });
    credentials = { username, password };
    if (isTotpChallenge(answer)) setPhase({ is: 'totp', challenge: answer.challenge });
    else await check();
  };

  const signOut = async (note?: string) => {
    credentials = null;
    await api.auth.logout().catch(() => {});
    setPhase({ is: 'signed-out', ...(note ? { note } : {}) });
  };

  /** Enrolled: sign in again so the session carries the admin scopes (with the next code). */
  const afterEnrollment = async () => {
    if (!credentials) return signOut('Two-step sign-in is on. Sign in with your authenticator code.');
    const { username, password } = credentials;
    await api.auth.logout().catch(() => {});
    const answer = await api.auth.login({ username, password });
    if (isTotpChallenge(answer)) setPhase({ is: 'totp', challenge: answer.challenge, note: 'Enter the next code your app shows (or a recovery code).' });
    else await check();
  };

  onMount(async () => {
    if (router.route() === '/enroll') {
      setPhase({ is: 'signed-out' });
      return;
    }
    try {
      const user = await api.auth.resume();
      if (user) await check();
      else setPhase({ is: 'signed-out' });
    } catch (err) {
      setError(err);
      setPhase({ is: 'signed-out' });
    }
  });

  const enrollToken = () => (router.route() === '/enroll' ? new URLSearchParams(router.search()).get('token') : null);

  return (
    <Switch>
      <Match when={phase().is === 'restoring' || phase().is === 'checking'}>
        <main class="center">
          <p class="muted" role="status">
            Loading…
          </p>
        </main>
      </Match>
      <Match when={phase().is === 'signed-out' && enrollToken()}>
        <main class="center">
          <EnrollLinkForm
            onRedeem={async (password) => {
              const answer = await api.auth.redeemLink({ token: enrollToken()!, password });
              router.go('/', true);
              if (isTotpChallenge(answer)) {
                setPhase({ is: 'totp', challenge: answer.challenge });
                return;
              }
              credentials = { username: answer.username, password };
              await check();
            }}
          />
        </main>
      </Match>
      <Match when={phase().is === 'signed-out'}>
        <main class="center">
          <div class="stack">
            <Show when={(phase() as { note?: string }).note}>
              <p class="notice" role="status">
                {(phase() as { note?: string }).note}
              </p>
            </Show>
            <FormError message={error() ? describeProblem(error()) : null} />
            <SignInForm
              onSignIn={async (u, p) => {
                setError(null);
                await signIn(u, p);
              }}
            />
          </div>
        </main>
      </Match>
      <Match when={phase().is === 'totp' && (phase() as { challenge: string })} keyed>
        {(p) => (
          <main class="center">
            <TotpStep
              {...((p as { note?: string }).note ? { note: (p as { note?: string }).note } : {})}
              onCode={async (code) => {
                await api.auth.loginTotp({ challenge: p.challenge, code });
                await check();
              }}
              onCancel={() => void signOut()}
            />
          </main>
        )}
      </Match>
      <Match when={phase().is === 'enroll'}>
        <main class="center">
          <Enrollment
            api={api}
            onDone={() =>
              void afterEnrollment().catch((err: unknown) => {
                setError(err);
                setPhase({ is: 'signed-out' });
              })
            }
            onAlreadyEnrolled={() => void signOut('Sign in again with your authenticator code: this session was started without it.')}
            onCancel={() => void signOut()}
          />
        </main>
      </Match>
      <Match when={phase().is === 'no-scope' && (phase() as { user: User }).user} keyed>
        {(user) => (
          <main class="center">
            <div class="card auth">
              <h1>No admin access</h1>
              <p>
                The account <strong>{user.username}</strong> holds no admin scope. An admin holding <code>admin:scopes</code> can grant one.
              </p>
              <button type="button" class="primary" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </main>
        )}
      </Match>
      <Match when={phase().is === 'ready' && (phase() as { me: AdminMe }).me} keyed>
        {(me) => <Frame api={api} me={me} router={router} onSignOut={() => void signOut()} />}
      </Match>
    </Switch>
  );
}

/** Navigation on the left (a bar on top on a narrow screen), the section on the right. */
function Frame(props: { api: ApiClient; me: AdminMe; router: ReturnType<typeof createRouter>; onSignOut(): void }) {
  const sections = () => sectionsFor(props.me);
  const current = () => {
    const section = sectionOf(props.router.route());
    return section && sections().includes(section) ? section : undefined;
  };
  return (
    <div class="frame">
      <nav class="side" aria-label="Admin sections">
        <p class="brand">
          SECTOR<span>WARS</span> <small>admin</small>
        </p>
        <ul>
          <For each={sections()}>
            {(s) => (
              <li>
                <a
                  href={`/admin${s.path}`}
                  aria-current={current() === s ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    props.router.go(s.path);
                  }}
                >
                  {s.label}
                </a>
              </li>
            )}
          </For>
        </ul>
        <div class="who">
          <span data-testid="admin-name">{props.me.username}</span>
          <button type="button" class="link" onClick={() => props.onSignOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main class="content">
        <Show when={current()} keyed fallback={<p class="muted">Nothing here, or not for your scopes.</p>}>
          {(section) => {
            const router = props.router;
            // `rest` is a getter, so a view follows the route within its section (a list to a detail).
            return section.view({
              api: props.api,
              me: props.me,
              router,
              get rest() {
                return router.route().slice(section.path === '/' ? 1 : section.path.length);
              },
            });
          }}
        </Show>
      </main>
    </div>
  );
}
