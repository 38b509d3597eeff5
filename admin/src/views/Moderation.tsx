import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { AdminReport, ApiClient } from '../../../client/index.js';
import { Field, FormError, when } from '../components/forms.js';
import { PlayerLink } from '../components/PlayerLink.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { describeProblem } from '../problems.js';
import type { ViewProps } from '../sections.js';

type Status = AdminReport['status'];
const STATUSES: Array<{ status: Status; label: string }> = [
  { status: 'open', label: 'Open' },
  { status: 'resolved', label: 'Resolved' },
  { status: 'dismissed', label: 'Dismissed' },
];
const isStatus = (s: string | null): s is Status => STATUSES.some((x) => x.status === s);

type Action = 'resolve' | 'dismiss' | 'delete' | 'mute' | 'unmute' | 'rename';

/** What was reported, as the report kept it: a mail's subject and body, or a chat line and its channel. */
export function reportedContent(report: AdminReport): { context: string; text: string } {
  const content = typeof report.content === 'string' ? parsed(report.content) : report.content;
  const field = (key: string) => {
    const value = content && typeof content === 'object' ? (content as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : '';
  };
  if (report.kind === 'message') {
    const subject = field('subject');
    return { context: `Mail to ${field('to') || '—'}${subject ? `: “${subject}”` : ''}, sent ${when(field('sent_at') || null)}`, text: field('body') };
  }
  return { context: `Chat on ${field('channel') || '—'}, said ${when(field('sent_at') || null)}`, text: field('text') };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The report queue (mail and chat reports): open reports oldest first, with what was said, and
 * what a moderator does about them — decide the report, delete the mail, mute the sender in chat,
 * rename the pilot, or open the player's page (where bans live).
 */
export function ModerationView(props: ViewProps) {
  const initial = new URLSearchParams(props.router.search()).get('status');
  const [status, setStatus] = createSignal<Status>(isStatus(initial) ? initial : 'open');
  const [queue, { refetch }] = createResource(status, (s) => props.api.admin.moderation.reports(s));
  const [acting, setActing] = createSignal<{ action: Action; report: AdminReport } | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const show = (next: Status) => {
    props.router.go(next === 'open' ? '/moderation' : `/moderation?status=${next}`, true);
    setStatus(next);
  };
  const finished = (message: string) => {
    setActing(null);
    setDone(message);
    void refetch();
  };
  return (
    <section aria-labelledby="moderation-title">
      <h1 id="moderation-title">Moderation</h1>
      <div class="segmented" role="group" aria-label="Reports to show">
        <For each={STATUSES}>
          {(s) => (
            <button type="button" aria-pressed={status() === s.status} onClick={() => show(s.status)}>
              {s.label}
            </button>
          )}
        </For>
      </div>
      <Show when={done()}>
        <p class="notice" role="status">
          {done()}
        </p>
      </Show>
      <Show when={queue.error}>
        <FormError message={describeProblem(queue.error)} />
      </Show>
      <div class="reports">
        <For each={queue.latest?.reports ?? []} fallback={<p class="muted">{queue.loading ? 'Loading…' : `No ${status()} reports.`}</p>}>
          {(report) => <ReportCard {...props} report={report} onAct={(action) => setActing({ action, report })} />}
        </For>
      </div>
      <Show when={acting()} keyed>
        {(a) => <ReportAction api={props.api} action={a.action} report={a.report} onCancel={() => setActing(null)} onDone={finished} />}
      </Show>
    </section>
  );
}

function ReportCard(props: ViewProps & { report: AdminReport; onAct(action: Action): void }) {
  const r = () => props.report;
  const said = () => reportedContent(r());
  // A moderator may be reported too, but does not mute themselves (the API refuses it).
  const other = () => r().reported_id !== null && r().reported_id !== props.me.id;
  return (
    <article class="card report" data-testid="report" aria-label={`Report ${r().id}`}>
      <header class="report-head">
        <h2>
          Report {r().id} · {r().kind === 'message' ? 'mail' : 'chat'}
        </h2>
        <span class={`status ${r().status === 'open' ? 'bad' : 'ok'}`}>{r().status}</span>
        <span class="muted">filed {when(r().created_at)}</span>
      </header>
      <dl class="facts">
        <dt>Reported pilot</dt>
        <dd data-testid="reported">
          <PlayerLink router={props.router} id={r().reported_id} name={r().reported} />
        </dd>
        <dt>Reported by</dt>
        <dd>
          <PlayerLink router={props.router} id={r().reporter_id} name={r().reporter} />
        </dd>
        <dt>Why</dt>
        <dd>{r().reason}</dd>
        <dt>What was said</dt>
        <dd>
          <p class="muted small">{said().context}</p>
          <blockquote class="reported-text" data-testid="reported-text">
            {said().text || '—'}
          </blockquote>
        </dd>
      </dl>
      <div class="actions" role="toolbar" aria-label={`Actions on report ${r().id}`}>
        <Show when={r().status === 'open'}>
          <button type="button" class="primary" onClick={() => props.onAct('resolve')}>
            Resolve
          </button>
          <button type="button" class="secondary" onClick={() => props.onAct('dismiss')}>
            Dismiss
          </button>
        </Show>
        <Show when={r().kind === 'message'}>
          <button type="button" class="danger" onClick={() => props.onAct('delete')}>
            Delete the message
          </button>
        </Show>
        <Show when={other()}>
          <button type="button" class="danger" onClick={() => props.onAct('mute')}>
            Mute in chat
          </button>
          <button type="button" class="secondary" onClick={() => props.onAct('unmute')}>
            Lift chat mute
          </button>
          <button type="button" class="secondary" onClick={() => props.onAct('rename')}>
            Rename pilot
          </button>
        </Show>
        <Show when={r().reported_id}>
          <PlayerLink router={props.router} id={r().reported_id} name="Open player" class="button secondary" />
        </Show>
      </div>
    </article>
  );
}

const PILOT_NAME = /^[A-Za-z0-9_]{3,24}$/;

function ReportAction(props: { api: ApiClient; action: Action; report: AdminReport; onCancel(): void; onDone(message: string): void }) {
  const r = () => props.report;
  const who = () => r().reported ?? 'the pilot';
  const [hours, setHours] = createSignal('24');
  const [name, setName] = createSignal(r().reported ?? '');
  const hoursValid = () => hours().trim() === '' || (/^\d+$/.test(hours().trim()) && Number(hours()) >= 1 && Number(hours()) <= 24 * 365);
  return (
    <Switch>
      <Match when={props.action === 'resolve'}>
        <TotpPrompt
          title={`Resolve report ${r().id}`}
          confirm="Resolve"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            await props.api.admin.moderation.resolve(r().id, reason);
            props.onDone(`Report ${r().id} is resolved: it is listed under Resolved.`);
          }}
        >
          <p class="muted">Action was taken. The note below goes to the audit log.</p>
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'dismiss'}>
        <TotpPrompt
          title={`Dismiss report ${r().id}`}
          confirm="Dismiss"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            await props.api.admin.moderation.dismiss(r().id, reason);
            props.onDone(`Report ${r().id} is dismissed: it is listed under Dismissed.`);
          }}
        >
          <p class="muted">Nothing to act on. The note below goes to the audit log.</p>
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'delete'}>
        <TotpPrompt
          title={`Delete the message of ${who()}`}
          confirm="Delete"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const result = await props.api.admin.moderation.deleteMessage(Number(r().target), reason);
            props.onDone(`The message is deleted (${result.after.deleted} ${result.after.deleted === 1 ? 'copy' : 'copies'}); the report keeps what was said.`);
          }}
        >
          <p class="muted">Both copies go: the recipient’s inbox and the sender’s sent folder.</p>
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'mute'}>
        <TotpPrompt
          title={`Mute ${who()} in chat`}
          confirm="Mute"
          reason
          totp
          invalid={!hoursValid()}
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            const h = hours().trim();
            const result = await props.api.admin.moderation.mute(r().reported_id!, h === '' ? { reason } : { hours: Number(h), reason }, code);
            props.onDone(
              result.after.until ? `${who()} is muted in chat until ${when(result.after.until)}.` : `${who()} is banned from chat until a moderator lifts it.`,
            );
          }}
        >
          <Field
            id="mute-hours"
            label="Hours"
            value={hours()}
            onInput={setHours}
            hint="Empty: banned from chat until lifted. The pilot still plays and mails."
            inputProps={{ inputmode: 'numeric' }}
          />
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'unmute'}>
        <TotpPrompt
          title={`Lift the chat mute of ${who()}`}
          confirm="Lift mute"
          reason
          totp
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            await props.api.admin.moderation.unmute(r().reported_id!, reason, code);
            props.onDone(`${who()} may chat again.`);
          }}
        />
      </Match>
      <Match when={props.action === 'rename'}>
        <TotpPrompt
          title={`Rename ${who()}`}
          confirm="Rename"
          reason
          invalid={!PILOT_NAME.test(name().trim()) || name().trim() === r().reported}
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const result = await props.api.admin.moderation.rename(r().reported_id!, { name: name().trim(), reason });
            props.onDone(`${who()} is now ${result.after.name}.`);
          }}
        >
          <Field id="rename-name" label="New name" value={name()} onInput={setName} hint="3–24 letters, digits or underscores; the sign-in name changes too." />
        </TotpPrompt>
      </Match>
    </Switch>
  );
}
