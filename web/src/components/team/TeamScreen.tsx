import { createResource, createSignal, For, type JSX, Match, Show, Switch } from 'solid-js';
import { newActionKey, type Team } from '../../../../client/index.js';
import { credits } from '../../format.js';
import { useFlight } from '../../flight.js';
import { describeProblem } from '../../problems.js';

/** Run an API call from a button or form: the error shown under it, the outcome refreshed. */
function useAction() {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(describeProblem(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

/** The team screen: found or join a team; in one, its members, invitations, treasury (with its history), and leaving. */
export function TeamScreen() {
  const { people } = useFlight();
  return (
    <section class="panel team-screen" aria-labelledby="team-title">
      <header class="panel-head">
        <h2 id="team-title">
          <span class="eyebrow">Team</span> {people.state.team ? `${people.state.team.name} [${people.state.team.tag}]` : 'No team'}
        </h2>
      </header>
      <Show when={people.state.team} keyed fallback={<NoTeam />}>
        {(team) => <TeamPanel team={team} />}
      </Show>
    </section>
  );
}

function NoTeam() {
  const { api, people } = useFlight();
  const [name, setName] = createSignal('');
  const [tag, setTag] = createSignal('');
  const found = useAction();
  const answer = useAction();
  return (
    <div class="team-body">
      <p class="muted">A team shares a treasury, a team chat channel and its known space: every sector a teammate charts is on your map. Up to 6 pilots.</p>
      <h3>Invitations</h3>
      <ul class="invitations">
        <For each={people.state.invitations} fallback={<li class="muted">No invitations.</li>}>
          {(inv) => (
            <li>
              <strong>{inv.name}</strong> [{inv.tag}] <span class="muted">from {inv.from}</span>{' '}
              <button
                type="button"
                class="primary"
                disabled={answer.busy()}
                onClick={() =>
                  void answer.run(async () => {
                    await api.invitations.accept(inv.id);
                    await people.loadTeam();
                  })
                }
              >
                Accept
              </button>{' '}
              <button
                type="button"
                disabled={answer.busy()}
                onClick={() =>
                  void answer.run(async () => {
                    await api.invitations.decline(inv.id);
                    await people.loadTeam();
                  })
                }
              >
                Decline
              </button>
            </li>
          )}
        </For>
      </ul>
      <ErrorLine text={answer.error()} />
      <h3>Found a team</h3>
      <form
        class="team-form"
        onSubmit={(e) => {
          e.preventDefault();
          void found.run(async () => people.setTeam(await api.teams.create({ name: name().trim(), tag: tag().trim() })));
        }}
      >
        <label>
          Name <input name="team-name" value={name()} minLength={3} maxLength={32} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Tag <input name="team-tag" value={tag()} minLength={2} maxLength={5} pattern="[A-Za-z0-9]+" required onInput={(e) => setTag(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={found.busy()}>
          Found team
        </button>
      </form>
      <ErrorLine text={found.error()} />
    </div>
  );
}

function ErrorLine(props: { text: string | null }): JSX.Element {
  return (
    <Show when={props.text}>
      <p class="form-error" role="alert">
        {props.text}
      </p>
    </Show>
  );
}

function TeamPanel(props: { team: Team }) {
  const { api, people, cockpit } = useFlight();
  const me = () => cockpit.state.player?.name ?? '';
  const leader = () => props.team.leader === me();
  const mine = () => props.team.members.find((m) => m.pilot === me());
  const [invitee, setInvitee] = createSignal('');
  const [amount, setAmount] = createSignal('');
  const [history, { refetch }] = createResource(
    () => `${props.team.id}:${props.team.treasury}`,
    () => api.teams.history(props.team.id),
  );
  const members = useAction();
  const invite = useAction();
  const treasury = useAction();
  const leaving = useAction();
  const refresh = async () => {
    people.setTeam(await api.teams.get(props.team.id));
  };
  /** A leader's change to a member, then the team read again. */
  const change = (work: () => Promise<unknown>) =>
    void members.run(async () => {
      await work();
      await refresh();
    });
  const move = (action: 'deposit' | 'withdraw') =>
    void treasury.run(async () => {
      const n = Number(amount());
      if (!Number.isInteger(n) || n < 1) throw new Error('Enter a whole number of credits.');
      const result = await api.teams.treasury(props.team.id, { action, amount: n }, newActionKey());
      setAmount('');
      await Promise.all([refresh(), cockpit.load()]);
      void refetch();
      return result;
    });

  return (
    <div class="team-body">
      <h3>
        Members{' '}
        <span class="muted">
          ({props.team.members.length} of {props.team.max_members})
        </span>
      </h3>
      <table class="members">
        <tbody>
          <For each={props.team.members}>
            {(m) => (
              <tr>
                <th scope="row">
                  {m.pilot}
                  {m.leader ? ' ★ leader' : ''}
                </th>
                <td>{m.can_withdraw ? 'may withdraw' : ''}</td>
                <td>
                  <Show when={leader() && !m.leader}>
                    <button type="button" onClick={() => change(() => api.teams.allowWithdraw(props.team.id, m.pilot, !m.can_withdraw))}>
                      {m.can_withdraw ? 'Stop withdrawals' : 'Allow withdrawals'}
                    </button>{' '}
                    <button type="button" onClick={() => change(() => api.teams.makeLeader(props.team.id, m.pilot))}>
                      Make leader
                    </button>{' '}
                    <button type="button" class="danger" onClick={() => change(() => api.teams.kick(props.team.id, m.pilot))}>
                      Kick
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <ErrorLine text={members.error()} />

      <Show when={leader()}>
        <h3>Invite</h3>
        <form
          class="team-form"
          onSubmit={(e) => {
            e.preventDefault();
            void invite.run(async () => {
              await api.teams.invite(props.team.id, invitee().trim());
              setInvitee('');
              await refresh();
            });
          }}
        >
          <label>
            Pilot <input name="invitee" list="known-pilots" autocomplete="off" value={invitee()} required onInput={(e) => setInvitee(e.currentTarget.value)} />
          </label>
          <datalist id="known-pilots">
            <For each={people.state.known.filter((n) => !props.team.members.some((m) => m.pilot === n))}>{(name) => <option value={name} />}</For>
          </datalist>
          <button type="submit" class="primary" disabled={invite.busy() || props.team.members.length >= props.team.max_members}>
            Invite
          </button>
        </form>
        <Show when={props.team.invitations.length > 0}>
          <p class="muted">Invited: {props.team.invitations.map((i) => i.pilot).join(', ')}</p>
        </Show>
        <ErrorLine text={invite.error()} />
      </Show>

      <h3>
        Treasury <span data-testid="treasury">{credits(props.team.treasury)}</span>
      </h3>
      <form
        class="team-form"
        onSubmit={(e) => {
          e.preventDefault();
          move('deposit');
        }}
      >
        <label>
          Credits <input name="amount" inputMode="numeric" value={amount()} onInput={(e) => setAmount(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={treasury.busy()}>
          Deposit
        </button>
        <Show when={leader() || mine()?.can_withdraw}>
          <button type="button" disabled={treasury.busy()} onClick={() => move('withdraw')}>
            Withdraw
          </button>
        </Show>
      </form>
      <ErrorLine text={treasury.error()} />
      <Switch>
        <Match when={history.latest}>
          {(h) => (
            <table class="treasury-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Pilot</th>
                  <th scope="col">Movement</th>
                  <th scope="col" class="num">
                    Amount
                  </th>
                  <th scope="col" class="num">
                    Balance
                  </th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={h().entries}
                  fallback={
                    <tr>
                      <td colSpan={5} class="muted">
                        Nothing yet.
                      </td>
                    </tr>
                  }
                >
                  {(e) => (
                    <tr>
                      <td>{new Date(e.at).toLocaleString()}</td>
                      <td>{e.pilot}</td>
                      <td>{e.reason.replace('team_', '')}</td>
                      <td class="num">{credits(e.delta)}</td>
                      <td class="num">{credits(e.balance_after)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          )}
        </Match>
      </Switch>

      <h3>Leave</h3>
      <p>
        <button
          type="button"
          class="danger"
          disabled={leaving.busy()}
          onClick={() =>
            void leaving.run(async () => {
              await api.teams.leave(props.team.id);
              await Promise.all([people.loadTeam(), cockpit.load()]);
            })
          }
        >
          Leave team
        </button>{' '}
        <Show when={leader()}>
          <button
            type="button"
            class="danger"
            disabled={leaving.busy()}
            onClick={() =>
              void leaving.run(async () => {
                if (!window.confirm(`Disband ${props.team.name}? The treasury is paid out evenly to the members.`)) return;
                await api.teams.disband(props.team.id);
                await Promise.all([people.loadTeam(), cockpit.load()]);
              })
            }
          >
            Disband
          </button>
        </Show>
      </p>
      <ErrorLine text={leaving.error()} />
    </div>
  );
}
