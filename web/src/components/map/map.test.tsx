import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createRoot, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient, type Course, type KnownMap, type Player } from '../../../../client/index.js';
import type { Cockpit } from '../../stores/cockpit.js';
import { createNavigator } from '../../stores/navigator.js';
import { pilot } from '../../testing/fixtures.js';
import { GalaxyMap } from './GalaxyMap.js';
import { fitView, panBy, toGalaxy, zoomAt } from './viewport.js';

/** Five charted sectors: 1–2–3 in a row, 3→4 one way, 5 off to the side; 2 also leads to uncharted 99. */
const CHART: KnownMap = {
  current_sector_id: 1,
  sectors: [
    {
      id: 1,
      x: 1000,
      y: 1000,
      region_id: 1,
      zone: 'federation',
      fedspace: true,
      port_class: 0,
      planets: 0,
      your_planets: 0,
      last_seen_at: '2026-01-01T00:00:00Z',
    },
    {
      id: 2,
      x: 1100,
      y: 1000,
      region_id: 1,
      zone: 'federation',
      fedspace: true,
      port_class: null,
      planets: 0,
      your_planets: 0,
      last_seen_at: '2026-01-01T00:00:00Z',
    },
    {
      id: 3,
      x: 1200,
      y: 1050,
      region_id: 1,
      zone: 'border',
      fedspace: false,
      port_class: 2,
      planets: 2,
      your_planets: 1,
      last_seen_at: '2026-01-01T00:00:00Z',
    },
    {
      id: 4,
      x: 1300,
      y: 1100,
      region_id: 1,
      zone: 'border',
      fedspace: false,
      port_class: null,
      planets: 0,
      your_planets: 0,
      last_seen_at: '2026-01-01T00:00:00Z',
    },
    {
      id: 5,
      x: 1000,
      y: 1200,
      region_id: 1,
      zone: 'frontier',
      fedspace: false,
      port_class: 7,
      planets: 0,
      your_planets: 0,
      last_seen_at: '2026-01-01T00:00:00Z',
    },
  ],
  warps: [
    { from: 1, to: 2 },
    { from: 1, to: 5 },
    { from: 2, to: 1 },
    { from: 2, to: 3 },
    { from: 2, to: 99 },
    { from: 3, to: 2 },
    { from: 3, to: 4 },
    { from: 5, to: 1 },
  ],
  unexplored: [],
};

/** A pilot fresh out of sector 1: one sector visited, its three exits not yet. */
const FIRST_DAY: KnownMap = {
  current_sector_id: 1,
  sectors: [
    {
      id: 1,
      x: 1000,
      y: 1000,
      region_id: 1,
      zone: 'federation',
      fedspace: true,
      port_class: 0,
      planets: 0,
      your_planets: 0,
      last_seen_at: '2026-01-01T00:00:00Z',
    },
  ],
  warps: [
    { from: 1, to: 2 },
    { from: 1, to: 4 },
    { from: 1, to: 7 },
  ],
  unexplored: [
    { id: 2, x: 1100, y: 1000, region_id: 1 },
    { id: 4, x: 900, y: 1080, region_id: 1 },
    { id: 7, x: 1000, y: 880, region_id: 1 },
  ],
};

const sectorNode = (id: number) => document.querySelector(`[data-sector="${id}"]`) as SVGGElement;

describe('GalaxyMap', () => {
  it('draws every charted sector at its coordinates, marks where the ship is and the ports by class', () => {
    render(() => <GalaxyMap map={CHART} current={1} selected={null} course={null} onSelect={() => {}} />);
    expect(screen.getByRole('application', { name: 'Galaxy map: 5 charted sectors' })).toBeTruthy();
    expect(sectorNode(3).getAttribute('transform')).toBe('translate(1200 1050)');
    const here = screen.getByRole('button', { name: 'Sector 1, port class 0, you are here' });
    expect(here.getAttribute('aria-current')).toBe('location');
    expect(screen.getByRole('button', { name: 'Sector 3, port class 2, 2 planets (1 yours)' }).querySelector('.port.port-c2')).toBeTruthy();
    // The numbers are drawn in a layer of their own, outside the buttons (their names say it in words).
    expect(document.querySelector('.map-labels .port-number.port-c2')?.textContent).toBe('2');
    expect(document.querySelectorAll('.planet-mark.yours')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Sector 2' }).querySelector('.port')).toBeNull();
    expect(sectorNode(2).getAttribute('aria-current')).toBeNull();
  });

  it('draws two-way warps once, one-way warps with an arrow, and rings sectors with uncharted exits', () => {
    render(() => <GalaxyMap map={CHART} current={1} selected={null} course={null} onSelect={() => {}} />);
    const lines = [...document.querySelectorAll('line.warp')];
    expect(lines).toHaveLength(4); // 1–2, 1–5, 2–3, 3→4 (the warp to uncharted 99 has nowhere to go)
    const oneWay = lines.filter((l) => l.classList.contains('one-way'));
    expect(oneWay).toHaveLength(1);
    expect([oneWay[0]!.getAttribute('x1'), oneWay[0]!.getAttribute('x2')]).toEqual(['1200', '1300']);
    expect(oneWay[0]!.getAttribute('marker-end')).toBe('url(#one-way)');
    expect(sectorNode(2).querySelector('.uncharted')).toBeTruthy();
    expect(sectorNode(1).querySelector('.uncharted')).toBeNull();
  });

  it("draws where a new pilot's exits lead: the unvisited neighbours, hollow, with dashed warps to them", () => {
    const chosen: number[] = [];
    render(() => <GalaxyMap map={FIRST_DAY} current={1} selected={null} course={null} onSelect={(id) => chosen.push(id)} />);
    expect(document.querySelectorAll('g.sector')).toHaveLength(4);
    const frontier = [...document.querySelectorAll('line.warp.frontier')];
    expect(frontier.map((l) => [l.getAttribute('x2'), l.getAttribute('y2')])).toEqual([
      ['1100', '1000'],
      ['900', '1080'],
      ['1000', '880'],
    ]);
    const neighbour = screen.getByRole('button', { name: 'Sector 4, unexplored' });
    expect(neighbour.getAttribute('transform')).toBe('translate(900 1080)');
    fireEvent.keyDown(neighbour, { key: 'Enter' });
    expect(chosen).toEqual([4]);
  });

  it('plots on a click or Enter, and lights the course up', () => {
    const onSelect = vi.fn();
    const [course, setCourse] = createSignal<number[] | null>(null);
    render(() => <GalaxyMap map={CHART} current={1} selected={4} course={course()} onSelect={onSelect} />);
    fireEvent.click(sectorNode(4));
    expect(onSelect).toHaveBeenLastCalledWith(4);
    fireEvent.keyDown(sectorNode(5), { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith(5);

    expect(document.querySelector('polyline.course')).toBeNull();
    setCourse([1, 2, 3, 4]);
    expect(document.querySelector('polyline.course')?.getAttribute('points')).toBe('1000,1000 1100,1000 1200,1050 1300,1100');
    expect(sectorNode(3).classList.contains('on-course')).toBe(true);
    expect(sectorNode(5).classList.contains('on-course')).toBe(false);
    expect(sectorNode(4).classList.contains('selected')).toBe(true);
  });

  it('zooms with its buttons and the keyboard, and a drag pans instead of selecting', () => {
    const onSelect = vi.fn();
    render(() => <GalaxyMap map={CHART} current={1} selected={null} course={null} onSelect={onSelect} />);
    const svg = screen.getByRole('application');
    const width = () => Number(svg.getAttribute('viewBox')!.split(' ')[2]);
    const start = width();
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(width()).toBeCloseTo(start / 1.4, 5);
    fireEvent.keyDown(svg, { key: '-' });
    expect(width()).toBeCloseTo(start, 5);

    const x = () => Number(svg.getAttribute('viewBox')!.split(' ')[0]);
    const before = x();
    fireEvent.pointerDown(sectorNode(3), { pointerId: 1, clientX: 100, clientY: 100 });
    fireEvent.pointerMove(sectorNode(3), { pointerId: 1, clientX: 160, clientY: 100 });
    fireEvent.pointerUp(sectorNode(3), { pointerId: 1, clientX: 160, clientY: 100 });
    fireEvent.click(sectorNode(3));
    expect(x()).toBeLessThan(before);
    expect(onSelect).not.toHaveBeenCalled();
  });
});

describe('the viewport', () => {
  it('fits points with a margin and keeps the aspect', () => {
    const view = fitView(
      [
        { x: 0, y: 0 },
        { x: 1000, y: 200 },
      ],
      2,
    );
    expect(view.w / view.h).toBeCloseTo(2);
    expect(view.x).toBeLessThan(0);
    expect(view.x + view.w).toBeGreaterThan(1000);
  });

  it('zooms about the anchor: the point under the cursor stays put', () => {
    const view = { x: 0, y: 0, w: 1000, h: 500 };
    const rect = { left: 0, top: 0, width: 1000, height: 500 };
    const anchor = toGalaxy(view, rect, 250, 100);
    const zoomed = zoomAt(view, 2, anchor);
    expect(zoomed.w).toBe(500);
    const after = toGalaxy(zoomed, rect, 250, 100);
    expect(after.x).toBeCloseTo(anchor.x);
    expect(after.y).toBeCloseTo(anchor.y);
    expect(panBy(view, 100, 0, 1000).x).toBe(-100);
  });
});

/** The cockpit as the navigator sees it: a position and a warp that moves it (or refuses). */
function fakeCockpit(start: number, beforeEachWarp: () => void = () => {}) {
  const [state, setState] = createStore<{ player: Player | null; warpError: unknown }>({ player: pilot({ sector_id: start }), warpError: null });
  const refuse = new Map<number, ApiError>();
  const warp = vi.fn(async (to: number) => {
    beforeEachWarp();
    await Promise.resolve();
    const refusal = refuse.get(to);
    if (refusal) {
      setState('warpError', refusal);
      return false;
    }
    setState('player', 'sector_id', to);
    return true;
  });
  return { cockpit: { state, warp } as unknown as Pick<Cockpit, 'state' | 'warp'>, warp, refuse };
}

function fakeNav(course: Course) {
  return {
    player: { map: vi.fn(async () => CHART) },
    nav: { plot: vi.fn(async (to: number) => ({ ...course, to })) },
  } as unknown as Pick<ApiClient, 'player' | 'nav'> & { nav: { plot: ReturnType<typeof vi.fn> } };
}

describe('the autopilot', () => {
  it('plots a course to the selected sector and flies it one warp at a time, reporting each hop', async () => {
    const progress: number[] = [];
    let navigator!: ReturnType<typeof createNavigator>;
    const { cockpit, warp } = fakeCockpit(1, () => progress.push(navigator.state.autopilot!.flown));
    const api = fakeNav({ from: 1, to: 4, path: [1, 2, 3, 4], hops: 3, turns: 6 });
    await createRoot(async (dispose) => {
      navigator = createNavigator(api, cockpit);
      navigator.select(4);
      await vi.waitFor(() => expect(navigator.state.course?.hops).toBe(3));
      expect(api.nav.plot).toHaveBeenCalledWith(4);

      await navigator.engage();
      expect(warp.mock.calls.map((call) => call[0])).toEqual([2, 3, 4]);
      expect(progress).toEqual([0, 1, 2]);
      expect(navigator.state.autopilot).toMatchObject({ status: 'arrived', flown: 3 });
      expect(navigator.state.course).toBeNull();
      expect(cockpit.state.player?.sector_id).toBe(4);
      dispose();
    });
  });

  it('stops between hops when told to, and halts on a refused warp with the reason', async () => {
    const { cockpit, warp, refuse } = fakeCockpit(1);
    const api = fakeNav({ from: 1, to: 4, path: [1, 2, 3, 4], hops: 3, turns: 6 });
    await createRoot(async (dispose) => {
      const navigator = createNavigator(api, cockpit);
      navigator.select(4);
      await vi.waitFor(() => expect(navigator.state.course).not.toBeNull());
      const flight = navigator.engage();
      navigator.stop();
      await flight;
      expect(warp).toHaveBeenCalledTimes(1);
      expect(navigator.state.autopilot).toMatchObject({ status: 'stopped', flown: 1 });

      navigator.select(4);
      await vi.waitFor(() => expect(navigator.state.course).not.toBeNull());
      refuse.set(3, new ApiError(409, 'insufficient_turns', 'Not enough turns'));
      await navigator.engage();
      expect(navigator.state.autopilot?.status).toBe('failed');
      expect((navigator.state.autopilot!.error as ApiError).code).toBe('insufficient_turns');
      dispose();
    });
  });
});

describe('the chart room’s map', () => {
  /** FIRST_DAY with `ids` visited (and no longer unexplored). */
  const charted = (...ids: number[]): KnownMap => ({
    ...FIRST_DAY,
    sectors: [
      ...FIRST_DAY.sectors,
      ...FIRST_DAY.unexplored.filter((u) => ids.includes(u.id)).map((u) => ({ ...FIRST_DAY.sectors[0]!, ...u, port_class: null })),
    ],
    unexplored: FIRST_DAY.unexplored.filter((u) => !ids.includes(u.id)),
  });

  it('reads the map again after a read a warp overtook, and lets the server judge a course while the map is read', async () => {
    const { cockpit, warp } = fakeCockpit(1);
    const answers: Array<(map: KnownMap) => void> = [];
    const api = {
      player: { map: vi.fn(() => new Promise<KnownMap>((resolve) => answers.push(resolve))) },
      nav: { plot: vi.fn(async (to: number) => ({ from: 1, to, path: [1, to], hops: 1, turns: 2 })) },
    } as unknown as Pick<ApiClient, 'player' | 'nav'> & { player: { map: ReturnType<typeof vi.fn> }; nav: { plot: ReturnType<typeof vi.fn> } };
    await createRoot(async (dispose) => {
      const navigator = createNavigator(api, cockpit);
      const first = navigator.load();
      answers.shift()!(FIRST_DAY);
      await first;

      // into sector 2: the map is read again; into 4 while that read is out: its answer may not hold 4
      await warp(2);
      expect(api.player.map).toHaveBeenCalledTimes(2);
      await warp(4);
      expect(api.player.map).toHaveBeenCalledTimes(2);
      // a course asked for meanwhile goes to the server, even to a sector the old map calls unexplored
      navigator.select(7);
      await vi.waitFor(() => expect(api.nav.plot).toHaveBeenCalledWith(7));

      answers.shift()!(charted(2));
      await vi.waitFor(() => expect(api.player.map).toHaveBeenCalledTimes(3));
      answers.shift()!(charted(2, 4));
      await vi.waitFor(() => expect(navigator.state.loading).toBe(false));
      expect(navigator.state.map!.sectors.map((s) => s.id)).toEqual([1, 2, 4]);

      // with the map read, a sector it calls unexplored gets the helm's hint, not a request
      api.nav.plot.mockClear();
      await navigator.select(7);
      expect(api.nav.plot).not.toHaveBeenCalled();
      expect(navigator.state.course).toBeNull();
      dispose();
    });
  });
});
