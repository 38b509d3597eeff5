import { Show } from 'solid-js';
import type { Router } from '../router.js';
import { RouteLink } from './RouteLink.js';

/** A pilot's name that opens the player's page in the SPA (their record, ban, credits); plain text when the account is gone. */
export function PlayerLink(props: { router: Router; id: string | null | undefined; name: string | null | undefined; class?: string }) {
  return (
    <Show when={props.id} keyed fallback={<span>{props.name ?? '—'}</span>}>
      {(id) => (
        <RouteLink router={props.router} path={`/players/${encodeURIComponent(id)}`} {...(props.class ? { class: props.class } : {})}>
          {props.name ?? id}
        </RouteLink>
      )}
    </Show>
  );
}
