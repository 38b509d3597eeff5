import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { AdminTeam, ApiClient } from '../../../client/index.js';
import { credits, Field, FormError, when } from '../components/forms.js';
import { PlayerLink } from '../components/PlayerLink.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';

type Query = { q: string; disbanded: boolean };

/** Teams: find one by name or tag, its members and treasury; rename it or disband it (admin:moderation). */
export function TeamsView(props: ViewProps) {
  const initial = new URLSearchParams(props.router.search());
  const [q, setQ] = createSignal(initial.get('q') ?? '');
  const [disbanded, setDisbanded] = createSignal(initial.get('disbanded') === 'true');
  const [query, setQuery] = createSignal<Query>({ q: q(), disbanded: disbanded() });
  const [teams, { refetch }] = createResource(query, ({ q, disbanded }) =>
    props.api.admin.teams.list({ ...(q ? { q } : {}), disbanded: disbanded ? 'true' : 'false' }),
  );
  const [acting, setActing] = createSignal<{ action: 'rename' | 'disband'; team: AdminTeam } | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const mayModerate = () => holds(props.me, 'admin:moderation');
  const finished = (message: string) => {
    setActing(null);
    setDone(message);
    void refetch();
  };
  return (
    <section aria-labelledby="teams-title">
      <h1 id="teams-title">Teams</h1>
      <form
        class="row"
        role="search"
        aria-label="Search teams"
        onSubmit={(e) => {
          e.preventDefault();
          const next = { q: q().trim(), disbanded: disbanded() };
          const search = new URLSearchParams({ ...(next.q ? { q: next.q } : {}), ...(next.disbanded ? { disbanded: 'true' } : {}) }).toString();
          props.router.go(`/teams${search ? `?${search}` : ''}`, true);
          setQuery(next);
        }}
      >
        <label class="sr-only" for="team-search">
          Team name or tag
        </label>
        <input id="team-search" type="search" placeholder="Team name or tag" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        <label class="check">
          <input type="checkbox" checked={disbanded()} onChange={(e) => setDisbanded(e.currentTarget.checked)} /> Disbanded teams
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <Show when={done()}>
        <p class="notice" role="status">
          {done()}
        </p>
      </Show>
      <Show when={teams.error}>
        <FormError message={describeProblem(teams.error)} />
      </Show>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" class="num">
              Members
            </th>
            <th scope="col" class="num">
              Treasury
            </th>
            <th scope="col">Leader</th>
            <th scope="col">Founded</th>
            <Show when={query().disbanded}>
              <th scope="col">Disbanded</th>
            </Show>
            <Show when={mayModerate() && !query().disbanded}>
              <th scope="col">Actions</th>
            </Show>
          </tr>
        </thead>
        <tbody>
          <For
            each={teams.latest?.teams ?? []}
            fallback={
              <tr>
                <td colSpan={query().disbanded || mayModerate() ? 6 : 5} class="muted">
                  {teams.loading ? 'Searching…' : 'No teams match.'}
                </td>
              </tr>
            }
          >
            {(team) => (
              <tr data-testid="team-row">
                <td>
                  <strong data-testid="team-name">{team.name}</strong> <span class="badge">{team.tag}</span>
                </td>
                <td class="num">{team.members}</td>
                <td class="num">{credits(team.treasury)}</td>
                <td>
                  <Show when={team.leader_id} fallback="—">
                    <PlayerLink router={props.router} id={team.leader_id} name="Open player" />
                  </Show>
                </td>
                <td>{when(team.created_at)}</td>
                <Show when={query().disbanded}>
                  <td>{when(team.disbanded_at)}</td>
                </Show>
                <Show when={mayModerate() && !team.disbanded_at}>
                  <td class="actions">
                    <button type="button" class="secondary" onClick={() => setActing({ action: 'rename', team })}>
                      Rename
                    </button>
                    <button type="button" class="danger" onClick={() => setActing({ action: 'disband', team })}>
                      Disband
                    </button>
                  </td>
                </Show>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={acting()} keyed>
        {(a) => <TeamAction api={props.api} action={a.action} team={a.team} onCancel={() => setActing(null)} onDone={finished} />}
      </Show>
    </section>
  );
}

function TeamAction(props: { api: ApiClient; action: 'rename' | 'disband'; team: AdminTeam; onCancel(): void; onDone(message: string): void }) {
  const t = () => props.team;
  const [name, setName] = createSignal(t().name);
  const [tag, setTag] = createSignal(t().tag);
  /** Only what changed is sent: a rename that keeps the tag does not ask to take it again. */
  const change = () => ({
    ...(name().trim() !== t().name ? { name: name().trim() } : {}),
    ...(tag().trim() !== t().tag ? { tag: tag().trim() } : {}),
  });
  return (
    <Switch>
      <Match when={props.action === 'rename'}>
        <TotpPrompt
          title={`Rename ${t().name} [${t().tag}]`}
          confirm="Rename"
          reason
          invalid={Object.keys(change()).length === 0 || name().trim() === '' || tag().trim() === ''}
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const result = await props.api.admin.teams.rename(t().id, { ...change(), reason });
            props.onDone(`${t().name} [${t().tag}] is now ${result.after.name} [${result.after.tag}].`);
          }}
        >
          <Field id="team-name" label="Name" value={name()} onInput={setName} hint="3–32 letters, digits, spaces, _ - and '" />
          <Field id="team-tag" label="Tag" value={tag()} onInput={setTag} hint="2–5 letters or digits" />
        </TotpPrompt>
      </Match>
      <Match when={props.action === 'disband'}>
        <TotpPrompt
          title={`Disband ${t().name} [${t().tag}]`}
          confirm="Disband"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const result = await props.api.admin.teams.disband(t().id, reason);
            const paid = result.after.payouts.map((p) => `${p.pilot} ${credits(p.amount)}`).join(', ');
            props.onDone(`${t().name} is disbanded.${paid ? ` Paid out: ${paid}.` : ''}`);
          }}
        >
          <p>
            Its treasury of {credits(t().treasury)} is paid out evenly to its {t().members} {t().members === 1 ? 'member' : 'members'}, and every member leaves.
            This cannot be undone.
          </p>
        </TotpPrompt>
      </Match>
    </Switch>
  );
}
