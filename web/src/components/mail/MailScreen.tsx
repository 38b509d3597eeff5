import { createResource, createSignal, For, Show } from 'solid-js';
import type { MailFolder, Message } from '../../../../client/index.js';
import { useFlight } from '../../flight.js';
import { credits } from '../../format.js';

/** What a broadcast costs (game/catalog/people.ts BROADCAST.cost; the server charges it and says so if you cannot pay). */
const BROADCAST_COST = 5_000;
import { describeProblem } from '../../problems.js';

/** Mail: the inbox and sent folders, a message with reply / block / report, and compose with recipient completion. */
export function MailScreen() {
  const { api, people, cockpit } = useFlight();
  const [broadcastText, setBroadcastText] = createSignal('');
  const [folder, setFolder] = createSignal<MailFolder>('inbox');
  const [open, setOpen] = createSignal<Message | null>(null);
  const [to, setTo] = createSignal('');
  const [subject, setSubject] = createSignal('');
  const [body, setBody] = createSignal('');
  const [notice, setNotice] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [page, { refetch }] = createResource(
    () => `${folder()}:${people.state.unread}`,
    async () => {
      const result = await api.mail.list({ folder: folder(), limit: 50 });
      if (folder() === 'inbox') people.setUnread(result.unread);
      people.remember(result.messages.map((m) => (folder() === 'inbox' ? m.from : m.to)).filter((n) => !n.startsWith('team:')));
      return result;
    },
  );
  const act = async (work: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await work();
      if (done) setNotice(done);
    } catch (err) {
      setError(describeProblem(err));
    }
  };
  const show = (message: Message) =>
    void act(async () => {
      setOpen(message);
      if (message.folder === 'inbox' && !message.read) {
        const { unread } = await api.mail.read(message.id);
        people.setUnread(unread);
        void refetch();
      }
    });
  const recipients = () => [...(people.state.team ? [`team:${people.state.team.tag}`] : []), ...people.state.known];

  return (
    <section class="panel mail-screen" aria-labelledby="mail-title">
      <header class="panel-head">
        <h2 id="mail-title">
          <span class="eyebrow">Mail</span> {folder() === 'inbox' ? `Inbox · ${people.state.unread} unread` : 'Sent'}
        </h2>
        <div class="tabs" role="tablist" aria-label="Folder">
          <For each={['inbox', 'sent'] as const}>
            {(f) => (
              <button
                type="button"
                role="tab"
                aria-selected={folder() === f}
                onClick={() => {
                  setFolder(f);
                  setOpen(null);
                }}
              >
                {f === 'inbox' ? 'Inbox' : 'Sent'}
              </button>
            )}
          </For>
        </div>
      </header>
      <div class="mail-body">
        <ul class="mail-list" aria-label={folder() === 'inbox' ? 'Inbox' : 'Sent mail'}>
          <For each={page.latest?.messages ?? []} fallback={<li class="muted">{page.loading ? 'Loading…' : 'No mail.'}</li>}>
            {(m) => (
              <li classList={{ unread: false, 'mail-unread': m.folder === 'inbox' && !m.read, selected: open()?.id === m.id }}>
                <button type="button" class="link" onClick={() => show(m)}>
                  <strong>{m.folder === 'inbox' ? m.from : `to ${m.to}`}</strong> — {m.subject || m.body.slice(0, 40)}
                </button>{' '}
                <time class="muted" dateTime={m.created_at}>
                  {new Date(m.created_at).toLocaleString()}
                </time>
              </li>
            )}
          </For>
        </ul>
        <Show when={open()} keyed>
          {(m) => (
            <article class="mail-open" aria-label="Message">
              <header>
                <p>
                  <strong>From</strong> {m.from} · <strong>To</strong> {m.to}
                </p>
                <h3>{m.subject || '(no subject)'}</h3>
              </header>
              <p class="mail-text">{m.body}</p>
              <p class="mail-actions">
                <Show when={m.folder === 'inbox'}>
                  <button
                    type="button"
                    onClick={() => {
                      setTo(m.from);
                      setSubject(m.subject.startsWith('Re: ') ? m.subject : `Re: ${m.subject}`.slice(0, 120));
                    }}
                  >
                    Reply
                  </button>{' '}
                  <button type="button" onClick={() => void act(() => people.block(m.from), `${m.from} is blocked: their mail and chat no longer reach you.`)}>
                    Block {m.from}
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() => {
                      const reason = window.prompt('Why are you reporting this message?', 'abuse');
                      if (reason?.trim())
                        void act(() => api.reports.create({ kind: 'message', id: m.id, reason: reason.trim() }), 'Reported to the moderators.');
                    }}
                  >
                    Report
                  </button>{' '}
                </Show>
                <button
                  type="button"
                  class="danger"
                  onClick={() =>
                    void act(async () => {
                      await api.mail.remove(m.id);
                      setOpen(null);
                      void refetch();
                    })
                  }
                >
                  Delete
                </button>
              </p>
            </article>
          )}
        </Show>
      </div>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>

      <h3>Compose</h3>
      <form
        class="compose"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const sent = await api.mail.send({ to: to().trim(), subject: subject().trim(), body: body() });
            setBody('');
            setSubject('');
            if (folder() === 'sent') void refetch();
            setNotice(`Sent to ${sent.to}.`);
          });
        }}
      >
        <label>
          To{' '}
          <input
            name="to"
            list="mail-recipients"
            autocomplete="off"
            placeholder="pilot or team:TAG"
            value={to()}
            required
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </label>
        <datalist id="mail-recipients">
          <For each={recipients()}>{(name) => <option value={name} />}</For>
        </datalist>
        <label>
          Subject <input name="subject" maxLength={120} value={subject()} onInput={(e) => setSubject(e.currentTarget.value)} />
        </label>
        <label>
          Message <textarea name="body" maxLength={4000} rows={4} required value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={!to().trim() || !body().trim()}>
          Send
        </button>
      </form>

      <h3>Broadcast to every pilot</h3>
      <form
        class="compose"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const result = await api.mail.broadcast(broadcastText().trim());
            setBroadcastText('');
            setNotice(`Broadcast sent for ${credits(result.cost)}.`);
            await cockpit.load();
          });
        }}
      >
        <label>
          Broadcast <input name="broadcast" maxLength={280} value={broadcastText()} onInput={(e) => setBroadcastText(e.currentTarget.value)} />
        </label>
        <p class="muted">Costs {credits(BROADCAST_COST)}; one an hour.</p>
        <button type="submit" disabled={!broadcastText().trim()}>
          Broadcast
        </button>
      </form>

      <Show when={people.state.blocked.length > 0}>
        <h3>Blocked</h3>
        <ul class="blocked">
          <For each={people.state.blocked}>
            {(name) => (
              <li>
                {name}{' '}
                <button type="button" onClick={() => void act(() => people.unblock(name))}>
                  Unblock
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
