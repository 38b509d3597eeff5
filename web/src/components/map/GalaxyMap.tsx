import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import type { KnownMap, KnownSector } from '../../../../client/index.js';
import { centreOn, fitView, panBy, toGalaxy, zoomAt, type View } from './viewport.js';

export interface GalaxyMapProps {
  map: KnownMap;
  /** where the ship is now (the map itself may be a few hops old) */
  current: number;
  selected: number | null;
  /** the plotted course, from here to the target */
  course: readonly number[] | null;
  onSelect(sectorId: number): void;
}

interface Edge {
  key: string;
  a: KnownSector;
  b: KnownSector;
  /** a → b exists */
  forward: boolean;
  /** b → a exists */
  backward: boolean;
}

/** Galaxy-space width the map opens with around the ship: a dozen map cells. */
const OPENING_WIDTH = 1_400;
/** Sector numbers are written once sectors are this many pixels apart (a map cell is 100 units). */
const LABEL_MAX_UNITS_PER_PIXEL = 2.6;
const DRAG_THRESHOLD_PX = 4;

/**
 * The sectors the pilot knows, drawn where they lie, with the warps between them. The current
 * sector pulses, ports show their class, sectors with uncharted exits wear a dashed ring, and a
 * plotted course lights up. Drag or arrow keys pan; the wheel, pinch or +/− zoom; click a sector
 * (or focus it and press Enter) to plot a course there.
 */
export function GalaxyMap(props: GalaxyMapProps) {
  let svg: SVGSVGElement | undefined;
  const [size, setSize] = createSignal({ width: 800, height: 560 });
  const byId = createMemo(() => new Map(props.map.sectors.map((s) => [s.id, s])));
  const current = () => byId().get(props.current);
  const aspect = () => size().width / Math.max(1, size().height);

  const openingView = (): View => {
    const here = current();
    const fitted = fitView([...props.map.sectors, ...(props.map.unexplored ?? [])], aspect(), 600);
    if (!here || fitted.w <= OPENING_WIDTH) return fitted;
    return centreOn({ x: 0, y: 0, w: OPENING_WIDTH, h: OPENING_WIDTH / aspect() }, here);
  };
  const [view, setView] = createSignal<View>(openingView());
  let moved = false;
  createEffect(
    on(
      () => props.map,
      () => {
        if (!moved) setView(openingView());
      },
      { defer: true },
    ),
  );

  const unitsPerPixel = () => view().w / Math.max(1, size().width);

  const edges = createMemo(() => {
    const list = new Map<string, Edge>();
    for (const warp of props.map.warps) {
      const from = byId().get(warp.from);
      const to = byId().get(warp.to);
      if (!from || !to) continue;
      const [a, b] = from.id < to.id ? [from, to] : [to, from];
      const key = `${a.id}-${b.id}`;
      const edge = list.get(key) ?? { key, a, b, forward: false, backward: false };
      if (from.id === a.id) edge.forward = true;
      else edge.backward = true;
      list.set(key, edge);
    }
    return [...list.values()];
  });

  /** Sectors a known warp leads to but never visited: drawn hollow, so a new pilot sees the exits. */
  const unexplored = createMemo(() => props.map.unexplored ?? []);
  const frontier = createMemo(() => {
    const beyond = new Map(unexplored().map((s) => [s.id, s]));
    const list: Array<{ key: string; from: KnownSector; to: { x: number; y: number } }> = [];
    for (const warp of props.map.warps) {
      const from = byId().get(warp.from);
      const to = beyond.get(warp.to);
      if (from && to) list.push({ key: `${warp.from}>${warp.to}`, from, to });
    }
    return list;
  });

  /** Exits from a sector to sectors not yet charted. */
  const uncharted = createMemo(() => {
    const counts = new Map<number, number>();
    for (const warp of props.map.warps) if (!byId().has(warp.to)) counts.set(warp.from, (counts.get(warp.from) ?? 0) + 1);
    return counts;
  });

  const coursePoints = createMemo(() => {
    const course = props.course;
    if (!course || course.length < 2) return null;
    const points = course.map((id) => byId().get(id)).filter((s): s is KnownSector => Boolean(s));
    return points.map((s) => `${s.x},${s.y}`).join(' ');
  });
  const onCourse = createMemo(() => new Set(props.course ?? []));

  onMount(() => {
    if (!svg) return;
    const measure = () => {
      const rect = svg!.getBoundingClientRect();
      if (rect.width > 0 && rect.height > 0) setSize({ width: rect.width, height: rect.height });
    };
    measure();
    if (!moved) setView(openingView());
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(measure);
      observer.observe(svg);
      onCleanup(() => observer.disconnect());
    }
    // A wheel listener must not be passive to keep the page from scrolling while zooming.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      moved = true;
      const anchor = toGalaxy(view(), svg!.getBoundingClientRect(), event.clientX, event.clientY);
      setView(zoomAt(view(), Math.exp(-event.deltaY * 0.0015), anchor));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    onCleanup(() => svg?.removeEventListener('wheel', onWheel));
  });

  // Pointer gestures: one pointer pans, two pinch.
  const pointers = new Map<number, { x: number; y: number }>();
  let dragDistance = 0;
  const onPointerDown = (event: PointerEvent) => {
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 1) dragDistance = 0;
  };
  const onPointerMove = (event: PointerEvent) => {
    const previous = pointers.get(event.pointerId);
    if (!previous) return;
    const next = { x: event.clientX, y: event.clientY };
    if (pointers.size === 1) {
      const dx = next.x - previous.x;
      const dy = next.y - previous.y;
      dragDistance += Math.abs(dx) + Math.abs(dy);
      if (dragDistance > DRAG_THRESHOLD_PX) {
        if (!svg!.hasPointerCapture?.(event.pointerId)) svg!.setPointerCapture?.(event.pointerId);
        moved = true;
        setView(panBy(view(), dx, dy, size().width));
      }
    } else if (pointers.size === 2) {
      const [other] = [...pointers.entries()].filter(([id]) => id !== event.pointerId).map(([, p]) => p);
      if (other) {
        const before = Math.hypot(previous.x - other.x, previous.y - other.y);
        const after = Math.hypot(next.x - other.x, next.y - other.y);
        if (before > 0) {
          moved = true;
          dragDistance += DRAG_THRESHOLD_PX + 1;
          const anchor = toGalaxy(view(), svg!.getBoundingClientRect(), (next.x + other.x) / 2, (next.y + other.y) / 2);
          setView(zoomAt(view(), after / before, anchor));
        }
      }
    }
    pointers.set(event.pointerId, next);
  };
  const onPointerUp = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
  };

  const zoom = (factor: number) => {
    moved = true;
    const v = view();
    setView(zoomAt(v, factor, { x: v.x + v.w / 2, y: v.y + v.h / 2 }));
  };
  const recentre = () => {
    const here = current();
    if (here) setView(centreOn(view(), here));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[event.key];
    if (move && event.target === svg) {
      event.preventDefault();
      moved = true;
      setView(panBy(view(), move[0], move[1], size().width));
    } else if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      zoom(1.4);
    } else if (event.key === '-' || event.key === '_') {
      event.preventDefault();
      zoom(1 / 1.4);
    } else if (event.key === 'Home') {
      event.preventDefault();
      recentre();
    }
  };

  const select = (sector: KnownSector) => {
    if (dragDistance > DRAG_THRESHOLD_PX) return;
    props.onSelect(sector.id);
  };

  const viewBox = () => {
    const v = view();
    return `${v.x} ${v.y} ${v.w} ${v.h}`;
  };

  return (
    <div class="galaxy-map">
      <svg
        ref={svg}
        class="map-canvas"
        viewBox={viewBox()}
        preserveAspectRatio="xMidYMid meet"
        role="application"
        aria-label={`Galaxy map: ${props.map.sectors.length} charted sectors`}
        aria-roledescription="map"
        tabindex="0"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
      >
        <defs>
          <pattern id="map-grid" width="100" height="100" patternUnits="userSpaceOnUse">
            <path d="M 100 0 L 0 0 0 100" class="grid-line" stroke-width={unitsPerPixel()} />
          </pattern>
          <marker id="one-way" viewBox="0 0 10 10" refX="17" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="one-way-arrow" />
          </marker>
        </defs>
        <rect x={view().x} y={view().y} width={view().w} height={view().h} fill="url(#map-grid)" />
        <g class="warps">
          <For each={edges()}>
            {(edge) => (
              <line
                x1={edge.a.x}
                y1={edge.a.y}
                x2={edge.b.x}
                y2={edge.b.y}
                class="warp"
                classList={{ 'one-way': edge.forward !== edge.backward }}
                stroke-width={1.4 * unitsPerPixel()}
                marker-end={edge.forward && !edge.backward ? 'url(#one-way)' : undefined}
                marker-start={edge.backward && !edge.forward ? 'url(#one-way)' : undefined}
              />
            )}
          </For>
          <For each={frontier()}>
            {(edge) => (
              <line
                x1={edge.from.x}
                y1={edge.from.y}
                x2={edge.to.x}
                y2={edge.to.y}
                class="warp frontier"
                stroke-width={1.2 * unitsPerPixel()}
                stroke-dasharray={`${4 * unitsPerPixel()} ${4 * unitsPerPixel()}`}
              />
            )}
          </For>
        </g>
        <Show when={coursePoints()}>{(points) => <polyline class="course" points={points()} stroke-width={4 * unitsPerPixel()} />}</Show>
        <g class="sectors">
          <For each={unexplored()}>
            {(sector) => (
              <g
                class="sector unexplored"
                classList={{ selected: props.selected === sector.id }}
                transform={`translate(${sector.x} ${sector.y})`}
                role="button"
                tabindex="0"
                aria-label={`Sector ${sector.id}, unexplored`}
                data-sector={sector.id}
                onClick={() => dragDistance <= DRAG_THRESHOLD_PX && props.onSelect(sector.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    props.onSelect(sector.id);
                  }
                }}
              >
                <circle class="hit" r={14 * unitsPerPixel()} />
                <circle class="dot" r={6 * unitsPerPixel()} stroke-width={1.5 * unitsPerPixel()} />
              </g>
            )}
          </For>
          <For each={props.map.sectors}>
            {(sector) => {
              const isCurrent = () => sector.id === props.current;
              const r = () => (isCurrent() ? 9 : 7) * unitsPerPixel();
              return (
                <g
                  class="sector"
                  classList={{
                    current: isCurrent(),
                    selected: props.selected === sector.id,
                    'on-course': onCourse().has(sector.id),
                    fedspace: sector.fedspace,
                    [`zone-${sector.zone}`]: true,
                  }}
                  transform={`translate(${sector.x} ${sector.y})`}
                  role="button"
                  tabindex="0"
                  aria-label={`Sector ${sector.id}${sector.port_class !== null ? `, port class ${sector.port_class}` : ''}${
                    sector.planets > 0
                      ? `, ${sector.planets} planet${sector.planets === 1 ? '' : 's'}${sector.your_planets > 0 ? ` (${sector.your_planets} yours)` : ''}`
                      : ''
                  }${isCurrent() ? ', you are here' : ''}`}
                  aria-current={isCurrent() ? 'location' : undefined}
                  data-sector={sector.id}
                  onClick={() => select(sector)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      props.onSelect(sector.id);
                    }
                  }}
                >
                  <circle class="hit" r={14 * unitsPerPixel()} />
                  <Show when={uncharted().has(sector.id)}>
                    <circle
                      class="uncharted"
                      r={r() + 5 * unitsPerPixel()}
                      stroke-width={1.2 * unitsPerPixel()}
                      stroke-dasharray={`${3 * unitsPerPixel()} ${3 * unitsPerPixel()}`}
                    />
                  </Show>
                  <Show when={isCurrent()}>
                    <circle class="here-ring" r={r() + 8 * unitsPerPixel()} stroke-width={2 * unitsPerPixel()} />
                  </Show>
                  <circle class="dot" r={r()} />
                  <Show when={sector.port_class !== null}>
                    <g class={`port port-c${sector.port_class}`} transform={`translate(${9 * unitsPerPixel()} ${-9 * unitsPerPixel()})`}>
                      <rect
                        x={-6 * unitsPerPixel()}
                        y={-6 * unitsPerPixel()}
                        width={12 * unitsPerPixel()}
                        height={12 * unitsPerPixel()}
                        rx={2 * unitsPerPixel()}
                      />
                    </g>
                  </Show>
                  <Show when={sector.planets > 0}>
                    <circle
                      class="planet-mark"
                      classList={{ yours: sector.your_planets > 0 }}
                      cx={-9 * unitsPerPixel()}
                      cy={-9 * unitsPerPixel()}
                      r={4.5 * unitsPerPixel()}
                      stroke-width={1 * unitsPerPixel()}
                    />
                  </Show>
                </g>
              );
            }}
          </For>
        </g>
        {/* Numbers drawn over the dots, outside the buttons: each button's name says it in words. */}
        <g class="map-labels" aria-hidden="true">
          <For each={unexplored()}>
            {(sector) => (
              <Show when={unitsPerPixel() < LABEL_MAX_UNITS_PER_PIXEL || props.selected === sector.id}>
                <text class="label" font-size={String(11 * unitsPerPixel())} x={sector.x} y={sector.y + 19 * unitsPerPixel()} text-anchor="middle">
                  {sector.id}
                </text>
              </Show>
            )}
          </For>
          <For each={props.map.sectors}>
            {(sector) => {
              const isCurrent = () => sector.id === props.current;
              const r = () => (isCurrent() ? 9 : 7) * unitsPerPixel();
              return (
                <>
                  <Show when={sector.port_class !== null}>
                    <text
                      class={`port-number port-c${sector.port_class}`}
                      font-size={String(9 * unitsPerPixel())}
                      x={sector.x + 9 * unitsPerPixel()}
                      y={sector.y - 9 * unitsPerPixel() + 3.2 * unitsPerPixel()}
                      text-anchor="middle"
                    >
                      {sector.port_class}
                    </text>
                  </Show>
                  <Show when={unitsPerPixel() < LABEL_MAX_UNITS_PER_PIXEL || isCurrent() || props.selected === sector.id}>
                    <text
                      class="label"
                      classList={{ current: isCurrent(), selected: props.selected === sector.id }}
                      font-size={String(11 * unitsPerPixel())}
                      x={sector.x}
                      y={sector.y + r() + 13 * unitsPerPixel()}
                      text-anchor="middle"
                    >
                      {sector.id}
                    </text>
                  </Show>
                </>
              );
            }}
          </For>
        </g>
      </svg>
      <div class="map-controls" role="group" aria-label="Map view">
        <button type="button" onClick={() => zoom(1.4)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(1 / 1.4)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={recentre} aria-label="Centre on your ship">
          ◎
        </button>
      </div>
      <ul class="map-legend" aria-hidden="true">
        <li>
          <span class="swatch here" /> you
        </li>
        <li>
          <span class="swatch port" /> port (class)
        </li>
        <li>
          <span class="swatch planet" /> planet (gold: yours)
        </li>
        <li>
          <span class="swatch uncharted" /> uncharted exits
        </li>
        <li>
          <span class="swatch unexplored" /> not yet visited
        </li>
      </ul>
    </div>
  );
}
