/**
 * Which region of the galaxy the signed-in pilot is in, as the API has told this client. In
 * multi-regional mode each region is served under its own public prefix (`/r/<slug>`); a region
 * that does not hold the pilot answers 409 `wrong_region` with the one that does, and a move
 * through a gate answers the region it arrived in. Single-server mode never says either, so the
 * region stays null and every call goes to the unprefixed API.
 */
export interface Region {
  slug: string;
  name: string;
  /** `/r/<slug>`: the API is at `<base_path>/api/v1`, the realtime socket at `<base_path>/ws` */
  base_path: string;
}

/** A region as a problem or a move answer carries it, or null when it is not one. */
export function regionOf(value: unknown): Region | null {
  if (typeof value !== 'object' || value === null) return null;
  const { slug, name, base_path } = value as Record<string, unknown>;
  // A path on this origin only: an answer must not send the session's token to another host.
  if (typeof slug !== 'string' || typeof base_path !== 'string' || !/^\/[^/]/.test(base_path)) return null;
  return { slug, name: typeof name === 'string' ? name : slug, base_path: base_path.replace(/\/$/, '') };
}

export function createRegionTracker() {
  let region: Region | null = null;
  const listeners = new Set<(region: Region | null) => void>();
  return {
    current: () => region,
    set(next: Region | null) {
      if (next?.slug === region?.slug && next?.base_path === region?.base_path) return;
      region = next;
      for (const listener of listeners) listener(region);
    },
    onChange(listener: (region: Region | null) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispose: () => listeners.clear(),
  };
}
