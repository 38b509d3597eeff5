import { createResource, createSignal, For, Show } from 'solid-js';
import type { AdminAuditEntry, ApiClient } from '../../../client/index.js';
import { Field, FormError, when } from '../components/forms.js';
import { loaded } from '../components/resources.js';
import { describeProblem } from '../problems.js';
import type { ViewProps } from '../sections.js';

const json = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value));

/** Audit rows as a table: when, who, what, on whom, before → after, why, the request id. */
export function AuditTable(props: { entries: AdminAuditEntry[] }) {
  return (
    <table class="table audit">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Before → after</th>
          <th scope="col">Reason</th>
          <th scope="col">Request</th>
        </tr>
      </thead>
      <tbody>
        <For
          each={props.entries}
          fallback={
            <tr>
              <td colSpan={7} class="muted">
                No entries.
              </td>
            </tr>
          }
        >
          {(e) => (
            <tr data-testid="audit-row">
              <td>{when(e.at)}</td>
              <td>{e.actor_name}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td class="mono small">
                {e.target_type} {e.target_id}
              </td>
              <td class="mono small change">
                {json(e.before)} → {json(e.after)}
              </td>
              <td>{e.reason ?? '—'}</td>
              <td class="mono small">{e.request_id ?? '—'}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

type Filter = { actor?: string; target?: string; action?: string; from?: string; to?: string };

/** The whole audit log with its filters, newest first, a page at a time. */
export function AuditView(props: ViewProps) {
  const initial = new URLSearchParams(props.router.search());
  const [action, setAction] = createSignal(initial.get('action') ?? '');
  const [target, setTarget] = createSignal(initial.get('target') ?? '');
  const [actor, setActor] = createSignal('');
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [filter, setFilter] = createSignal<Filter>(initial.get('target') ? { target: initial.get('target')! } : {});
  const [pages, setPages] = createSignal<(string | undefined)[]>([undefined]);
  const cursor = () => pages()[pages().length - 1];
  const [page] = createResource(
    () => ({ ...filter(), cursor: cursor() }),
    (query) => loadAudit(props.api, query),
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        class="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          const next: Filter = {};
          if (action().trim()) next.action = action().trim();
          if (target().trim()) next.target = target().trim();
          if (actor().trim()) next.actor = actor().trim();
          if (from()) next.from = new Date(from()).toISOString();
          if (to()) next.to = new Date(to()).toISOString();
          setFilter(next);
          setPages([undefined]);
        }}
      >
        <Field id="audit-action" label="Action" value={action()} onInput={setAction} hint="player.ban, or an area: player.*" />
        <Field id="audit-target" label="Target id" value={target()} onInput={setTarget} />
        <Field id="audit-actor" label="Admin id" value={actor()} onInput={setActor} />
        <Field id="audit-from" label="From" type="datetime-local" value={from()} onInput={setFrom} />
        <Field id="audit-to" label="To" type="datetime-local" value={to()} onInput={setTo} />
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      <Show when={page.error}>
        <FormError message={describeProblem(page.error)} />
      </Show>
      <Show when={loaded(page)}>{(p) => <AuditTable entries={p().entries} />}</Show>
      <div class="pager">
        <button type="button" class="secondary" disabled={pages().length <= 1} onClick={() => setPages(pages().slice(0, -1))}>
          Newer
        </button>
        <button type="button" class="secondary" disabled={!loaded(page)?.next} onClick={() => setPages([...pages(), loaded(page)!.next!])}>
          Older
        </button>
      </div>
    </section>
  );
}

export const loadAudit = (api: ApiClient, query: Filter & { cursor?: string | undefined; limit?: number }) =>
  api.admin.audit(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Parameters<ApiClient['admin']['audit']>[0]);
