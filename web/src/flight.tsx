import { createContext, useContext } from 'solid-js';
import type { ApiClient } from '../../client/index.js';
import type { Navigation } from './navigation.js';
import type { CargoCosts } from './stores/cargo-costs.js';
import type { Cockpit } from './stores/cockpit.js';
import type { Comms } from './stores/comms.js';
import type { Computer } from './stores/computer.js';
import type { Guide } from './stores/guide.js';
import type { EventLog } from './stores/event-log.js';
import type { Link } from './stores/link.js';
import type { Navigator } from './stores/navigator.js';
import type { People } from './stores/people.js';
import type { SessionStore } from './stores/session.js';

/** Everything a signed-in pilot's screens share, made once per sign-in by <Flight>. */
export interface FlightDeck {
  api: ApiClient;
  session: SessionStore;
  navigation: Navigation;
  cockpit: Cockpit;
  log: EventLog;
  navigator: Navigator;
  comms: Comms;
  link: Link;
  costs: CargoCosts;
  computer: Computer;
  guide: Guide;
  people: People;
}

export const FlightContext = createContext<FlightDeck>();

export function useFlight(): FlightDeck {
  const deck = useContext(FlightContext);
  if (!deck) throw new Error('useFlight() outside <Flight>');
  return deck;
}
