import { createSignal, type Accessor } from 'solid-js';

/** The cockpit's screens and their addresses; anything else shows the cockpit. */
export type Screen = 'cockpit' | 'map' | 'computer' | 'planets' | 'rankings' | 'team' | 'mail' | 'help' | 'stardock' | 'account';

export const SCREEN_PATHS: Record<Screen, string> = {
  cockpit: '/',
  map: '/map',
  computer: '/computer',
  planets: '/planets',
  rankings: '/rankings',
  team: '/team',
  mail: '/mail',
  help: '/help',
  stardock: '/stardock',
  account: '/account',
};

export function screenAt(path: string): Screen {
  const normalized = path.replace(/\/+$/, '') || '/';
  const entry = Object.entries(SCREEN_PATHS).find(([, p]) => p === normalized);
  return (entry?.[0] as Screen | undefined) ?? 'cockpit';
}

export interface Navigation {
  screen: Accessor<Screen>;
  go(screen: Screen): void;
}

/** History-API navigation: the address bar follows the screen, and back/forward work. */
export function createNavigation(win: Window = window): Navigation {
  const [screen, setScreen] = createSignal<Screen>(screenAt(win.location.pathname));
  win.addEventListener('popstate', () => setScreen(screenAt(win.location.pathname)));
  return {
    screen,
    go(next) {
      if (next === screen()) return;
      win.history.pushState(null, '', SCREEN_PATHS[next]);
      setScreen(next);
      win.scrollTo?.(0, 0);
    },
  };
}
