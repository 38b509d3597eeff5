import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { ApiClient } from '../../../../client/index.js';
import { describeCode, describeProblem } from '../../problems.js';
import type { SessionStore } from '../../stores/session.js';
import { LoginForm, PickUsernameForm, ResetPasswordForm, SignupForm, TotpForm } from './AuthForms.js';

/** The hangar door: sign in, or sign up a new pilot. */
export function AuthScreen(props: { session: SessionStore; api?: Pick<ApiClient, 'auth'> }) {
  const [mode, setMode] = createSignal<'login' | 'signup'>('signup');
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const pending = params.get('oauth_pending');
  // The one-time link of a forced password reset (an admin's doing): /reset-password?token=…
  const resetToken = globalThis.location?.pathname === '/reset-password' ? params.get('token') : null;
  const oauthError = params.get('oauth_error');
  const [providers] = createResource(
    () => props.api,
    (api) =>
      api.auth.providers().then(
        (r) => r.providers,
        () => [],
      ),
  );
  const [startError, setStartError] = createSignal<unknown>(null);
  const startOAuth = async (id: 'github' | 'google' | 'discord') => {
    setStartError(null);
    try {
      globalThis.location.assign((await props.api!.auth.startOAuth(id)).authorization_url);
    } catch (err) {
      setStartError(err);
    }
  };
  return (
    <main class="auth-screen">
      <div class="auth-card">
        <h1 class="logo">
          SECTOR<span>WARS</span>
        </h1>
        <p class="tagline">Buy low across the warps, sell high on the far side. The galaxy is waiting.</p>
        <Show when={props.session.restoreError()}>
          <p class="form-error" role="alert">
            {describeProblem(props.session.restoreError())}{' '}
            <button type="button" class="link" onClick={() => void props.session.restore()}>
              Retry
            </button>
          </p>
        </Show>
        <Show when={oauthError}>
          <p class="form-error" role="alert">
            {describeCode(oauthError!)}
          </p>
        </Show>
        <Show when={props.session.challenge()}>
          <TotpForm onCode={props.session.finishTotp} onCancel={props.session.cancelTotp} />
        </Show>
        <Show when={resetToken && !props.session.challenge()}>
          <ResetPasswordForm onReset={(password) => props.session.redeemLink(resetToken!, password)} />
        </Show>
        <Show when={pending}>
          <PickUsernameForm suggested={params.get('suggested') ?? ''} onPick={(username) => props.session.completeOAuth(pending!, username)} />
        </Show>
        <Show when={!pending && !props.session.challenge() && !resetToken && (providers() ?? []).length > 0}>
          <div class="providers" aria-label="Sign in with">
            <For each={providers()}>
              {(p) => (
                <button type="button" class="provider" onClick={() => void startOAuth(p.id)}>
                  Sign in with {p.name}
                </button>
              )}
            </For>
          </div>
          <Show when={startError()}>
            <p class="form-error" role="alert">
              {describeProblem(startError())}
            </p>
          </Show>
        </Show>
        {/* The second step of a sign-in, or a reset link, stands in for the forms until it is done. */}
        <Show when={!props.session.challenge() && !resetToken}>
          <div class="tabs" role="tablist" aria-label="Account" hidden={!!pending}>
            <button type="button" role="tab" id="tab-signup" aria-selected={mode() === 'signup'} aria-controls="auth-panel" onClick={() => setMode('signup')}>
              New pilot
            </button>
            <button type="button" role="tab" id="tab-login" aria-selected={mode() === 'login'} aria-controls="auth-panel" onClick={() => setMode('login')}>
              Returning pilot
            </button>
          </div>
          <div id="auth-panel" role="tabpanel" aria-labelledby={mode() === 'signup' ? 'tab-signup' : 'tab-login'}>
            <Switch>
              <Match when={mode() === 'signup'}>
                <SignupForm onRegister={props.session.register} />
              </Match>
              <Match when={mode() === 'login'}>
                <LoginForm onLogin={props.session.login} />
              </Match>
            </Switch>
          </div>
        </Show>
      </div>
    </main>
  );
}
