import { createEffect, For, on, Show } from 'solid-js';
import { clockTime } from '../../format.js';
import type { LogEntry } from '../../stores/event-log.js';

/** The ship's log: trades, arrivals and departures, newest at the bottom, as realtime reports them. */
export function EventLog(props: { entries: readonly LogEntry[] }) {
  let list: HTMLOListElement | undefined;
  createEffect(
    on(
      // The newest line, not the count: the log stops growing once it is full.
      () => props.entries[props.entries.length - 1]?.id,
      () => {
        if (list) list.scrollTop = list.scrollHeight;
      },
    ),
  );
  return (
    <section class="panel log" aria-labelledby="log-title">
      <header class="panel-head">
        <h2 id="log-title">
          <span class="eyebrow">Log</span>
        </h2>
      </header>
      <Show when={props.entries.length > 0} fallback={<p class="muted hint">Quiet so far. Trades and traffic show up here.</p>}>
        <ol class="log-lines" ref={list} aria-live="polite" aria-label="Event log" tabindex="0">
          <For each={props.entries}>
            {(entry) => (
              <li class={`tone-${entry.tone}`}>
                <time datetime={entry.at}>{clockTime(entry.at)}</time>
                <span>{entry.text}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
