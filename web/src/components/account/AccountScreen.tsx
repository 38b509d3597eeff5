import { createResource, createSignal, For, Show } from 'solid-js';
import { ApiError } from '../../../../client/index.js';
import { useFlight } from '../../flight.js';
import { describeCode, describeProblem } from '../../problems.js';
import { Field } from '../auth/Field.js';

type Scope = 'game:read' | 'game:play';
type ProviderId = 'github' | 'google' | 'discord';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/**
 * The account: sign-in providers (link, unlink), the password (set or change), and personal
 * access tokens for bots (create with scopes, shown once with a copy button, list, revoke).
 */
export function AccountScreen() {
  const { session } = useFlight();
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const [notice] = createSignal(
    params.get('linked') ? `Linked ${params.get('linked')}.` : params.get('oauth_error') ? describeCode(params.get('oauth_error')!) : null,
  );
  return (
    <section class="panel account" aria-labelledby="account-title">
      <header class="panel-head">
        <h2 id="account-title">
          <span class="eyebrow">Account</span> {session.user()?.username}
        </h2>
      </header>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <div class="account-grid">
        <TokensPanel />
        <ProvidersPanel />
        <PasswordPanel />
      </div>
      <p class="hint">Bots: see “Write a bot” in the README. Tokens reach the game only, never this page.</p>
    </section>
  );
}

function TokensPanel() {
  const { api } = useFlight();
  const [tokens, { refetch }] = createResource(() => api.auth.tokens.list().then((r) => r.tokens));
  const [name, setName] = createSignal('');
  const [scopes, setScopes] = createSignal<Scope[]>(['game:read']);
  const [days, setDays] = createSignal('30');
  const [created, setCreated] = createSignal<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  const toggle = (scope: Scope, on: boolean) => setScopes((s) => (on ? [...new Set([...s, scope])] : s.filter((x) => x !== scope)));

  const create = async () => {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const token = await api.auth.tokens.create({ name: name().trim(), scopes: scopes(), expires_in_days: Number(days()) });
      setCreated({ name: token.name, token: token.token });
      setName('');
      await refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.auth.tokens.revoke(id);
      await refetch();
    } catch (err) {
      setError(err);
    }
  };
  const fieldError = (path: string) => {
    const err = error();
    return err instanceof ApiError ? err.fieldMessage(path) : undefined;
  };

  return (
    <section class="account-section" aria-labelledby="tokens-title">
      <h3 id="tokens-title">Personal access tokens</h3>
      <form
        class="token-form"
        aria-label="Create a token"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <Field id="token-name" label="Name" value={name()} onInput={setName} error={fieldError('name')} hint="What it is for, e.g. “trading bot”." />
        <fieldset class="scopes">
          <legend>Scopes</legend>
          <label>
            <input type="checkbox" checked={scopes().includes('game:read')} onChange={(e) => toggle('game:read', e.currentTarget.checked)} /> game:read — see
            the game
          </label>
          <label>
            <input type="checkbox" checked={scopes().includes('game:play')} onChange={(e) => toggle('game:play', e.currentTarget.checked)} /> game:play — also
            move and trade
          </label>
        </fieldset>
        <label class="field">
          <span>Expires after</span>
          <select value={days()} onChange={(e) => setDays(e.currentTarget.value)}>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">a year</option>
          </select>
        </label>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error() instanceof ApiError && (error() as ApiError).code === 'validation_failed'
              ? 'Give it a name and at least one scope.'
              : describeProblem(error())}
          </p>
        </Show>
        <button type="submit" class="primary" disabled={busy()}>
          Create token
        </button>
      </form>
      <Show when={created()}>
        {(c) => (
          <div class="token-created" role="status">
            <p>Your new token “{c().name}”. Copy it now: it is shown only this once.</p>
            <code data-testid="new-token">{c().token}</code>
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(c().token).then(
                  () => setCopied(true),
                  () => setCopied(false),
                );
              }}
            >
              {copied() ? 'Copied' : 'Copy'}
            </button>
            <button type="button" class="link" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        )}
      </Show>
      <Show when={!tokens.loading || tokens()} fallback={<p>Loading tokens…</p>}>
        <Show when={(tokens() ?? []).length > 0} fallback={<p class="empty">No tokens yet.</p>}>
          <table class="tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="sr-only">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={tokens()}>
                {(t) => (
                  <tr data-testid="token-row">
                    <td>{t.name}</td>
                    <td>
                      <code>{t.token_start}…</code>
                    </td>
                    <td>{t.scopes.join(', ')}</td>
                    <td>{when(t.last_used_at)}</td>
                    <td>{when(t.expires_at)}</td>
                    <td>
                      <button type="button" aria-label={`Revoke ${t.name}`} onClick={() => void revoke(t.id)}>
                        Revoke
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>
    </section>
  );
}

function ProvidersPanel() {
  const { api } = useFlight();
  const [providers] = createResource(() => api.auth.providers().then((r) => r.providers));
  const [identities, { refetch }] = createResource(() => api.auth.identities());
  const [error, setError] = createSignal<unknown>(null);
  const linked = (id: ProviderId) => identities()?.identities.find((i) => i.provider === id);
  const link = async (id: ProviderId) => {
    setError(null);
    try {
      globalThis.location.assign((await api.auth.linkOAuth(id)).authorization_url);
    } catch (err) {
      setError(err);
    }
  };
  const unlink = async (id: ProviderId) => {
    setError(null);
    try {
      await api.auth.unlink(id);
      await refetch();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Show when={(providers() ?? []).length > 0 || (identities()?.identities.length ?? 0) > 0}>
      <section class="account-section" aria-labelledby="providers-title">
        <h3 id="providers-title">Sign-in providers</h3>
        <ul class="providers">
          <For each={providers()}>
            {(p) => (
              <li>
                {p.name}:{' '}
                <Show
                  when={linked(p.id)}
                  fallback={
                    <button type="button" onClick={() => void link(p.id)}>
                      Link {p.name}
                    </button>
                  }
                >
                  {(i) => (
                    <>
                      linked{i().name ? ` as ${i().name}` : ''}{' '}
                      <button type="button" onClick={() => void unlink(p.id)}>
                        Unlink
                      </button>
                    </>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {describeProblem(error())}
          </p>
        </Show>
      </section>
    </Show>
  );
}

function PasswordPanel() {
  const { api } = useFlight();
  const [identities, { refetch }] = createResource(() => api.auth.identities());
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [done, setDone] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const hasPassword = () => identities()?.has_password !== false;
  const fieldError = (path: string) => {
    const err = error();
    return err instanceof ApiError ? err.fieldMessage(path) : undefined;
  };
  return (
    <section class="account-section" aria-labelledby="password-title">
      <h3 id="password-title">{hasPassword() ? 'Change password' : 'Set a password'}</h3>
      <form
        aria-label="Password"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setDone(false);
          void api.auth.changePassword({ ...(hasPassword() ? { current_password: current() } : {}), new_password: next() }).then(async () => {
            setDone(true);
            setCurrent('');
            setNext('');
            await refetch();
          }, setError);
        }}
      >
        <Show when={hasPassword()}>
          <Field id="password-current" label="Current password" type="password" autocomplete="current-password" value={current()} onInput={setCurrent} />
        </Show>
        <Field
          id="password-new"
          label="New password"
          type="password"
          autocomplete="new-password"
          value={next()}
          onInput={setNext}
          error={fieldError('new_password')}
          hint="At least 10 characters."
        />
        <Show when={error() && !fieldError('new_password')}>
          <p class="form-error" role="alert">
            {describeProblem(error())}
          </p>
        </Show>
        <Show when={done()}>
          <p role="status">Password saved.</p>
        </Show>
        <button type="submit">Save password</button>
      </form>
    </section>
  );
}
