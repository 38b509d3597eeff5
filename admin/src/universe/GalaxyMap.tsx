import { createMemo, createSignal, For, Show } from 'solid-js';
import type { AdminGalaxyMap } from '../../../client/index.js';

interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

const PAD = 150;
const RADIUS = 24;

/** Quiet sectors are slate; busier ones run from teal through amber to red, by share of the busiest. */
export function heatColour(count: number, busiest: number): string {
  if (count <= 0 || busiest <= 0) return '#2a3a5c';
  const t = Math.min(1, count / busiest);
  return `hsl(${Math.round(170 - 170 * t)} 85% ${Math.round(48 + 8 * t)}%)`;
}

/**
 * The galaxy on one SVG: every sector at its map position, tinted by recent activity, its warps
 * (gates dashed amber), each region's name over it. Fit to view, then zoom (buttons or the wheel)
 * and drag to pan; a click on a sector opens it.
 */
export function GalaxyMap(props: {
  map: AdminGalaxyMap;
  activity: ReadonlyMap<number, number>;
  selected: number | null;
  highlightRegion: number | null;
  onSelect(sectorId: number): void;
}) {
  const bounds = createMemo<View>(() => {
    const { x, y } = props.map.sectors;
    if (x.length === 0) return { x: 0, y: 0, w: 1000, h: 1000 };
    const minX = Math.min(...x) - PAD;
    const minY = Math.min(...y) - PAD;
    return { x: minX, y: minY, w: Math.max(...x) + PAD - minX, h: Math.max(...y) + PAD - minY };
  });
  const [view, setView] = createSignal<View | null>(null);
  const shown = () => view() ?? bounds();
  const index = createMemo(() => new Map(props.map.sectors.id.map((id, i) => [id, i])));
  const busiest = createMemo(() => Math.max(0, ...props.activity.values()));
  const paths = createMemo(() => {
    const { from, to, gate } = props.map.warps;
    const { x, y } = props.map.sectors;
    const at = index();
    const pairs = new Set(from.map((f, i) => `${f}>${to[i]}`));
    let lanes = '';
    let gates = '';
    from.forEach((f, i) => {
      const t = to[i]!;
      // A two-way warp is drawn once.
      if (f > t && pairs.has(`${t}>${f}`)) return;
      const a = at.get(f);
      const b = at.get(t);
      if (a === undefined || b === undefined) return;
      const segment = `M${x[a]} ${y[a]}L${x[b]} ${y[b]}`;
      if (gate[i]) gates += segment;
      else lanes += segment;
    });
    return { lanes, gates };
  });
  const labels = createMemo(() =>
    props.map.regions.map((r) => {
      const { x, y, region_id } = props.map.sectors;
      let minX = Number.POSITIVE_INFINITY;
      let maxX = Number.NEGATIVE_INFINITY;
      let minY = Number.POSITIVE_INFINITY;
      region_id.forEach((id, i) => {
        if (id !== r.id) return;
        minX = Math.min(minX, x[i]!);
        maxX = Math.max(maxX, x[i]!);
        minY = Math.min(minY, y[i]!);
      });
      return { id: r.id, name: r.name, x: (minX + maxX) / 2, y: minY - 60 };
    }),
  );

  const zoom = (factor: number, cx?: number, cy?: number) => {
    const v = shown();
    const w = Math.min(bounds().w * 2, Math.max(400, v.w * factor));
    const h = (v.h * w) / v.w;
    const fx = cx ?? v.x + v.w / 2;
    const fy = cy ?? v.y + v.h / 2;
    setView({ x: fx - ((fx - v.x) * w) / v.w, y: fy - ((fy - v.y) * h) / v.h, w, h });
  };

  let svg: SVGSVGElement | undefined;
  let drag: { px: number; py: number; view: View; moved: boolean } | null = null;
  const toMap = (clientX: number, clientY: number) => {
    const rect = svg!.getBoundingClientRect();
    const v = shown();
    const scale = Math.max(v.w / rect.width, v.h / rect.height);
    return { scale, x: v.x + (clientX - rect.left) * scale, y: v.y + (clientY - rect.top) * scale };
  };

  return (
    <div class="galaxy-map">
      <div class="row map-tools">
        <button type="button" class="secondary" aria-label="Zoom in" onClick={() => zoom(0.6)}>
          +
        </button>
        <button type="button" class="secondary" aria-label="Zoom out" onClick={() => zoom(1 / 0.6)}>
          −
        </button>
        <button type="button" class="secondary" onClick={() => setView(null)}>
          Fit
        </button>
        <span class="legend" aria-label="Activity legend">
          <span class="legend-swatch" style={{ background: heatColour(0, 1) }} /> quiet
          <span class="legend-ramp" />
          busiest: {busiest()} events
          <span class="legend-gate" /> gate
        </span>
      </div>
      <svg
        ref={svg}
        class="map-canvas"
        role="application"
        aria-roledescription="galaxy map"
        aria-label={`Galaxy map: ${props.map.sectors.id.length} sectors in ${props.map.regions.length} regions. Arrows pan, + and − zoom, 0 fits.`}
        viewBox={`${shown().x} ${shown().y} ${shown().w} ${shown().h}`}
        preserveAspectRatio="xMidYMid meet"
        tabindex="0"
        onWheel={(e) => {
          e.preventDefault();
          const at = toMap(e.clientX, e.clientY);
          zoom(e.deltaY > 0 ? 1.25 : 0.8, at.x, at.y);
        }}
        onPointerDown={(e) => {
          drag = { px: e.clientX, py: e.clientY, view: shown(), moved: false };
        }}
        onPointerMove={(e) => {
          if (!drag || e.buttons === 0) return;
          const { scale } = toMap(e.clientX, e.clientY);
          const dx = (e.clientX - drag.px) * scale;
          const dy = (e.clientY - drag.py) * scale;
          if (Math.abs(e.clientX - drag.px) + Math.abs(e.clientY - drag.py) > 4) drag.moved = true;
          if (drag.moved) setView({ ...drag.view, x: drag.view.x - dx, y: drag.view.y - dy });
        }}
        onPointerUp={() => {
          // A drag that moved is a pan, not a click on whatever it ended over.
          if (drag?.moved) setTimeout(() => (drag = null));
          else drag = null;
        }}
        onKeyDown={(e) => {
          // The keyboard's way round the map: arrows pan, + and − zoom, 0 fits.
          const v = shown();
          const step = { ArrowLeft: [-0.2, 0], ArrowRight: [0.2, 0], ArrowUp: [0, -0.2], ArrowDown: [0, 0.2] }[e.key];
          if (step) setView({ ...v, x: v.x + step[0]! * v.w, y: v.y + step[1]! * v.h });
          else if (e.key === '+' || e.key === '=') zoom(0.6);
          else if (e.key === '-') zoom(1 / 0.6);
          else if (e.key === '0') setView(null);
          else return;
          e.preventDefault();
        }}
      >
        <path d={paths().lanes} class="map-lane" />
        <path d={paths().gates} class="map-gate" />
        <For each={props.map.sectors.id}>
          {(id, i) => (
            <circle
              data-sector={id}
              cx={props.map.sectors.x[i()]}
              cy={props.map.sectors.y[i()]}
              r={id === props.selected ? RADIUS * 1.8 : RADIUS}
              fill={heatColour(props.activity.get(id) ?? 0, busiest())}
              class="map-sector"
              role="button"
              aria-label={`Sector ${id}`}
              onClick={() => {
                if (!drag?.moved) props.onSelect(id);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') props.onSelect(id);
              }}
              classList={{
                selected: id === props.selected,
                fresh: props.map.sectors.region_id[i()] === props.highlightRegion,
              }}
            >
              <title>
                Sector {id}
                {props.map.sectors.port_class[i()]! >= 0 ? ` · port class ${props.map.sectors.port_class[i()]}` : ''}
                {` · ${props.activity.get(id) ?? 0} events`}
              </title>
            </circle>
          )}
        </For>
        <For each={labels()}>
          {(label) => (
            <text
              x={label.x}
              y={label.y}
              class="map-label"
              text-anchor="middle"
              font-size={String(Math.max(60, Math.round(bounds().w / 45)))}
              data-region={label.id}
            >
              {label.name}
            </text>
          )}
        </For>
      </svg>
      <Show when={props.map.sectors.id.length === 0}>
        <p class="muted">The galaxy has no sectors yet.</p>
      </Show>
    </div>
  );
}
