import { For, Show } from 'solid-js';
import { count, countdown, credits } from '../../format.js';
import { useFlight } from '../../flight.js';
import { SCREEN_PATHS, type Screen } from '../../navigation.js';
import { LinkIndicator } from '../common/LinkIndicator.js';

const SCREENS: Array<{ screen: Screen; label: string; key: string }> = [
  { screen: 'cockpit', label: 'Cockpit', key: 'C' },
  { screen: 'map', label: 'Map', key: 'M' },
  { screen: 'computer', label: 'Computer', key: 'K' },
  { screen: 'planets', label: 'Planets', key: 'P' },
  { screen: 'rankings', label: 'Rankings', key: 'R' },
  { screen: 'team', label: 'Team', key: 'T' },
  { screen: 'mail', label: 'Mail', key: 'I' },
  { screen: 'help', label: 'Help', key: '?' },
  { screen: 'account', label: 'Account', key: 'A' },
];

/** The bar across the top: where, how rich, how many turns (and when the next one comes), the link. */
export function TopBar() {
  const { cockpit, navigation, link, session } = useFlight();
  const player = () => cockpit.state.player;
  return (
    <header class="top-bar">
      <a
        class="logo small"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          navigation.go('cockpit');
        }}
      >
        SECTOR<span>WARS</span>
      </a>
      <Show when={player()}>
        {(p) => (
          <dl class="readouts">
            <div class="readout sector-readout">
              <dt>Sector</dt>
              <dd>{p().sector_id}</dd>
            </div>
            <div class="readout credits-readout">
              <dt>Credits</dt>
              <dd data-testid="credits">{credits(p().credits)}</dd>
            </div>
            <div class="readout turns-readout">
              <dt>Turns</dt>
              <dd>
                <span data-testid="turns">{count(p().turns)}</span>
                <span class="muted"> / {count(p().max_turns)}</span>
                <span class="regen" title="Turns regenerate continuously">
                  {cockpit.nextTurnIn() === null ? 'full' : `+1 in ${countdown(cockpit.nextTurnIn()!)}`}
                </span>
              </dd>
            </div>
            <div class="readout rank-readout">
              <dt>Rank</dt>
              <dd>
                {p().rank.title} <span class="muted">· {count(p().experience)} xp</span>
              </dd>
            </div>
          </dl>
        )}
      </Show>
      <nav class="screens" aria-label="Screens">
        <For each={SCREENS}>{(item) => <ScreenLink item={item} keyShortcut />}</For>
      </nav>
      <LinkIndicator state={link.state()} onReconnect={link.reconnectNow} />
      <div class="pilot-menu">
        <span class="pilot-name">{session.user()?.username}</span>
        <button type="button" class="link" onClick={() => void session.logout()}>
          Sign out
        </button>
      </div>
    </header>
  );
}

/** The same screens as a tab bar along the bottom of a phone. */
export function BottomNav() {
  return (
    <nav class="bottom-nav" aria-label="Screens">
      <For each={SCREENS}>{(item) => <ScreenLink item={item} />}</For>
    </nav>
  );
}

/** A link to one screen: a real address, switched in place without a page load. */
function ScreenLink(props: { item: (typeof SCREENS)[number]; keyShortcut?: boolean }) {
  const { navigation, people } = useFlight();
  return (
    <a
      href={SCREEN_PATHS[props.item.screen]}
      aria-current={navigation.screen() === props.item.screen ? 'page' : undefined}
      aria-keyshortcuts={props.keyShortcut ? props.item.key : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigation.go(props.item.screen);
      }}
    >
      {props.item.label}
      <Show when={props.item.screen === 'mail' && people.state.unread > 0}>
        <span class="unread" data-testid="mail-unread" aria-label={`${people.state.unread} unread`}>
          {people.state.unread}
        </span>
      </Show>
    </a>
  );
}
