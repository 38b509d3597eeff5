import { createMemo, createResource, createSignal, Show } from 'solid-js';
import { FormError } from '../components/forms.js';
import { describeProblem } from '../problems.js';
import { holds, type ViewProps } from '../sections.js';
import { GalaxyMap } from '../universe/GalaxyMap.js';
import { GeneratePanel } from '../universe/GeneratePanel.js';
import { SectorEditor } from '../universe/SectorEditor.js';

const WINDOWS = [
  { minutes: 15, label: 'last 15 minutes' },
  { minutes: 60, label: 'last hour' },
  { minutes: 24 * 60, label: 'last day' },
];

/**
 * Universe: generate a new region (or, before anyone plays, a galaxy) with its progress live; the
 * galaxy map tinted by recent activity; a sector's warps, port and planets to edit. Viewing needs
 * admin:read; every change needs admin:universe.
 */
export function UniverseView(props: ViewProps) {
  const mayEdit = () => holds(props.me, 'admin:universe');
  const [map, { refetch: refetchMap }] = createResource(() => props.api.admin.universe.map());
  const [minutes, setMinutes] = createSignal(60);
  const [activity, { refetch: refetchActivity }] = createResource(minutes, (m) => props.api.admin.ops.activity({ minutes: m, limit: 500 }));
  const heat = createMemo(() => new Map((activity.latest?.sectors ?? []).map((s) => [s.sector_id, s.arrivals + s.trades + s.combats])));
  const selectedFromRoute = () => {
    const id = Number(props.rest.replace(/^\//, ''));
    return Number.isInteger(id) && id > 0 ? id : null;
  };
  const [fresh, setFresh] = createSignal<number | null>(null);
  const [goTo, setGoTo] = createSignal('');
  const select = (id: number | null) => props.router.go(id ? `/universe/${id}` : '/universe', true);

  return (
    <section aria-labelledby="universe-title">
      <h1 id="universe-title">Universe</h1>
      <div class="panels universe">
        <GeneratePanel
          api={props.api}
          mayGenerate={mayEdit()}
          playingPilots={map.latest?.playing_pilots}
          onWritten={(regionId) => {
            setFresh(regionId);
            void refetchMap();
          }}
        />
        <section class="card span" aria-labelledby="map-title">
          <div class="player-head">
            <h2 id="map-title">Galaxy map</h2>
            <span class="muted small" data-testid="map-summary">
              {map.latest ? `${map.latest.sectors.id.length.toLocaleString('en-US')} sectors · ${map.latest.regions.map((r) => r.name).join(', ')}` : ''}
            </span>
          </div>
          <div class="row">
            <label for="heat-window">Activity</label>
            <select id="heat-window" value={String(minutes())} onChange={(e) => setMinutes(Number(e.currentTarget.value))}>
              {WINDOWS.map((w) => (
                <option value={String(w.minutes)}>{w.label}</option>
              ))}
            </select>
            <button type="button" class="secondary" onClick={() => void refetchActivity()}>
              Refresh
            </button>
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (/^\d+$/.test(goTo().trim())) select(Number(goTo()));
              }}
            >
              <label for="sector-go">Sector</label>
              <input id="sector-go" type="number" min="1" value={goTo()} onInput={(e) => setGoTo(e.currentTarget.value)} />
              <button type="submit" class="secondary">
                Open
              </button>
            </form>
          </div>
          <Show when={map.error}>
            <FormError message={describeProblem(map.error)} />
          </Show>
          <Show when={activity.error}>
            <FormError message={`Activity: ${describeProblem(activity.error)}`} />
          </Show>
          <Show when={map.latest} fallback={<p class="muted">{map.loading ? 'Loading the map…' : ''}</p>}>
            {(m) => <GalaxyMap map={m()} activity={heat()} selected={selectedFromRoute()} highlightRegion={fresh()} onSelect={select} />}
          </Show>
        </section>
        <Show when={selectedFromRoute()} keyed>
          {(id) => <SectorEditor api={props.api} id={id} mayEdit={mayEdit()} onChanged={() => void refetchMap()} onClose={() => select(null)} />}
        </Show>
      </div>
    </section>
  );
}
