import { createSignal, Match, Show, Switch } from 'solid-js';
import { describeProblem } from '../../problems.js';
import type { SessionStore } from '../../stores/session.js';
import { LoginForm, SignupForm } from './AuthForms.js';

/** The hangar door: sign in, or sign up a new pilot. */
export function AuthScreen(props: { session: SessionStore }) {
  const [mode, setMode] = createSignal<'login' | 'signup'>('signup');
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
        <div class="tabs" role="tablist" aria-label="Account">
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
      </div>
    </main>
  );
}
