/** The part of galaxy space the map shows, as an SVG viewBox, and how panning and zooming move it. */
export interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Closest and widest the map will zoom, as the width of galaxy space on screen. */
export const ZOOM_LIMITS = { minWidth: 120, maxWidth: 40_000 };

/** A view holding every point with a margin, at least `minWidth` wide, in the given aspect (w/h). */
export function fitView(points: Point[], aspect: number, minWidth = 600): View {
  if (points.length === 0) return { x: -minWidth / 2, y: -minWidth / 2 / aspect, w: minWidth, h: minWidth / aspect };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let w = Math.max(minWidth, (maxX - minX) * 1.25);
  let h = Math.max(w / aspect, (maxY - minY) * 1.25);
  w = Math.max(w, h * aspect);
  h = w / aspect;
  return { x: (minX + maxX) / 2 - w / 2, y: (minY + maxY) / 2 - h / 2, w, h };
}

/** The same zoom, centred on a point. */
export function centreOn(view: View, point: Point): View {
  return { ...view, x: point.x - view.w / 2, y: point.y - view.h / 2 };
}

/** Zoom by `factor` (> 1 zooms in) keeping `anchor` (galaxy coordinates) where it is on screen. */
export function zoomAt(view: View, factor: number, anchor: Point): View {
  const w = Math.min(ZOOM_LIMITS.maxWidth, Math.max(ZOOM_LIMITS.minWidth, view.w / factor));
  const applied = view.w / w;
  const h = view.h / applied;
  return {
    x: anchor.x - (anchor.x - view.x) / applied,
    y: anchor.y - (anchor.y - view.y) / applied,
    w,
    h,
  };
}

/** Move the view by a drag of (dx, dy) screen pixels on a map `pixelWidth` wide. */
export function panBy(view: View, dx: number, dy: number, pixelWidth: number): View {
  const scale = view.w / Math.max(1, pixelWidth);
  return { ...view, x: view.x - dx * scale, y: view.y - dy * scale };
}

/** Galaxy coordinates under a screen point of an element showing `view` in `rect`. */
export function toGalaxy(view: View, rect: { left: number; top: number; width: number; height: number }, clientX: number, clientY: number): Point {
  // preserveAspectRatio="xMidYMid meet": the view is scaled uniformly and centred.
  const scale = Math.min(rect.width / view.w, rect.height / view.h) || 1;
  const offsetX = (rect.width - view.w * scale) / 2;
  const offsetY = (rect.height - view.h * scale) / 2;
  return { x: view.x + (clientX - rect.left - offsetX) / scale, y: view.y + (clientY - rect.top - offsetY) / scale };
}
