import { createEffect, createMemo, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { ApiClient, Course, KnownMap } from '../../../client/index.js';
import type { Cockpit } from './cockpit.js';

export interface Autopilot {
  path: number[];
  /** hops flown so far */
  flown: number;
  status: 'flying' | 'arrived' | 'stopped' | 'failed';
  error: unknown;
}

interface NavigatorState {
  map: KnownMap | null;
  loading: boolean;
  error: unknown;
  selected: number | null;
  course: Course | null;
  plotting: boolean;
  plotError: unknown;
  autopilot: Autopilot | null;
}

/**
 * The chart room: the known map, a selected sector, the course plotted to it, and the autopilot
 * that flies that course one warp at a time (each hop a move of its own, so the cockpit follows
 * along and the pilot can stop between hops).
 */
export function createNavigator(api: Pick<ApiClient, 'player' | 'nav'>, cockpit: Pick<Cockpit, 'state' | 'warp'>) {
  const [state, setState] = createStore<NavigatorState>({
    map: null,
    loading: false,
    error: null,
    selected: null,
    course: null,
    plotting: false,
    plotError: null,
    autopilot: null,
  });
  let stopRequested = false;
  let plotRequest = 0;

  /** A sector was charted while the map was being read: the answer may not hold it, so read it again after. */
  let chartedDuringLoad = false;

  async function load() {
    chartedDuringLoad = false;
    setState({ loading: true, error: null });
    try {
      setState('map', await api.player.map());
    } catch (err) {
      setState('error', err);
    } finally {
      setState('loading', false);
    }
    if (chartedDuringLoad) await load();
  }

  // A warp into uncharted space charts a sector: fetch the map again to draw it. Warps come faster
  // than a map under load; one during a read is read again after it, or the map would miss it.
  const sectorId = createMemo(() => cockpit.state.player?.sector_id);
  createEffect(
    on(
      sectorId,
      (sectorId) => {
        if (sectorId === undefined || !state.map) return;
        if (state.map.sectors.some((s) => s.id === sectorId)) return;
        if (state.loading) chartedDuringLoad = true;
        else void load();
      },
      { defer: true },
    ),
  );

  async function plot(to: number) {
    const request = ++plotRequest;
    setState({ plotting: true, plotError: null, course: null });
    try {
      const course = await api.nav.plot(to);
      if (request === plotRequest) setState('course', course);
    } catch (err) {
      if (request === plotRequest) setState('plotError', err);
    } finally {
      if (request === plotRequest) setState('plotting', false);
    }
  }

  return {
    state,
    load,

    /** Choose a sector on the map and plot a course to it (none to where the ship already is). */
    select,

    /** Plot a course to a sector and fly it at once (the computer's autopilot button). */
    async flyTo(sectorId: number) {
      await select(sectorId);
      if (state.course?.to === sectorId) await engage();
    },

    /** Fly the plotted course hop by hop until arrival, a refusal, or a stop. */
    engage,

    stop() {
      stopRequested = true;
    },
  };

  function select(sectorId: number): Promise<void> {
    if (state.autopilot?.status === 'flying') return Promise.resolve();
    setState({ selected: sectorId, autopilot: null });
    // No course runs through space never visited: the helm offers the warp when it is next door.
    // Only a map read since the last charting says so; while one is being read the server decides.
    const unexplored = !state.loading && (state.map?.unexplored?.some((s) => s.id === sectorId) ?? false);
    if (sectorId === cockpit.state.player?.sector_id || unexplored) {
      plotRequest++;
      setState({ course: null, plotError: null, plotting: false });
      return Promise.resolve();
    }
    return plot(sectorId);
  }

  async function engage() {
    const course = state.course;
    if (!course || state.autopilot?.status === 'flying') return;
    stopRequested = false;
    setState('autopilot', { path: course.path, flown: 0, status: 'flying', error: null });
    for (let i = 1; i < course.path.length; i++) {
      if (stopRequested) {
        setState('autopilot', 'status', 'stopped');
        return;
      }
      const arrived = await cockpit.warp(course.path[i]!);
      if (!arrived) {
        setState('autopilot', { status: 'failed', error: cockpit.state.warpError });
        return;
      }
      setState('autopilot', 'flown', i);
    }
    setState('autopilot', 'status', 'arrived');
    setState('course', null);
  }
}

export type Navigator = ReturnType<typeof createNavigator>;
