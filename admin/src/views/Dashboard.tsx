import { createResource, createSignal, For, Show } from 'solid-js';
import { FormError } from '../components/forms.js';
import { loaded } from '../components/resources.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';
import { AuditTable, loadAudit } from './Audit.js';

/** Where an admin starts: find a player, what they may do here, what admins did last. */
export function Dashboard(props: ViewProps) {
  const [q, setQ] = createSignal('');
  const [recent] = createResource(() => loadAudit(props.api, { limit: 10 }));
  const [scopes] = createResource(() => props.api.admin.scopes.list());
  const [pending] = createResource(() => props.api.admin.scopes.requests('pending'));
  const [online] = createResource(() => props.api.admin.ops.online());
  const [jobs] = createResource(() => props.api.admin.ops.jobs());
  const link = (path: string, text: string) => (
    <a
      href={`/admin${path}`}
      onClick={(e) => {
        e.preventDefault();
        props.router.go(path);
      }}
    >
      {text}
    </a>
  );
  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <div class="cards">
        <form
          class="card"
          role="search"
          aria-label="Find a player"
          onSubmit={(e) => {
            e.preventDefault();
            if (q().trim()) props.router.go(`/players?q=${encodeURIComponent(q().trim())}`);
          }}
        >
          <h2>Find a player</h2>
          <label for="dash-search">Name, email or account id</label>
          <div class="row">
            <input id="dash-search" type="search" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
            <button type="submit" class="primary">
              Search
            </button>
          </div>
        </form>
        <div class="card">
          <h2>Your scopes</h2>
          <ul class="scopes" data-testid="my-scopes">
            <For each={props.me.scopes}>
              {(s) => (
                <li>
                  <code>{s}</code> <span class="muted small">{loaded(scopes)?.catalog.find((c) => c.scope === s)?.description}</span>
                </li>
              )}
            </For>
          </ul>
        </div>
        <div class="card">
          <h2>At a glance</h2>
          <dl class="facts">
            <dt>Admins</dt>
            <dd data-testid="admin-count">{loaded(scopes)?.admins.length ?? '…'}</dd>
            <dt>Pending scope requests</dt>
            <dd>
              {loaded(pending)?.requests.length ?? '…'}
              <Show when={holds(props.me, 'admin:scopes') && (loaded(pending)?.requests.length ?? 0) > 0}>
                {' '}
                <a
                  href="/admin/scopes"
                  onClick={(e) => {
                    e.preventDefault();
                    props.router.go('/scopes');
                  }}
                >
                  review
                </a>
              </Show>
            </dd>
          </dl>
        </div>
        <div class="card">
          <h2>Right now</h2>
          <dl class="facts">
            <dt>Players online</dt>
            <dd data-testid="dash-online">
              {loaded(online)?.count ?? '…'} {link('/live', 'live operations')}
            </dd>
            <dt>Jobs failing (24 h)</dt>
            <dd data-testid="dash-failing">
              {loaded(jobs)?.jobs.filter((j) => j.failures > 0).length ?? '…'} of {loaded(jobs)?.jobs.length ?? '…'} {link('/jobs', 'jobs')}
            </dd>
            <Show when={holds(props.me, 'admin:economy')}>
              <dt>Economy</dt>
              <dd>{link('/economy', 'money supply, flows, prices')}</dd>
            </Show>
          </dl>
        </div>
      </div>
      <h2>Recent admin changes</h2>
      <Show when={recent.error}>
        <FormError message={describeProblem(recent.error)} />
      </Show>
      <Show when={loaded(recent)}>{(r) => <AuditTable entries={r().entries} />}</Show>
    </section>
  );
}
