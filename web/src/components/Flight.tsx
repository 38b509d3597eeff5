import { createEffect, createMemo, Match, on, onCleanup, onMount, Switch } from 'solid-js';
import { useOnline } from './common/OfflineBanner.js';
import type { ApiClient, GameEvent, User } from '../../../client/index.js';
import { FlightContext, type FlightDeck } from '../flight.js';
import type { Navigation } from '../navigation.js';
import { createCargoCosts } from '../stores/cargo-costs.js';
import { createCockpit } from '../stores/cockpit.js';
import { createComms } from '../stores/comms.js';
import { createComputer } from '../stores/computer.js';
import { createGuide } from '../stores/guide.js';
import { createEventLog } from '../stores/event-log.js';
import { createLink } from '../stores/link.js';
import { createNavigator } from '../stores/navigator.js';
import { createPeople } from '../stores/people.js';
import type { SessionStore } from '../stores/session.js';
import { CockpitScreen } from './cockpit/CockpitScreen.js';
import { OfflineBanner } from './common/OfflineBanner.js';
import { ComputerScreen } from './computer/ComputerScreen.js';
import { HelpScreen } from './help/HelpScreen.js';
import { AccountScreen } from './account/AccountScreen.js';
import { BottomNav, TopBar } from './cockpit/TopBar.js';
import { MapScreen } from './map/MapScreen.js';
import { MailScreen } from './mail/MailScreen.js';
import { PlanetsScreen } from './planets/PlanetsScreen.js';
import { RankingsScreen } from './rankings/RankingsScreen.js';
import { StardockScreen } from './stardock/StardockScreen.js';
import { TeamScreen } from './team/TeamScreen.js';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * A signed-in pilot's session at the controls: the stores every screen shares, the realtime link
 * feeding them, and the keyboard (1–9 warp, C/M/K/R/? switch screens, / opens comms, Esc leaves a field).
 */
export function Flight(props: { api: ApiClient; user: User; session: SessionStore; navigation: Navigation }) {
  const api = props.api;
  const cockpit = createCockpit(api);
  const log = createEventLog({ name: props.user.username, since: props.user.created_at });
  const costs = createCargoCosts(props.user.id);
  const navigator = createNavigator(api, cockpit);
  const people = createPeople(api);
  let comms!: ReturnType<typeof createComms>;
  const link = createLink(api, (frame) => {
    if (typeof frame.id === 'number') {
      const event = frame as GameEvent;
      log.ingest(event);
      cockpit.applyEvent(event);
      people.applyEvent(event);
      return;
    }
    if (comms.handle(frame)) return;
    // More happened while we were away than a replay carries: read the state afresh.
    if (frame.type === 'resumed' && frame.data.complete === false) void cockpit.load();
  });
  comms = createComms(link.send);
  const computer = createComputer(api);
  const guide = createGuide(props.user.id, {
    sector: () => cockpit.state.sector,
    ship: () => cockpit.state.ship,
    sold: () => log.entries.some((e) => e.tone === 'profit'),
  });
  const deck: FlightDeck = { api, session: props.session, navigation: props.navigation, cockpit, log, navigator, comms, link, costs, computer, guide, people };

  onMount(() => {
    void cockpit.load();
    void people.load().catch(() => undefined);
  });
  // Team chat is open while the pilot is in a team; blocked pilots' lines are not shown.
  createEffect(() => comms.setTeam(people.state.team ? { name: people.state.team.name, tag: people.state.team.tag } : null));
  createEffect(() => comms.setBlocked([...people.state.blocked]));
  const sectorId = createMemo(() => cockpit.state.player?.sector_id);
  createEffect(
    on(sectorId, (id) => {
      if (id !== undefined) comms.enteredSector(id);
    }),
  );
  createEffect(() => {
    const ship = cockpit.state.ship;
    if (ship) costs.reconcile(ship.cargo);
  });

  const online = useOnline();
  let chatInput: HTMLInputElement | undefined;
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && isTyping(event.target)) {
      // Back to the helm: the number keys fly again.
      (event.target as HTMLElement).blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const screen = props.navigation.screen();
    if (/^[1-9]$/.test(event.key) && (screen === 'cockpit' || screen === 'map' || screen === 'computer')) {
      const warp = cockpit.state.sector?.warps[Number(event.key) - 1];
      if (warp) {
        event.preventDefault();
        void cockpit.warp(warp.to);
      }
      return;
    }
    const key = event.key.toLowerCase();
    if (key === 'c') props.navigation.go('cockpit');
    else if (key === 'm') props.navigation.go('map');
    else if (key === 'k') props.navigation.go('computer');
    else if (key === 'r') props.navigation.go('rankings');
    else if (key === 'p') props.navigation.go('planets');
    else if (key === 't') props.navigation.go('team');
    else if (key === 'i') props.navigation.go('mail');
    else if (key === '?' || key === 'h') props.navigation.go('help');
    else if (key === 'a') props.navigation.go('account');
    else if (event.key === '/' && screen === 'cockpit' && chatInput) {
      event.preventDefault();
      chatInput.focus();
    }
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));

  return (
    <FlightContext.Provider value={deck}>
      <div class="flight">
        <TopBar />
        <OfflineBanner />
        <main class="screen" id="main" classList={{ stale: link.state().status === 'reconnecting' || !online() }}>
          <Switch>
            <Match when={props.navigation.screen() === 'cockpit'}>
              <CockpitScreen chatInputRef={(el) => (chatInput = el)} />
            </Match>
            <Match when={props.navigation.screen() === 'map'}>
              <MapScreen />
            </Match>
            <Match when={props.navigation.screen() === 'computer'}>
              <ComputerScreen />
            </Match>
            <Match when={props.navigation.screen() === 'planets'}>
              <PlanetsScreen />
            </Match>
            <Match when={props.navigation.screen() === 'rankings'}>
              <RankingsScreen />
            </Match>
            <Match when={props.navigation.screen() === 'team'}>
              <TeamScreen />
            </Match>
            <Match when={props.navigation.screen() === 'mail'}>
              <MailScreen />
            </Match>
            <Match when={props.navigation.screen() === 'help'}>
              <HelpScreen />
            </Match>
            <Match when={props.navigation.screen() === 'stardock'}>
              <StardockScreen />
            </Match>
            <Match when={props.navigation.screen() === 'account'}>
              <AccountScreen />
            </Match>
          </Switch>
        </main>
        <footer class="key-hints" aria-hidden="true">
          <kbd>1</kbd>–<kbd>9</kbd> warp · <kbd>C</kbd> cockpit · <kbd>M</kbd> map · <kbd>K</kbd> computer · <kbd>P</kbd> planets · <kbd>R</kbd> rankings ·{' '}
          <kbd>T</kbd> team · <kbd>I</kbd> mail · <kbd>A</kbd> account · <kbd>?</kbd> help · <kbd>/</kbd> comms · <kbd>Esc</kbd> back to the helm
        </footer>
        <BottomNav />
      </div>
    </FlightContext.Provider>
  );
}
