import { createSignal } from 'solid-js';

/** The admin SPA lives under /admin/; its routes are the paths after that, such as `/players/<id>`. */
export const BASE = '/admin';

const current = () => {
  const path = globalThis.location?.pathname ?? '/';
  const inside = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return inside === '' ? '/' : inside;
};

/** Client-side navigation: a signal of the route, pushState to move, the back button honoured. */
export function createRouter() {
  const [route, setRoute] = createSignal(current());
  const [search, setSearch] = createSignal(globalThis.location?.search ?? '');
  globalThis.addEventListener?.('popstate', () => {
    setSearch(globalThis.location.search);
    setRoute(current());
  });
  return {
    route,
    search,
    go(to: string, replace = false) {
      const url = `${BASE}${to}`;
      if (replace) globalThis.history.replaceState(null, '', url);
      else globalThis.history.pushState(null, '', url);
      // The query first: a view made when the route changes reads it at once.
      setSearch(globalThis.location.search);
      setRoute(current());
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
