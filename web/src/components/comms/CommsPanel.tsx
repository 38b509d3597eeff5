import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { FEATURES } from '../../features.js';
import { clockTime } from '../../format.js';
import { CHANNELS, type Channel, type Comms } from '../../stores/comms.js';

const LABELS: Record<Channel, string> = { sector: 'Sector', team: 'Team', global: 'Global', direct: 'Direct' };

/** Sub-space radio: the channel tabs, the scrollback, and a line to type into. */
export interface LineActions {
  block(name: string): Promise<void>;
  report(lineId: string, reason: string): Promise<void>;
}

export function CommsPanel(props: { comms: Comms; live: boolean; inputRef?: (el: HTMLInputElement) => void; actions?: LineActions }) {
  const [notice, setNotice] = createSignal<string | null>(null);
  const act = (work: Promise<void>, done: string) =>
    work.then(
      () => setNotice(done),
      (err: unknown) => setNotice(err instanceof Error ? err.message : String(err)),
    );
  const [draft, setDraft] = createSignal('');
  const state = props.comms.state;
  let list: HTMLOListElement | undefined;
  createEffect(
    on(
      () => {
        const lines = state.scrollback[state.channel];
        const last = lines[lines.length - 1];
        return [state.channel, last?.kind === 'line' ? last.line.id : last?.id];
      },
      () => {
        if (list) list.scrollTop = list.scrollHeight;
      },
    ),
  );

  const placeholder = () => {
    if (!props.live) return 'Comms offline…';
    if (state.channel === 'direct') return state.recipient ? `Message ${state.recipient.name}` : 'Click a name to message them';
    return `Say something on ${LABELS[state.channel].toLowerCase()}`;
  };

  return (
    <section class="panel comms" aria-labelledby="comms-title">
      <header class="panel-head">
        <h2 id="comms-title">
          <span class="eyebrow">Comms</span>
        </h2>
      </header>
      <div class="tabs channel-tabs" role="tablist" aria-label="Channels">
        <For each={CHANNELS}>
          {(channel) => (
            <button type="button" role="tab" aria-selected={state.channel === channel} onClick={() => props.comms.open(channel)}>
              {LABELS[channel]}
              <Show when={state.unread[channel] > 0}>
                <span class="unread" aria-label={`${state.unread[channel]} unread`}>
                  {state.unread[channel]}
                </span>
              </Show>
            </button>
          )}
        </For>
      </div>
      <Show
        when={state.channel !== 'team' || (FEATURES.teams && state.team)}
        fallback={
          <p class="chat-closed" role="note">
            {FEATURES.teams
              ? 'You are not in a team: form or join one on the Team screen, and your team talks here.'
              : 'Teams are not open yet: nobody can form or join one, so this channel has no listeners. When teams arrive your team talks here. Until then use Sector, Global or Direct.'}
          </p>
        }
      >
        <ol class="chat-lines" ref={list} aria-live="polite" aria-label={`${LABELS[state.channel]} messages`} tabindex="0">
          <For each={props.comms.visible(state.channel)} fallback={<li class="muted hint">No messages yet.</li>}>
            {(entry) =>
              entry.kind === 'note' ? (
                <li class="chat-note">— {entry.text} —</li>
              ) : (
                <li classList={{ mine: entry.line.from.id === state.me?.id }}>
                  <time datetime={entry.line.at}>{clockTime(entry.line.at)}</time>
                  <button
                    type="button"
                    class="speaker"
                    title={entry.line.from.id === state.me?.id ? 'You' : `Message ${entry.line.from.name} privately`}
                    disabled={entry.line.from.id === state.me?.id}
                    onClick={() => props.comms.messagePrivately(entry.line.from)}
                  >
                    {entry.line.from.name}
                  </button>
                  <span class="text">{entry.line.text}</span>
                  <Show when={props.actions && entry.line.from.id !== state.me?.id}>
                    <span class="line-actions">
                      <button
                        type="button"
                        class="link"
                        title={`Block ${entry.line.from.name}: their mail and chat no longer reach you`}
                        onClick={() => void act(props.actions!.block(entry.line.from.name), `${entry.line.from.name} is blocked.`)}
                      >
                        Block
                      </button>
                      <button
                        type="button"
                        class="link"
                        title="Report this line to the moderators"
                        onClick={() => {
                          const reason = window.prompt('Why are you reporting this line?', 'abuse');
                          if (reason?.trim()) void act(props.actions!.report(entry.line.id, reason.trim()), 'Reported to the moderators.');
                        }}
                      >
                        Report
                      </button>
                    </span>
                  </Show>
                </li>
              )
            }
          </For>
        </ol>
        <form
          class="chat-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (props.comms.say(draft())) setDraft('');
          }}
        >
          <label class="sr-only" for="chat-input">
            Message
          </label>
          <input
            id="chat-input"
            ref={props.inputRef}
            autocomplete="off"
            maxLength={state.maxLength}
            placeholder={placeholder()}
            value={draft()}
            disabled={!props.live}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit" disabled={!props.live || draft().trim() === ''}>
            Send
          </button>
        </form>
      </Show>
      <Show when={notice()}>
        <p class="chat-notice" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={state.error}>
        <p class="chat-error" role="alert">
          {state.error}
        </p>
      </Show>
    </section>
  );
}
