import { Match, onMount, Switch } from 'solid-js';
import type { ApiClient } from '../../client/index.js';
import { AuthScreen } from './components/auth/AuthScreen.js';
import { Loading } from './components/common/Status.js';
import { Flight } from './components/Flight.js';
import { createNavigation } from './navigation.js';
import { createSessionStore } from './stores/session.js';

/** The whole client: pick the session up again, then the hangar door or the cockpit. */
export function App(props: { api: ApiClient }) {
  const session = createSessionStore(props.api);
  const navigation = createNavigation();
  onMount(() => void session.restore());
  return (
    <Switch>
      <Match when={session.status() === 'restoring'}>
        <main class="splash">
          <h1 class="logo">
            SECTOR<span>WARS</span>
          </h1>
          <Loading what="Docking…" />
        </main>
      </Match>
      <Match when={session.status() === 'signed-in' && session.user()} keyed>
        {(user) => <Flight api={props.api} user={user} session={session} navigation={navigation} />}
      </Match>
      <Match when={session.status() === 'signed-out'}>
        <AuthScreen session={session} api={props.api} />
      </Match>
    </Switch>
  );
}
