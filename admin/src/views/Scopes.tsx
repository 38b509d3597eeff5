import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { AdminScope, AdminScopeRequest, ApiClient } from '../../../client/index.js';
import { Field, FormError, when } from '../components/forms.js';
import { loaded } from '../components/resources.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';

type Change = { kind: 'grant' | 'revoke' | 'request'; userId: string; username: string; scopes: AdminScope[] };

/** An account id from a username (exact, case-insensitive) or the id itself. */
async function resolveAccount(api: ApiClient, who: string): Promise<{ id: string; username: string }> {
  const found = await api.admin.players.search(who);
  const match = found.players.find((p) => p.id === who || p.username.toLowerCase() === who.toLowerCase());
  if (!match) throw new Error(`No account named ${who}`);
  return { id: match.id, username: match.username };
}

/**
 * Who holds which admin scope; grants and revocations (only of scopes you hold, never to
 * yourself); requests filed by one admin and decided by another.
 */
export function ScopesView(props: ViewProps) {
  const [data, { refetch }] = createResource(() => props.api.admin.scopes.list());
  const [status, setStatus] = createSignal<AdminScopeRequest['status']>('pending');
  const [requests, { refetch: refetchRequests }] = createResource(status, (s) => props.api.admin.scopes.requests(s));
  const [who, setWho] = createSignal('');
  const [picked, setPicked] = createSignal<AdminScope[]>([]);
  const [change, setChange] = createSignal<Change | null>(null);
  const [deciding, setDeciding] = createSignal<{ request: AdminScopeRequest; verdict: 'approve' | 'reject' } | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [formError, setFormError] = createSignal<unknown>(null);
  const mayManage = () => holds(props.me, 'admin:scopes');
  const toggle = (scope: AdminScope, on: boolean) => setPicked(on ? [...picked(), scope] : picked().filter((s) => s !== scope));
  const start = async (kind: Change['kind']) => {
    setFormError(null);
    try {
      if (!who().trim() || picked().length === 0) throw new Error('Name the account and pick at least one scope.');
      const account = await resolveAccount(props.api, who().trim());
      setChange({ kind, userId: account.id, username: account.username, scopes: picked() });
    } catch (err) {
      setFormError(err);
    }
  };
  const refresh = (message: string) => {
    setNotice(message);
    void refetch();
    void refetchRequests();
  };
  return (
    <section aria-labelledby="scopes-title">
      <h1 id="scopes-title">Scopes</h1>
      <Show when={data.error}>
        <FormError message={describeProblem(data.error)} />
      </Show>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <div class="panels">
        <div class="card span">
          <h2>Admins</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Scopes</th>
                <th scope="col">TOTP</th>
              </tr>
            </thead>
            <tbody>
              <For each={loaded(data)?.admins ?? []}>
                {(a) => (
                  <tr data-testid="admin-row">
                    <td>
                      {a.username}
                      {a.id === props.me.id ? ' (you)' : ''}
                    </td>
                    <td>{a.scopes.join(', ')}</td>
                    <td>{a.totp_enrolled ? 'enrolled' : 'not yet'}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <form
          class="card"
          aria-label="Change scopes"
          onSubmit={(e) => {
            e.preventDefault();
            void start(mayManage() ? 'grant' : 'request');
          }}
        >
          <h2>{mayManage() ? 'Grant, revoke or request' : 'Request scopes'}</h2>
          <Field id="scope-account" label="Account (username or id)" value={who()} onInput={setWho} />
          <fieldset>
            <legend>Scopes</legend>
            <For each={loaded(data)?.catalog ?? []}>
              {(c) => (
                <label class="check">
                  <input type="checkbox" checked={picked().includes(c.scope)} onChange={(e) => toggle(c.scope, e.currentTarget.checked)} />
                  <code>{c.scope}</code> <span class="muted small">{c.description}</span>
                  <Show when={mayManage() && !holds(props.me, c.scope)}>
                    <span class="muted small"> (you do not hold it)</span>
                  </Show>
                </label>
              )}
            </For>
          </fieldset>
          <FormError message={formError() ? describeProblem(formError()) : null} />
          <div class="row">
            <Show when={mayManage()}>
              <button type="submit" class="primary">
                Grant
              </button>
              <button type="button" class="danger" onClick={() => void start('revoke')}>
                Revoke
              </button>
            </Show>
            <button type="button" class="secondary" onClick={() => void start('request')}>
              File a request
            </button>
          </div>
        </form>
        <div class="card span">
          <h2>Requests</h2>
          <div class="row" role="group" aria-label="Which requests">
            <For each={['pending', 'approved', 'rejected'] as const}>
              {(s) => (
                <button type="button" class={status() === s ? 'primary' : 'secondary'} aria-pressed={status() === s} onClick={() => setStatus(s)}>
                  {s}
                </button>
              )}
            </For>
          </div>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Filed</th>
                <th scope="col">For</th>
                <th scope="col">Scopes</th>
                <th scope="col">Reason</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              <For
                each={requests.latest?.requests ?? []}
                fallback={
                  <tr>
                    <td colSpan={5} class="muted">
                      No {status()} requests.
                    </td>
                  </tr>
                }
              >
                {(r) => (
                  <tr data-testid="request-row">
                    <td>{when(r.created_at)}</td>
                    <td>{r.username}</td>
                    <td>{r.scopes.join(', ')}</td>
                    <td>{r.reason}</td>
                    <td>
                      <Switch>
                        <Match when={r.status !== 'pending'}>
                          {r.status} {when(r.decided_at)}
                        </Match>
                        <Match when={r.requested_by === props.me.id}>
                          <span class="muted">yours: another admin decides</span>
                        </Match>
                        <Match when={mayManage()}>
                          <button type="button" class="primary" onClick={() => setDeciding({ request: r, verdict: 'approve' })}>
                            Approve
                          </button>{' '}
                          <button type="button" class="secondary" onClick={() => setDeciding({ request: r, verdict: 'reject' })}>
                            Reject
                          </button>
                        </Match>
                        <Match when={true}>
                          <span class="muted">pending</span>
                        </Match>
                      </Switch>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </div>
      <Show when={change()} keyed>
        {(c) => (
          <TotpPrompt
            title={`${c.kind === 'grant' ? 'Grant' : c.kind === 'revoke' ? 'Revoke' : 'Request'} ${c.scopes.join(', ')} ${c.kind === 'revoke' ? 'from' : 'for'} ${c.username}`}
            confirm={c.kind === 'grant' ? 'Grant' : c.kind === 'revoke' ? 'Revoke' : 'File request'}
            reason
            totp={c.kind !== 'request'}
            onCancel={() => setChange(null)}
            onConfirm={async ({ reason, code }) => {
              const body = { user_id: c.userId, scopes: c.scopes, reason };
              if (c.kind === 'grant') await props.api.admin.scopes.grant(body, code);
              else if (c.kind === 'revoke') await props.api.admin.scopes.revoke(body, code);
              else await props.api.admin.scopes.request(body);
              setChange(null);
              setPicked([]);
              refresh(c.kind === 'request' ? `Request filed: another admin holding these scopes decides.` : `Scopes of ${c.username} changed.`);
            }}
          />
        )}
      </Show>
      <Show when={deciding()} keyed>
        {(d) => (
          <TotpPrompt
            title={`${d.verdict === 'approve' ? 'Approve' : 'Reject'} ${d.request.scopes.join(', ')} for ${d.request.username}`}
            confirm={d.verdict === 'approve' ? 'Approve' : 'Reject'}
            totp={d.verdict === 'approve'}
            reason={d.verdict === 'reject'}
            onCancel={() => setDeciding(null)}
            onConfirm={async ({ reason, code }) => {
              if (d.verdict === 'approve') await props.api.admin.scopes.approve(d.request.id, code);
              else await props.api.admin.scopes.reject(d.request.id, reason);
              setDeciding(null);
              refresh(`Request ${d.verdict === 'approve' ? 'approved' : 'rejected'}.`);
            }}
          />
        )}
      </Show>
    </section>
  );
}
