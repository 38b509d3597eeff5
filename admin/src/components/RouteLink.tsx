import type { JSX } from 'solid-js';
import type { Router } from '../router.js';

/** A link to another place in the SPA: a real href (open in a new tab works), followed in place on a click. */
export function RouteLink(props: { router: Router; path: string; class?: string; children: JSX.Element }) {
  return (
    <a
      class={props.class}
      href={`/admin${props.path}`}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        props.router.go(props.path);
      }}
    >
      {props.children}
    </a>
  );
}
