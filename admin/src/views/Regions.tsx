import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { type AdminRegionHealth, type AdminRegionJob, ApiError, type ApiClient } from '../../../client/index.js';
import { Field, FormError, useSubmission } from '../components/forms.js';
import { refreshWhileVisible } from '../components/refresh.js';
import { loaded } from '../components/resources.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';

/** how often the list asks again while it is on screen */
export const REGIONS_REFRESH_MS = 5_000;
/** how often a region being created is asked about */
export const JOB_POLL_MS = 1_000;
const MAX_API_REPLICAS = 16;
const NEEDS_SCOPE = 'Needs the admin:regions scope';

type Step = AdminRegionJob['step'];
/** The create job's steps in order, as the manager runs them, and what each one means. */
export const STEPS: Array<{ step: Step; label: string }> = [
  { step: 'database', label: 'Its database, made on the database server' },
  { step: 'shard', label: 'Its shard: migrations and its cut of the galaxy, in the registry' },
  { step: 'services', label: 'Its api, realtime and jobs started' },
  { step: 'ready', label: 'Every api replica answers /readyz' },
];

export type StepState = 'done' | 'running' | 'failed' | 'pending';

/**
 * Where each step stands. The manager records a step when it begins, and `ready` once the api
 * answers: a step is done once a later one has begun (or the job is done).
 */
export function stepStates(job: AdminRegionJob): StepState[] {
  const begun = job.steps.map((s) => s.step);
  return STEPS.map(({ step }) => {
    const at = begun.indexOf(step);
    if (at === -1) return 'pending';
    if (job.state === 'done' || at < begun.length - 1) return 'done';
    return job.state === 'failed' ? 'failed' : 'running';
  });
}

type Action = { kind: 'scale' | 'stop' | 'start' | 'delete'; region: AdminRegionHealth };

/**
 * Regions (issue 21): every region in the registry with its health from the region manager —
 * state, api replicas wanted and running, restarts, each replica's /readyz and request rate —
 * and, with admin:regions, creating one (its steps shown as they complete), scaling its api,
 * stopping, starting and deleting it. Viewing needs admin:read.
 */
export function RegionsView(props: ViewProps) {
  const mayAct = () => holds(props.me, 'admin:regions');
  const [regions, { refetch }] = createResource(() => props.api.admin.regions.list());
  refreshWhileVisible(() => void refetch(), REGIONS_REFRESH_MS);
  const [acting, setActing] = createSignal<Action | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const finished = (message: string) => {
    setActing(null);
    setDone(message);
    void refetch();
  };
  return (
    <section aria-labelledby="regions-title">
      <header class="view-head">
        <h1 id="regions-title">Regions</h1>
        <div class="row">
          <span class="muted small" role="status">
            {regions.loading ? 'Refreshing…' : `Health again every ${REGIONS_REFRESH_MS / 1000} s`}
          </span>
          <button type="button" class="secondary" onClick={() => void refetch()} disabled={regions.loading}>
            Refresh
          </button>
        </div>
      </header>
      <Show when={!mayAct()}>
        <p class="muted" data-testid="regions-read-only">
          You can see the regions; creating, scaling, stopping and deleting them need the admin:regions scope.
        </p>
      </Show>
      <Show when={done()}>
        <p class="notice" role="status" data-testid="region-done">
          {done()}
        </p>
      </Show>
      <Show when={regions.error}>
        <FormError message={listProblem(regions.error)} />
      </Show>
      <Show when={loaded(regions)}>
        {(r) => (
          <table class="table" aria-label="Regions">
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">State</th>
                <th scope="col">api replicas</th>
                <th scope="col" class="num">
                  Restarts
                </th>
                <th scope="col">Replicas (/readyz, requests/s)</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              <For
                each={r().regions}
                fallback={
                  <tr>
                    <td colSpan={6} class="muted">
                      No region is registered.
                    </td>
                  </tr>
                }
              >
                {(region) => <RegionRow region={region} mayAct={mayAct()} onAct={(kind) => setActing({ kind, region })} />}
              </For>
            </tbody>
          </table>
        )}
      </Show>
      <p class="muted small">Driver: {loaded(regions)?.driver ?? '…'}</p>
      <CreateRegion api={props.api} mayAct={mayAct()} onCreated={() => void refetch()} />
      <Show when={acting()} keyed>
        {(a) => <RegionAction api={props.api} action={a} onCancel={() => setActing(null)} onDone={finished} />}
      </Show>
    </section>
  );
}

/** A game with no region manager answers 404 under /admin/regions: say what to start, not "Not found". */
export function listProblem(err: unknown): string {
  return err instanceof ApiError && err.status === 404 && err.code === 'not_found'
    ? 'No region manager serves this game: run `sectorwars regions`, or set DOCKER_SOCKET for the game process.'
    : describeProblem(err);
}

const apiOf = (region: AdminRegionHealth) => region.services.find((s) => s.service === 'api');

function RegionRow(props: { region: AdminRegionHealth; mayAct: boolean; onAct(kind: Action['kind']): void }) {
  const api = () => apiOf(props.region);
  const restarts = () => props.region.services.reduce((sum, s) => sum + s.restarts, 0);
  /** why the row's buttons are off, or null when they work */
  const refusal = () => (!props.mayAct ? NEEDS_SCOPE : !props.region.managed ? 'Run outside the region manager: change it where it runs' : null);
  const healthy = () => {
    const a = api();
    return props.region.state === 'active' && a !== undefined && a.running === a.wanted && a.replicas.every((r) => r.ready);
  };
  return (
    <tr data-testid="region-row" data-slug={props.region.slug}>
      <th scope="row">
        <strong>{props.region.name}</strong> <code class="small">{props.region.slug}</code>
        <Show when={!props.region.managed}>
          <span class="badge">external</span>
        </Show>
      </th>
      <td>
        <span class={`status ${props.region.state === 'stopped' ? 'bad' : props.region.managed && !healthy() ? '' : 'ok'}`} data-testid="region-state">
          {props.region.state}
        </span>
      </td>
      <td data-testid="region-api">
        <Show when={api()} fallback={<span class="muted">not run by the manager</span>}>
          {(a) => `${a().running}/${a().wanted} running`}
        </Show>
      </td>
      <td class="num" data-testid="region-restarts">
        {props.region.managed ? restarts() : '—'}
      </td>
      <td>
        <ul class="plain small">
          <For each={api()?.replicas ?? []} fallback={<li class="muted">{props.region.api_urls.join(', ') || '—'}</li>}>
            {(replica) => (
              <li data-testid="region-replica" data-ready={String(replica.ready)}>
                <code>{replica.address}</code> <span class={`status ${replica.ready ? 'ok' : 'bad'}`}>{replica.ready ? 'ready' : 'not ready'}</span>{' '}
                <span class="muted">
                  {replica.state}
                  {replica.restarts > 0 ? ` · ${replica.restarts} restarts` : ''} ·{' '}
                  {replica.requests_per_second === null ? 'rate on the next look' : `${replica.requests_per_second} req/s`}
                </span>
              </li>
            )}
          </For>
        </ul>
      </td>
      <td class="actions">
        <button type="button" class="secondary" disabled={refusal() !== null} title={refusal() ?? undefined} onClick={() => props.onAct('scale')}>
          Scale…
        </button>
        <Show
          when={props.region.state === 'active'}
          fallback={
            <button type="button" class="secondary" disabled={refusal() !== null} title={refusal() ?? undefined} onClick={() => props.onAct('start')}>
              Start…
            </button>
          }
        >
          <button type="button" class="secondary" disabled={refusal() !== null} title={refusal() ?? undefined} onClick={() => props.onAct('stop')}>
            Stop…
          </button>
        </Show>
        <button type="button" class="danger" disabled={refusal() !== null} title={refusal() ?? undefined} onClick={() => props.onAct('delete')}>
          Delete…
        </button>
      </td>
    </tr>
  );
}

const replicasValid = (text: string) => /^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= MAX_API_REPLICAS;

function RegionAction(props: { api: ApiClient; action: Action; onCancel(): void; onDone(message: string): void }) {
  const region = () => props.action.region;
  const slug = () => region().slug;
  const [replicas, setReplicas] = createSignal(String(apiOf(region())?.wanted || 1));
  const [keepDump, setKeepDump] = createSignal(true);
  const [typed, setTyped] = createSignal('');
  return (
    <Switch>
      <Match when={props.action.kind === 'scale'}>
        <TotpPrompt
          title={`Scale ${region().name}`}
          confirm="Scale"
          reason
          invalid={!replicasValid(replicas())}
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            const result = await props.api.admin.regions.scale(slug(), { api_replicas: Number(replicas()), reason });
            const { api_replicas } = result.after as { api_replicas: number };
            props.onDone(`${region().name} runs ${api_replicas} api ${api_replicas === 1 ? 'replica' : 'replicas'}.`);
          }}
        >
          <Field id="scale-replicas" label="api replicas" value={replicas()} onInput={setReplicas} type="number" hint={`1–${MAX_API_REPLICAS}`} />
        </TotpPrompt>
      </Match>
      <Match when={props.action.kind === 'stop'}>
        <TotpPrompt
          title={`Stop ${region().name}`}
          confirm="Stop the region"
          reason
          totp
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            await props.api.admin.regions.stop(slug(), { reason }, code);
            props.onDone(`${region().name} is stopped.`);
          }}
        >
          <p>Every process of {region().name} stops: its pilots cannot play until it starts again.</p>
        </TotpPrompt>
      </Match>
      <Match when={props.action.kind === 'start'}>
        <TotpPrompt
          title={`Start ${region().name}`}
          confirm="Start the region"
          reason
          onCancel={props.onCancel}
          onConfirm={async ({ reason }) => {
            await props.api.admin.regions.start(slug(), { reason });
            props.onDone(`${region().name} is starting.`);
          }}
        />
      </Match>
      <Match when={props.action.kind === 'delete'}>
        <TotpPrompt
          title={`Delete the region ${region().name}`}
          confirm="Delete the region"
          reason
          totp
          invalid={typed().trim() !== slug()}
          onCancel={props.onCancel}
          onConfirm={async ({ reason, code }) => {
            const result = await props.api.admin.regions.delete(slug(), { keep_dump: keepDump(), reason }, code);
            props.onDone(`${region().name} is deleted.${result.dump ? ` Its final dump: ${result.dump}` : ' No dump was kept.'}`);
          }}
        >
          <p>Its processes stop, its database is dropped and it leaves the registry: the pilots in {region().name} lose it. This cannot be undone.</p>
          <label class="check">
            <input type="checkbox" checked={keepDump()} onChange={(e) => setKeepDump(e.currentTarget.checked)} /> Keep a final dump of its database
          </label>
          <Field id="delete-slug" label={`Type ${slug()} to confirm`} value={typed()} onInput={setTyped} />
        </TotpPrompt>
      </Match>
    </Switch>
  );
}

function CreateRegion(props: { api: ApiClient; mayAct: boolean; onCreated(): void }) {
  const [slug, setSlug] = createSignal('');
  const [replicas, setReplicas] = createSignal('1');
  const [confirming, setConfirming] = createSignal(false);
  const [job, setJob] = createSignal<AdminRegionJob | null>(null);
  const polling = useSubmission();
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopPolling = () => clearInterval(timer);
  onCleanup(stopPolling);
  const follow = (started: AdminRegionJob) => {
    setJob(started);
    stopPolling();
    timer = setInterval(() => {
      void polling.run(async () => {
        const next = await props.api.admin.regions.job(started.slug, started.id);
        setJob(next);
        if (next.state !== 'running') {
          stopPolling();
          props.onCreated();
        }
      });
    }, JOB_POLL_MS);
  };
  const running = () => job()?.state === 'running';
  const ready = () => /^[a-z][a-z0-9-]{0,31}$/.test(slug().trim()) && replicasValid(replicas());
  return (
    <section class="card" aria-labelledby="create-region-title">
      <h2 id="create-region-title">Create a region</h2>
      <p class="muted small">A region the galaxy plan names: the manager makes its database, its shard and its processes, and links its gate.</p>
      <div class="filters">
        <Field id="create-slug" label="Slug" value={slug()} onInput={setSlug} hint="A region of the galaxy plan, e.g. nexus" />
        <Field id="create-replicas" label="api replicas" value={replicas()} onInput={setReplicas} type="number" hint={`1–${MAX_API_REPLICAS}`} />
      </div>
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={!props.mayAct || !ready() || running()}
          title={!props.mayAct ? NEEDS_SCOPE : running() ? 'A region is being created' : undefined}
          onClick={() => setConfirming(true)}
        >
          Create…
        </button>
        <Show when={props.mayAct && !ready() && slug() !== ''}>
          <span class="muted small">A slug of lowercase letters, digits and dashes, and 1–{MAX_API_REPLICAS} replicas.</span>
        </Show>
      </div>
      <Show when={job()}>{(j) => <CreateProgress job={j()} />}</Show>
      <FormError message={polling.message()} />
      <Show when={confirming()}>
        <TotpPrompt
          title={`Create the region ${slug().trim()}`}
          confirm="Create the region"
          reason
          onCancel={() => setConfirming(false)}
          onConfirm={async ({ reason }) => {
            const accepted = await props.api.admin.regions.create({ slug: slug().trim(), api_replicas: Number(replicas()), reason });
            setConfirming(false);
            follow(accepted.job);
          }}
        />
      </Show>
    </section>
  );
}

/** The create job's steps as they complete, and its error when it fails. */
export function CreateProgress(props: { job: AdminRegionJob }) {
  const states = () => stepStates(props.job);
  return (
    <div class="card" data-testid="create-progress" data-state={props.job.state}>
      <h3>
        Creating {props.job.slug}:{' '}
        <span class={`status ${props.job.state === 'done' ? 'ok' : props.job.state === 'failed' ? 'bad' : ''}`} data-testid="create-status">
          {props.job.state}
        </span>
      </h3>
      <ol class="plain">
        <For each={STEPS}>
          {(s, i) => (
            <li data-testid="create-step" data-step={s.step} data-state={states()[i()]}>
              {states()[i()] === 'done' ? '✓' : states()[i()] === 'running' ? '…' : states()[i()] === 'failed' ? '✗' : '○'} {s.label}
              <Show when={s.step === 'shard' && props.job.progress.length > 0}>
                <ul class="plain small muted" aria-label="The shard's galaxy, written">
                  <For each={props.job.progress}>
                    {(p) => (
                      <li data-testid="create-table">
                        {p.table}: {p.written.toLocaleString('en')} / {p.total.toLocaleString('en')}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={props.job.error}>
        {(error) => (
          <p class="error-text" role="alert" data-testid="create-error">
            {error()}
          </p>
        )}
      </Show>
    </div>
  );
}
