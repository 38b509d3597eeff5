import { createResource, createSignal, For, Show } from 'solid-js';
import type { AdminCombatLog, ApiClient, CombatRound } from '../../../client/index.js';
import { Field, FormError, when } from '../components/forms.js';
import { PlayerLink } from '../components/PlayerLink.js';
import { describeProblem } from '../problems.js';
import type { ViewProps } from '../sections.js';

type Filter = NonNullable<Parameters<ApiClient['admin']['combat']['list']>[0]>;
type Result = NonNullable<Filter['result']>;
const RESULTS: Result[] = ['destroyed', 'repelled', 'stalemate'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Combat logs: every engagement, filtered by pilot, sector, result and time; one log in full under /combat/<id>. */
export function CombatView(props: ViewProps) {
  return (
    <Show when={props.rest.replace(/^\//, '')} keyed fallback={<CombatLogs {...props} />}>
      {(id) => <CombatLogDetail {...props} id={decodeURIComponent(id)} />}
    </Show>
  );
}

function CombatLogs(props: ViewProps) {
  const initial = new URLSearchParams(props.router.search());
  const [pilot, setPilot] = createSignal(initial.get('pilot') ?? '');
  const [sector, setSector] = createSignal(initial.get('sector') ?? '');
  const [result, setResult] = createSignal(initial.get('result') ?? '');
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const filterNow = (): Filter => ({
    ...(pilot().trim() ? { pilot: pilot().trim() } : {}),
    ...(sector().trim() ? { sector: Number(sector().trim()) } : {}),
    ...(RESULTS.includes(result() as Result) ? { result: result() as Result } : {}),
    ...(from() ? { from: new Date(from()).toISOString() } : {}),
    ...(to() ? { to: new Date(to()).toISOString() } : {}),
  });
  const pilotError = () => (pilot().trim() && !UUID.test(pilot().trim()) ? 'An account id (from the player’s page)' : undefined);
  const sectorError = () => (sector().trim() && !/^[1-9]\d*$/.test(sector().trim()) ? 'A sector number' : undefined);
  const [filter, setFilter] = createSignal<Filter>(pilotError() || sectorError() ? {} : filterNow());
  const [logs] = createResource(filter, (f) => props.api.admin.combat.list(f));
  return (
    <section aria-labelledby="combat-title">
      <h1 id="combat-title">Combat logs</h1>
      <form
        class="filters"
        aria-label="Filter the combat logs"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (pilotError() || sectorError()) return;
          const next = filterNow();
          const search = new URLSearchParams(
            Object.entries({ pilot: next.pilot, sector: next.sector, result: next.result }).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
          ).toString();
          props.router.go(`/combat${search ? `?${search}` : ''}`, true);
          setFilter(next);
        }}
      >
        <Field id="combat-pilot" label="Pilot (account id)" value={pilot()} onInput={setPilot} error={pilotError()} hint="Either side of the fight" />
        <Field id="combat-sector" label="Sector" value={sector()} onInput={setSector} error={sectorError()} inputProps={{ inputmode: 'numeric' }} />
        <div class="field">
          <label for="combat-result">Result</label>
          <select id="combat-result" value={result()} onChange={(e) => setResult(e.currentTarget.value)}>
            <option value="">Any</option>
            <For each={RESULTS}>{(r) => <option value={r}>{r}</option>}</For>
          </select>
        </div>
        <Field id="combat-from" label="From" type="datetime-local" value={from()} onInput={setFrom} />
        <Field id="combat-to" label="To" type="datetime-local" value={to()} onInput={setTo} />
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      <Show when={logs.error}>
        <FormError message={describeProblem(logs.error)} />
      </Show>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Sector</th>
            <th scope="col">Attacker</th>
            <th scope="col">Defender</th>
            <th scope="col">Result</th>
            <th scope="col">Log</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={logs.latest?.logs ?? []}
            fallback={
              <tr>
                <td colSpan={6} class="muted" data-testid="combat-empty">
                  {logs.loading ? 'Loading…' : 'No engagements match.'}
                </td>
              </tr>
            }
          >
            {(log) => (
              <tr data-testid="combat-row">
                <td>{when(log.created_at)}</td>
                <td class="num">{log.sector_id}</td>
                <td>
                  <PlayerLink router={props.router} id={log.attacker_id} name={log.attacker} />
                </td>
                <td>
                  <PlayerLink router={props.router} id={log.defender_id} name={log.defender} />
                </td>
                <td>
                  <Outcome result={log.result} />
                </td>
                <td>
                  <a
                    href={`/admin/combat/${log.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      props.router.go(`/combat/${log.id}`);
                    }}
                  >
                    Open
                  </a>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}

function Outcome(props: { result: string }) {
  return <span class={`status ${props.result === 'destroyed' ? 'bad' : 'ok'}`}>{props.result}</span>;
}

interface SideState {
  fighters: number;
  shields: number;
}
/** The engagement as the log keeps it (game/combat.ts `Engagement`): each side's start, every round, the losses. */
export interface Engagement {
  attacker: SideState;
  defender: SideState;
  rounds: CombatRound[];
  attacker_fighters_lost: number;
  attacker_shields_lost: number;
  defender_fighters_lost: number;
  defender_shields_lost: number;
  /** what was attacked besides a ship: deployed fighters, a planet */
  kind?: string;
}

/** The log's `detail` read as an engagement, or null when it is not one (the API types it loosely). */
export function engagementOf(detail: unknown): Engagement | null {
  const value = typeof detail === 'string' ? safeJson(detail) : detail;
  if (!value || typeof value !== 'object') return null;
  const e = value as Record<string, unknown>;
  const side = (s: unknown): s is SideState => Boolean(s) && typeof (s as SideState).fighters === 'number' && typeof (s as SideState).shields === 'number';
  const counts = ['attacker_fighters_lost', 'attacker_shields_lost', 'defender_fighters_lost', 'defender_shields_lost'];
  if (!side(e.attacker) || !side(e.defender) || !Array.isArray(e.rounds) || !counts.every((k) => typeof e[k] === 'number')) return null;
  return value as Engagement;
}

/** "12 of 30": how much of what a side brought it lost. */
const lost = (n: number, of: number) => `${n} of ${of}`;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function CombatLogDetail(props: ViewProps & { id: string }) {
  const [log] = createResource(
    () => props.id,
    (id) => props.api.admin.combat.get(id),
  );
  return (
    <section aria-labelledby="combat-log-title">
      <p>
        <a
          href="/admin/combat"
          onClick={(e) => {
            e.preventDefault();
            props.router.go('/combat');
          }}
        >
          ← Combat logs
        </a>
      </p>
      <Show when={log.error}>
        <FormError message={describeProblem(log.error)} />
      </Show>
      <Show when={log.latest}>
        {(l) => (
          <>
            <header class="player-head">
              <h1 id="combat-log-title">
                {l().attacker} vs {l().defender}
              </h1>
              <Outcome result={l().result} />
            </header>
            <div class="panels combat-panels">
              <div class="card">
                <h2>Engagement</h2>
                <LogFacts router={props.router} log={l()} seed={l().seed} />
              </div>
              <Show when={engagementOf(l().detail)} fallback={<p class="muted">This log keeps no rounds.</p>}>
                {(e) => (
                  <>
                    <div class="card">
                      <h2>Losses</h2>
                      <div class="scroll">
                        <table class="table combat-table" data-testid="combat-losses">
                          <thead>
                            <tr>
                              <th scope="col">Side</th>
                              <th scope="col" class="num">
                                Fighters lost
                              </th>
                              <th scope="col" class="num">
                                Shields lost
                              </th>
                            </tr>
                          </thead>
                          <tbody>
                            <tr>
                              <th scope="row">{l().attacker}</th>
                              <td class="num">{lost(e().attacker_fighters_lost, e().attacker.fighters)}</td>
                              <td class="num">{lost(e().attacker_shields_lost, e().attacker.shields)}</td>
                            </tr>
                            <tr>
                              <th scope="row">{l().defender}</th>
                              <td class="num">{lost(e().defender_fighters_lost, e().defender.fighters)}</td>
                              <td class="num">{lost(e().defender_shields_lost, e().defender.shields)}</td>
                            </tr>
                          </tbody>
                        </table>
                      </div>
                    </div>
                    <div class="card span">
                      <h2>Rounds</h2>
                      <Rounds rounds={e().rounds} attacker={l().attacker} defender={l().defender} />
                    </div>
                  </>
                )}
              </Show>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function LogFacts(props: { router: ViewProps['router']; log: AdminCombatLog; seed: string }) {
  return (
    <dl class="facts">
      <dt>When</dt>
      <dd>{when(props.log.created_at)}</dd>
      <dt>Where</dt>
      <dd>
        sector {props.log.sector_id} (region {props.log.region_id})
      </dd>
      <dt>Attacker</dt>
      <dd>
        <PlayerLink router={props.router} id={props.log.attacker_id} name={props.log.attacker} />
      </dd>
      <dt>Defender</dt>
      <dd>
        <PlayerLink router={props.router} id={props.log.defender_id} name={props.log.defender} />
      </dd>
      <dt>Seed</dt>
      <dd class="mono small" data-testid="combat-seed">
        {props.seed}
      </dd>
      <dt>Log id</dt>
      <dd class="mono small">{props.log.id}</dd>
    </dl>
  );
}

function Rounds(props: { rounds: CombatRound[]; attacker: string; defender: string }) {
  return (
    <div class="scroll">
      <table class="table combat-table" data-testid="combat-rounds">
        <thead>
          <tr>
            <td />
            <th scope="colgroup" colSpan={2}>
              Hits
            </th>
            <th scope="colgroup" colSpan={2}>
              {props.attacker} left
            </th>
            <th scope="colgroup" colSpan={2}>
              {props.defender} left
            </th>
          </tr>
          <tr>
            <th scope="col" class="num">
              Round
            </th>
            <th scope="col" class="num">
              by attacker
            </th>
            <th scope="col" class="num">
              by defender
            </th>
            <th scope="col" class="num">
              fighters
            </th>
            <th scope="col" class="num">
              shields
            </th>
            <th scope="col" class="num">
              fighters
            </th>
            <th scope="col" class="num">
              shields
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rounds}>
            {(r) => (
              <tr data-testid="combat-round">
                <td class="num">{r.round}</td>
                <td class="num">{r.attacker_hits}</td>
                <td class="num">{r.defender_hits}</td>
                <td class="num">{r.attacker_fighters}</td>
                <td class="num">{r.attacker_shields}</td>
                <td class="num">{r.defender_fighters}</td>
                <td class="num">{r.defender_shields}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
