import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import type { AdminGalaxyPreview, AdminRegionPreview, ApiClient, RealtimeFrame } from '../../../client/index.js';
import { createAdminLink } from '../admin-link.js';
import { Field, FormError, useSubmission } from '../components/forms.js';
import { TotpPrompt } from '../components/TotpPrompt.js';
import { type JobProgress, startProgress, withFrame, withJob } from './job-progress.js';

type Mode = 'region' | 'galaxy';
/** frames kept for a job whose 202 arrives after its first events (a small region is written in a blink) */
const EARLY_FRAMES = 200;
const POLL_MS = 1_000;

const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

/**
 * Generate: a new region beside the galaxy (the default), or a galaxy that replaces it (only
 * before anyone plays). Preview first; commit with a reason and a fresh code; then the job's
 * progress from the admin realtime topic, or from polling the job while the socket is down.
 */
export function GeneratePanel(props: { api: ApiClient; mayGenerate: boolean; playingPilots: number | undefined; onWritten(regionId: number | null): void }) {
  const [mode, setMode] = createSignal<Mode>('region');
  const [name, setName] = createSignal('');
  const [slug, setSlug] = createSignal('');
  const [sectors, setSectors] = createSignal('200');
  const [terran, setTerran] = createSignal('500');
  const [nexus, setNexus] = createSignal('1000');
  const [seed, setSeed] = createSignal('');
  const [portDensity, setPortDensity] = createSignal('');
  const [planetDensity, setPlanetDensity] = createSignal('');
  const [preview, setPreview] = createSignal<{ key: string; mode: Mode; view: AdminRegionPreview | AdminGalaxyPreview } | null>(null);
  const [confirming, setConfirming] = createSignal(false);
  const [progress, setProgress] = createSignal<JobProgress | null>(null);
  const previewing = useSubmission();
  const replaceRefused = () => (props.playingPilots ?? 0) > 0;

  const densities = () => ({
    ...(optionalNumber(portDensity()) !== undefined ? { port_density: optionalNumber(portDensity())! } : {}),
    ...(optionalNumber(planetDensity()) !== undefined ? { planet_density: optionalNumber(planetDensity())! } : {}),
  });
  const regionBody = () => ({
    name: name().trim(),
    slug: slug().trim(),
    sectors: Number(sectors()),
    ...(seed().trim() ? { seed: seed().trim() } : {}),
    ...densities(),
  });
  const galaxyBody = () => ({
    terran_sectors: Number(terran()),
    nexus_sectors: Number(nexus()),
    ...(seed().trim() ? { seed: seed().trim() } : {}),
    ...densities(),
  });
  const key = () => JSON.stringify(mode() === 'region' ? regionBody() : galaxyBody());
  /** The preview still describes what the form says (its seed pinned, so the commit is what was shown). */
  const current = () => {
    const shown = preview();
    return shown && shown.key === key() && shown.mode === mode() ? shown : null;
  };

  const early: RealtimeFrame[] = [];
  const advance = (next: JobProgress) => {
    const before = progress();
    if (next === before) return;
    setProgress(next);
    if (next.state === 'done' && before?.state !== 'done') props.onWritten(next.written?.regionId ?? null);
  };
  const link = createAdminLink(props.api, (frame) => {
    early.push(frame);
    if (early.length > EARLY_FRAMES) early.shift();
    const p = progress();
    if (p) advance(withFrame(p, frame));
  });
  // The fallback: while a job runs and the socket is not live, read the job once a second.
  createEffect(() => {
    const p = progress();
    if (p?.state !== 'running' || link.live()) return;
    const timer = setInterval(() => {
      void props.api.admin.universe.job(p.id).then(
        (job) => {
          const now = progress();
          if (now) advance(withJob(now, job));
        },
        () => {},
      );
    }, POLL_MS);
    onCleanup(() => clearInterval(timer));
  });

  const runPreview = () =>
    previewing.run(async () => {
      const asked = mode();
      const view = asked === 'region' ? await props.api.admin.universe.previewRegion(regionBody()) : await props.api.admin.universe.previewGalaxy(galaxyBody());
      // Pin the seed the server chose, so the commit writes exactly what was previewed.
      if (!seed().trim()) setSeed(view.params.seed);
      setPreview({ key: key(), mode: asked, view });
    });

  const commit = async ({ reason, code }: { reason: string; code: string }) => {
    const accepted =
      mode() === 'region'
        ? await props.api.admin.universe.commitRegion({ ...regionBody(), reason }, code)
        : await props.api.admin.universe.commitGalaxy({ ...galaxyBody(), reason }, code);
    setConfirming(false);
    let p = startProgress(accepted.job);
    for (const frame of early) p = withFrame(p, frame);
    setProgress(null);
    advance(p);
  };

  return (
    <section class="card" aria-labelledby="generate-title">
      <h2 id="generate-title">Generate</h2>
      <Show when={!props.mayGenerate}>
        <p class="muted">Previewing and generating need the admin:universe scope.</p>
      </Show>
      <fieldset disabled={!props.mayGenerate}>
        <legend>What to make</legend>
        <label class="check">
          <input type="radio" name="generate-mode" checked={mode() === 'region'} onChange={() => setMode('region')} />
          <span>A new region beside the galaxy (players keep playing)</span>
        </label>
        <label class="check">
          <input type="radio" name="generate-mode" checked={mode() === 'galaxy'} disabled={replaceRefused()} onChange={() => setMode('galaxy')} />
          <span>Replace the galaxy</span>
        </label>
        <Show when={replaceRefused()}>
          <p class="field-hint" data-testid="replace-refused">
            {props.playingPilots} pilots have played: a galaxy is replaced only before anyone plays.
          </p>
        </Show>
      </fieldset>
      <div class="filters">
        <Show
          when={mode() === 'region'}
          fallback={
            <>
              <Field id="gen-terran" label="Terran Space sectors" value={terran()} onInput={setTerran} type="number" hint="20–20,000" />
              <Field id="gen-nexus" label="Central Nexus sectors" value={nexus()} onInput={setNexus} type="number" hint="0 for none" />
            </>
          }
        >
          <Field id="gen-name" label="Region name" value={name()} onInput={setName} error={previewing.fieldError('name')} />
          <Field id="gen-slug" label="Slug" value={slug()} onInput={setSlug} error={previewing.fieldError('slug')} hint="lowercase, digits, dashes" />
          <Field
            id="gen-sectors"
            label="Sectors"
            value={sectors()}
            onInput={setSectors}
            type="number"
            error={previewing.fieldError('sectors')}
            hint="20–20,000"
          />
        </Show>
        <Field id="gen-seed" label="Seed" value={seed()} onInput={setSeed} hint="Random when empty" />
        <Field id="gen-ports" label="Port density" value={portDensity()} onInput={setPortDensity} type="number" hint="0.05–0.9; default 0.15" />
        <Field id="gen-planets" label="Planet density" value={planetDensity()} onInput={setPlanetDensity} type="number" hint="0–0.5; default 0.08" />
      </div>
      <FormError message={previewing.message()} />
      <div class="actions">
        <button type="button" class="secondary" disabled={!props.mayGenerate || previewing.busy()} onClick={runPreview}>
          {previewing.busy() ? 'Previewing…' : 'Preview'}
        </button>
        <button type="button" class="danger" disabled={!current() || progress()?.state === 'running'} onClick={() => setConfirming(true)}>
          Commit…
        </button>
        <Show when={preview() && !current()}>
          <span class="muted small">The parameters changed: preview again before committing.</span>
        </Show>
      </div>
      <Show when={current()}>{(shown) => <PreviewView preview={shown().view} />}</Show>
      <Show when={progress()}>{(p) => <ProgressView progress={p()} live={link.live()} />}</Show>
      <Show when={confirming()}>
        <TotpPrompt
          title={mode() === 'region' ? `Add the region ${name().trim() || slug()}` : 'Replace the galaxy'}
          confirm={mode() === 'region' ? 'Add the region' : 'Replace the galaxy'}
          reason
          totp
          onConfirm={commit}
          onCancel={() => setConfirming(false)}
        />
      </Show>
    </section>
  );
}

function PreviewView(props: { preview: AdminRegionPreview | AdminGalaxyPreview }) {
  const p = () => props.preview;
  const proof = () => p().connectivity;
  return (
    <div data-testid="generate-preview">
      <dl class="facts">
        <dt>Sectors</dt>
        <dd data-testid="preview-sectors">{p().sectors.toLocaleString('en-US')}</dd>
        <dt>Warps</dt>
        <dd>{p().warps.toLocaleString('en-US')}</dd>
        <dt>Planets</dt>
        <dd>{p().planets}</dd>
        <dt>Regions</dt>
        <dd>
          {p()
            .regions.map((r) => `${r.name} (${r.slug}, ${r.sectors} sectors)`)
            .join(' · ')}
        </dd>
        <Show when={'gate' in p() ? (p() as AdminRegionPreview).gate : null}>
          {(gate) => (
            <>
              <dt>Gate</dt>
              <dd>
                sector {gate().inside} ⇄ sector {gate().outside}
              </dd>
            </>
          )}
        </Show>
        <dt>Connectivity</dt>
        <dd data-testid="preview-connectivity" class={proof().strongly_connected ? 'ok-text' : 'bad-text'}>
          {proof().strongly_connected
            ? 'strongly connected: every sector reaches the start and is reached from it'
            : `${proof().unreachable_from_start} unreachable, ${proof().cannot_reach_start} cannot return`}
        </dd>
      </dl>
      <div class="panels">
        <table class="table">
          <caption class="muted small">Ports by class</caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col" class="num">
                Ports
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={Object.entries(p().ports_by_class).sort(([a], [b]) => Number(a) - Number(b))}>
              {([portClass, count]) => (
                <tr>
                  <td>{portClass}</td>
                  <td class="num">{count}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <table class="table">
          <caption class="muted small">Best pairs near the start</caption>
          <thead>
            <tr>
              <th scope="col">Pair</th>
              <th scope="col" class="num">
                Hops
              </th>
              <th scope="col" class="num">
                cr / turn
              </th>
            </tr>
          </thead>
          <tbody>
            <For
              each={p().best_near_pairs}
              fallback={
                <tr>
                  <td colSpan={3} class="muted">
                    No profitable pair within 10 hops.
                  </td>
                </tr>
              }
            >
              {(pair) => (
                <tr>
                  <td>
                    {pair.from} ⇄ {pair.to}
                  </td>
                  <td class="num">{pair.hops_from_start}</td>
                  <td class="num">{pair.profit_per_turn}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ProgressView(props: { progress: JobProgress; live: boolean }) {
  const p = () => props.progress;
  return (
    <div class="progress-panel" data-testid="generate-progress" data-state={p().state} aria-live="polite">
      <p>
        <strong data-testid="generate-status">{p().state === 'running' ? 'Writing…' : p().state === 'done' ? 'done' : 'failed'}</strong>{' '}
        <Show when={p().written}>{(w) => <span>{`${w().sectors} sectors, ${w().warps} warps, ${w().ports} ports written`}</span>}</Show>
        <Show when={p().error}>
          <span class="bad-text">{p().error}</span>
        </Show>
        <span class="muted small"> · {props.live ? 'live on the admin topic' : 'polling the job (the live link is down)'}</span>
      </p>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" class="num">
              Written
            </th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={p().tables}
            fallback={
              <tr>
                <td colSpan={3} class="muted">
                  Waiting for the first rows…
                </td>
              </tr>
            }
          >
            {(t) => (
              <tr data-testid="progress-row">
                <td>{t.table}</td>
                <td class="num">
                  {t.written.toLocaleString('en-US')} / {t.total.toLocaleString('en-US')}
                </td>
                <td>
                  <progress max={Math.max(1, t.total)} value={t.written} aria-label={`${t.table} written`} />
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
