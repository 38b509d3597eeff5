import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { AdminPlayerDetail, ApiClient } from '../../../client/index.js';
import { CopyButton, credits, Field, FormError, when } from '../components/forms.js';
import { loaded } from '../components/resources.js';
import { RouteLink } from '../components/RouteLink.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { describeProblem } from '../problems.js';
import type { Router } from '../router.js';
import { holds, type ViewProps } from '../sections.js';

/** Players: search by name, email or id; a player's whole record, and what an admin may do to it. */
export function PlayersView(props: ViewProps) {
  return (
    <Show when={props.rest.replace(/^\//, '')} keyed fallback={<PlayerSearch {...props} />}>
      {(id) => <PlayerDetail {...props} id={decodeURIComponent(id)} />}
    </Show>
  );
}

function PlayerSearch(props: ViewProps) {
  const initial = new URLSearchParams(props.router.search()).get('q') ?? '';
  const [q, setQ] = createSignal(initial);
  const [query, setQuery] = createSignal<{ q: string; cursor?: string }>({ q: initial });
  const [found] = createResource(query, ({ q, cursor }) => props.api.admin.players.search(q, cursor));
  return (
    <section aria-labelledby="players-title">
      <h1 id="players-title">Players</h1>
      <form
        class="row"
        role="search"
        aria-label="Search players"
        onSubmit={(e) => {
          e.preventDefault();
          props.router.go(`/players?q=${encodeURIComponent(q().trim())}`, true);
          setQuery({ q: q().trim() });
        }}
      >
        <label class="sr-only" for="player-search">
          Name, email or account id
        </label>
        <input id="player-search" type="search" placeholder="Name, email or account id" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <Show when={found.error}>
        <FormError message={describeProblem(found.error)} />
      </Show>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={loaded(found)?.players ?? []}
            fallback={
              <tr>
                <td colSpan={5} class="muted">
                  {found.loading ? 'Searching…' : 'No players match.'}
                </td>
              </tr>
            }
          >
            {(p) => (
              <tr data-testid="player-row">
                <td>
                  <a
                    href={`/admin/players/${p.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      props.router.go(`/players/${p.id}`);
                    }}
                  >
                    {p.username}
                  </a>
                  <Show when={p.scopes.some((s) => s.startsWith('admin:'))}>
                    {' '}
                    <span class="badge">admin</span>
                  </Show>
                </td>
                <td>{p.email ?? '—'}</td>
                <td>
                  <Status account={p} />
                </td>
                <td>{when(p.last_login_at)}</td>
                <td>{when(p.created_at)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={loaded(found)?.next}>
        <button type="button" class="secondary" onClick={() => setQuery({ q: query().q, cursor: loaded(found)!.next! })}>
          More
        </button>
      </Show>
    </section>
  );
}

function Status(props: { account: AdminPlayerDetail['account'] }) {
  return (
    <span class={`status ${props.account.status === 'active' ? 'ok' : 'bad'}`} data-testid="account-status">
      {props.account.status === 'active'
        ? 'active'
        : props.account.disabled_reason === 'suspended'
          ? `suspended until ${when(props.account.disabled_until)}`
          : (props.account.disabled_reason ?? 'disabled')}
      {props.account.password_reset_required ? ' · password reset pending' : ''}
    </span>
  );
}

type Action = 'credits' | 'suspend' | 'ban' | 'unban' | 'move' | 'revoke' | 'reset';

function PlayerDetail(props: ViewProps & { id: string }) {
  const [detail, { refetch }] = createResource(
    () => props.id,
    (id) => props.api.admin.players.get(id),
  );
  const [action, setAction] = createSignal<Action | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [resetLink, setResetLink] = createSignal<string | null>(null);
  const finished = (message: string) => {
    setAction(null);
    setDone(message);
    void refetch();
  };
  const mayPlayers = () => holds(props.me, 'admin:players');
  const mayEconomy = () => holds(props.me, 'admin:economy');
  return (
    <section aria-labelledby="player-title">
      <p>
        <a
          href="/admin/players"
          onClick={(e) => {
            e.preventDefault();
            props.router.go('/players');
          }}
        >
          ← Players
        </a>
      </p>
      <Show when={detail.error}>
        <FormError message={describeProblem(detail.error)} />
      </Show>
      <Show when={loaded(detail)}>
        {(d) => (
          <>
            <header class="player-head">
              <h1 id="player-title">{d().account.username}</h1>
              <Status account={d().account} />
            </header>
            <Show when={mayPlayers() || mayEconomy()}>
              <div class="actions" role="toolbar" aria-label="Actions">
                <Show when={mayEconomy()}>
                  <button type="button" class="primary" onClick={() => setAction('credits')}>
                    Adjust credits
                  </button>
                </Show>
                <Show when={mayPlayers()}>
                  <Show
                    when={d().account.status === 'active'}
                    fallback={
                      <button type="button" class="secondary" onClick={() => setAction('unban')}>
                        Unban
                      </button>
                    }
                  >
                    <button type="button" class="danger" onClick={() => setAction('suspend')}>
                      Suspend
                    </button>
                    <button type="button" class="danger" onClick={() => setAction('ban')}>
                      Ban
                    </button>
                  </Show>
                  <button type="button" class="secondary" onClick={() => setAction('move')}>
                    Move pilot
                  </button>
                  <button type="button" class="secondary" onClick={() => setAction('revoke')}>
                    Revoke sessions and tokens
                  </button>
                  <button type="button" class="secondary" onClick={() => setAction('reset')}>
                    Force password reset
                  </button>
                </Show>
              </div>
            </Show>
            <Show when={done()}>
              <p class="notice" role="status">
                {done()}
              </p>
            </Show>
            <Show when={resetLink()}>
              {(link) => (
                <p class="notice">
                  Give the player this one-time link: <code data-testid="reset-link">{link()}</code> <CopyButton text={link()} />
                </p>
              )}
            </Show>
            <ActionDialog api={props.api} detail={d()} action={action()} onCancel={() => setAction(null)} onDone={finished} onResetLink={setResetLink} />
            <PlayerRecord detail={d()} router={props.router} />
          </>
        )}
      </Show>
    </section>
  );
}

function ActionDialog(props: {
  api: ApiClient;
  detail: AdminPlayerDetail;
  action: Action | null;
  onCancel(): void;
  onDone(message: string): void;
  onResetLink(link: string): void;
}) {
  const id = () => props.detail.account.id;
  const name = () => props.detail.account.username;
  const [delta, setDelta] = createSignal('');
  const [hours, setHours] = createSignal('24');
  const [sector, setSector] = createSignal('');
  const int = (s: string) => (/^-?\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);
  return (
    <Switch>
      <Match when={props.action === 'credits'}>
        <TotpPrompt
          title={`Adjust the credits of ${name()}`}
          confirm="Adjust credits"
          reason
          totp
          invalid={!Number.isInteger(int(delta())) || int(delta()) === 0}
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            const r = await props.api.admin.players.credits(id(), { delta: int(delta()), reason }, code);
            setDelta('');
            props.onDone(`Credits now ${credits(r.after.credits)} (${r.after.delta > 0 ? '+' : ''}${r.after.delta}).`);
          }}
        >
          <Field
            id="credits-delta"
            label="Change in credits"
            value={delta()}
            onInput={setDelta}
            hint={`Now ${credits(props.detail.pilot?.credits ?? 0)}. Negative takes credits away, never below 0.`}
            inputProps={{ inputmode: 'numeric' }}
          />
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'suspend'}>
        <TotpPrompt
          title={`Suspend ${name()}`}
          confirm="Suspend"
          reason
          totp
          invalid={!(int(hours()) >= 1)}
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            await props.api.admin.players.suspend(id(), { reason, hours: int(hours()) }, code);
            props.onDone(`${name()} is suspended for ${hours()} h; their sessions ended.`);
          }}
        >
          <Field id="suspend-hours" label="Hours" value={hours()} onInput={setHours} inputProps={{ inputmode: 'numeric' }} />
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'ban'}>
        <TotpPrompt
          title={`Ban ${name()}`}
          confirm="Ban"
          reason
          totp
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            await props.api.admin.players.ban(id(), reason, code);
            props.onDone(`${name()} is banned; their sessions and socket are closed.`);
          }}
        />
      </Match>
      <Match when={props.action === 'unban'}>
        <TotpPrompt
          title={`Unban ${name()}`}
          confirm="Unban"
          reason
          totp
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            await props.api.admin.players.unban(id(), reason, code);
            props.onDone(`${name()} is active again.`);
          }}
        />
      </Match>
      <Match when={props.action === 'move'}>
        <TotpPrompt
          title={`Move ${name()}`}
          confirm="Move"
          reason
          invalid={!(int(sector()) >= 1)}
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const r = await props.api.admin.players.move(id(), { sector_id: int(sector()), reason });
            setSector('');
            props.onDone(`${name()} is now in sector ${r.after.sector_id}.`);
          }}
        >
          <Field
            id="move-sector"
            label="To sector"
            value={sector()}
            onInput={setSector}
            hint={`Now in sector ${props.detail.pilot?.sector_id ?? '—'}.`}
            inputProps={{ inputmode: 'numeric' }}
          />
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'revoke'}>
        <TotpPrompt
          title={`Sign ${name()} out everywhere`}
          confirm="Revoke"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const r = await props.api.admin.players.revokeTokens(id(), reason);
            props.onDone(`${r.after.sessions_revoked} sessions and ${r.after.tokens_revoked} tokens revoked.`);
          }}
        />
      </Match>
      <Match when={props.action === 'reset'}>
        <TotpPrompt
          title={`Force ${name()} to choose a new password`}
          confirm="Force reset"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const r = await props.api.admin.players.passwordReset(id(), reason);
            props.onResetLink(r.link);
            props.onDone(`The password of ${name()} no longer works; the link below lets them set a new one until ${when(r.expires_at)}.`);
          }}
        />
      </Match>
    </Switch>
  );
}

/** Everything the API tells about a player, in panels. */
function PlayerRecord(props: { detail: AdminPlayerDetail; router: Router }) {
  const d = () => props.detail;
  return (
    <div class="panels">
      <div class="card">
        <h2>Account</h2>
        <dl class="facts">
          <dt>Id</dt>
          <dd class="mono small">{d().account.id}</dd>
          <dt>Email</dt>
          <dd>{d().account.email ?? '—'}</dd>
          <dt>Scopes</dt>
          <dd>{d().account.scopes.join(', ') || '—'}</dd>
          <dt>TOTP</dt>
          <dd>{d().account.totp_enrolled ? 'enrolled' : 'no'}</dd>
          <dt>Joined</dt>
          <dd>{when(d().account.created_at)}</dd>
          <dt>Last sign-in</dt>
          <dd>{when(d().account.last_login_at)}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>Pilot</h2>
        <Show when={d().pilot} fallback={<p class="muted">Has not played yet.</p>}>
          {(p) => (
            <dl class="facts">
              <dt>Name</dt>
              <dd>{p().name}</dd>
              <dt>Credits</dt>
              <dd data-testid="pilot-credits">{credits(p().credits)}</dd>
              <dt>Sector</dt>
              <dd data-testid="pilot-sector">
                {p().sector_id} (region {p().region_id})
              </dd>
              <dt>Turns</dt>
              <dd>
                {p().turns} / {p().max_turns}
              </dd>
              <dt>Rank</dt>
              <dd>
                {p().rank.title} · {p().experience} xp · alignment {p().alignment}
              </dd>
            </dl>
          )}
        </Show>
      </div>
      <div class="card">
        <h2>Ship and cargo</h2>
        <Show when={d().ship} fallback={<p class="muted">No ship.</p>}>
          {(s) => (
            <dl class="facts">
              <dt>Hull</dt>
              <dd>{s().hull_name}</dd>
              <dt>Holds</dt>
              <dd>
                {s().holds - s().holds_free} used of {s().holds}
              </dd>
              <dt>Cargo</dt>
              <dd>
                ore {s().cargo.ore} · organics {s().cargo.organics} · equipment {s().cargo.equipment} · colonists {s().cargo.colonists}
              </dd>
              <dt>Fighters</dt>
              <dd>
                {s().fighters} / {s().max_fighters}
              </dd>
              <dt>Shields</dt>
              <dd>
                {s().shields} / {s().max_shields}
              </dd>
              <dt>Mines · genesis</dt>
              <dd>
                {s().mines} · {s().genesis_torpedoes}
              </dd>
            </dl>
          )}
        </Show>
      </div>
      <div class="card span">
        <h2>Ledger (newest)</h2>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Reason</th>
              <th scope="col" class="num">
                Change
              </th>
              <th scope="col" class="num">
                Balance
              </th>
            </tr>
          </thead>
          <tbody>
            <For
              each={d().ledger}
              fallback={
                <tr>
                  <td colSpan={4} class="muted">
                    No ledger rows.
                  </td>
                </tr>
              }
            >
              {(l) => (
                <tr data-testid="ledger-row">
                  <td>{when(l.created_at)}</td>
                  <td>{l.reason}</td>
                  <td class="num">
                    {l.delta > 0 ? '+' : ''}
                    {l.delta.toLocaleString('en-US')}
                  </td>
                  <td class="num">{l.balance_after.toLocaleString('en-US')}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <div class="card">
        <h2>Sessions</h2>
        <ul class="plain">
          <For each={d().sessions} fallback={<li class="muted">No live sessions.</li>}>
            {(s) => (
              <li>
                since {when(s.created_at)} {s.second_factor ? '· with TOTP' : ''}
              </li>
            )}
          </For>
        </ul>
        <h2>Providers</h2>
        <ul class="plain">
          <For each={d().providers} fallback={<li class="muted">None linked.</li>}>
            {(p) => (
              <li>
                {p.provider} {p.display_name ?? ''} {p.email ?? ''}
              </li>
            )}
          </For>
        </ul>
      </div>
      <div class="card">
        <h2>Personal access tokens</h2>
        <ul class="plain">
          <For each={d().tokens} fallback={<li class="muted">No tokens.</li>}>
            {(t) => (
              <li>
                {t.name} <code>{t.token_start}…</code> {t.scopes.join(', ')} {t.revoked_at ? '· revoked' : ''}
              </li>
            )}
          </For>
        </ul>
      </div>
      <div class="card">
        <h2>Combat logs</h2>
        <ul class="plain">
          <For each={d().combat_logs} fallback={<li class="muted">No combat.</li>}>
            {(c) => (
              <li>
                <RouteLink router={props.router} path={`/combat/${encodeURIComponent(c.id)}`}>
                  {when(c.created_at)}: {c.attacker} vs {c.defender} in sector {c.sector_id}, {c.result}
                </RouteLink>
              </li>
            )}
          </For>
        </ul>
        <Show when={d().combat_logs.length > 0}>
          <RouteLink router={props.router} path={`/combat?pilot=${encodeURIComponent(d().account.id)}`}>
            All their combat logs
          </RouteLink>
        </Show>
      </div>
      <div class="card">
        <h2>Reports</h2>
        <ul class="plain">
          <For each={d().reports} fallback={<li class="muted">No reports.</li>}>
            {(r) => (
              <li>
                {when(r.created_at)} · {r.kind} · {r.status} · {r.filed_by_player ? 'filed by them' : 'about them'}: {r.reason}
              </li>
            )}
          </For>
        </ul>
      </div>
    </div>
  );
}
