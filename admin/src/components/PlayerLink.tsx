import { Show } from 'solid-js';
import type { Router } from '../router.js';

/** A pilot's name that opens the player's page in the SPA (their record, ban, credits); plain text when the account is gone. */
export function PlayerLink(props: { router: Router; id: string | null | undefined; name: string | null | undefined; class?: string }) {
  return (
    <Show when={props.id} keyed fallback={<span>{props.name ?? '—'}</span>}>
      {(id) => (
        <a
          class={props.class}
          href={`/admin/players/${encodeURIComponent(id)}`}
          onClick={(e) => {
            e.preventDefault();
            props.router.go(`/players/${encodeURIComponent(id)}`);
          }}
        >
          {props.name ?? id}
        </a>
      )}
    </Show>
  );
}
