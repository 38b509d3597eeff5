import { Match, onMount, Show, Switch } from 'solid-js';
import { count } from '../../format.js';
import { useFlight } from '../../flight.js';
import { describeProblem } from '../../problems.js';
import { Loading, Problem } from '../common/Status.js';
import { WarpPad } from '../cockpit/WarpPad.js';
import { GalaxyMap } from './GalaxyMap.js';

/** The chart room: the known galaxy, and a course to any sector on it, flown by autopilot. */
export function MapScreen() {
  const { navigator, cockpit } = useFlight();
  const state = navigator.state;
  onMount(() => void navigator.load());
  const here = () => cockpit.state.player?.sector_id ?? state.map?.current_sector_id ?? 0;
  const selectedSector = () => state.map?.sectors.find((s) => s.id === state.selected) ?? null;
  const flying = () => state.autopilot?.status === 'flying';

  return (
    <div class="map-screen">
      <div class="map-stage">
        <Switch>
          <Match when={!state.map && state.error}>
            <Problem error={state.error} retry={() => void navigator.load()} />
          </Match>
          <Match when={!state.map}>
            <Loading what="Reading the charts…" />
          </Match>
          <Match when={state.map}>
            {(map) => (
              <GalaxyMap
                map={map()}
                current={here()}
                selected={state.selected}
                course={state.autopilot?.status === 'flying' ? state.autopilot.path : (state.course?.path ?? null)}
                onSelect={navigator.select}
              />
            )}
          </Match>
        </Switch>
      </div>
      <aside class="panel course-panel" aria-label="Course">
        <h2>
          <span class="eyebrow">Helm</span> Sector {here()}
        </h2>
        <Show when={cockpit.state.sector}>
          {(sector) => (
            <WarpPad
              warps={sector().warps}
              warpingTo={cockpit.state.warpingTo}
              error={flying() ? null : cockpit.state.warpError}
              onWarp={(to, toll) => void cockpit.warp(to, toll)}
            />
          )}
        </Show>
        <div class="course-plot">
          <h3>Course</h3>
          <Show when={state.selected !== null} fallback={<p class="hint">Click a sector on the map to plot a course there.</p>}>
            <p class="target">
              To sector <b>{state.selected}</b>
              <Show when={selectedSector()?.port_class != null}>
                <span class="muted"> · port class {selectedSector()!.port_class}</span>
              </Show>
            </p>
            <Switch>
              <Match when={state.selected === here() && !state.autopilot}>
                <p class="hint">You are here.</p>
              </Match>
              <Match when={!state.autopilot && state.map?.unexplored?.some((s) => s.id === state.selected)}>
                <Show
                  when={cockpit.state.sector?.warps.some((w) => w.to === state.selected)}
                  fallback={<p class="hint">Not visited yet: courses run through sectors you know. Fly next to it, then warp in.</p>}
                >
                  <p class="hint">Not visited yet, one warp from here.</p>
                  <button type="button" class="primary" disabled={cockpit.state.warpingTo !== null} onClick={() => void cockpit.warp(state.selected!)}>
                    Warp to sector {state.selected}
                  </button>
                </Show>
              </Match>
              <Match when={state.plotting}>
                <Loading what="Plotting…" />
              </Match>
              <Match when={state.plotError}>
                <p class="warp-error" role="alert">
                  {describeProblem(state.plotError)}
                </p>
              </Match>
              <Match when={state.course && !state.autopilot}>
                <p>
                  {count(state.course!.hops)} {state.course!.hops === 1 ? 'hop' : 'hops'} · {count(state.course!.turns)} turns
                </p>
                <p class="path muted">{state.course!.path.join(' → ')}</p>
                <button type="button" class="primary" onClick={() => void navigator.engage()}>
                  Engage autopilot
                </button>
              </Match>
            </Switch>
            <Show when={state.autopilot}>
              {(pilot) => (
                <div class="autopilot" role="status">
                  <p>
                    <Switch>
                      <Match when={pilot().status === 'flying'}>
                        Autopilot: hop {pilot().flown + 1} of {pilot().path.length - 1} → sector {pilot().path[pilot().flown + 1]}
                      </Match>
                      <Match when={pilot().status === 'arrived'}>Arrived at sector {pilot().path.at(-1)}.</Match>
                      <Match when={pilot().status === 'stopped'}>Autopilot stopped at sector {pilot().path[pilot().flown]}.</Match>
                      <Match when={pilot().status === 'failed'}>Autopilot halted: {describeProblem(pilot().error)}</Match>
                    </Switch>
                  </p>
                  <div class="hops" aria-hidden="true">
                    {pilot()
                      .path.slice(1)
                      .map((_, i) => (
                        <span classList={{ done: i < pilot().flown }} />
                      ))}
                  </div>
                  <Show when={pilot().status === 'flying'}>
                    <button type="button" onClick={() => navigator.stop()}>
                      Stop after this hop
                    </button>
                  </Show>
                </div>
              )}
            </Show>
          </Show>
        </div>
      </aside>
    </div>
  );
}
