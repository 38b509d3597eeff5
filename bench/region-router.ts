import { HttpDriver, type Transport } from './game-api.js';
import { Tally } from './stats.js';

/**
 * The players' way to the regions in multi-regional mode (issue 20), as nginx and a client
 * together give it: a region's public path is `/r/<slug>` (its `base_path`), and a player's
 * calls go to the region its pilot is in. The router keeps, per player, the region the last
 * answer named (a gate crossing's `region`, or a 409 `wrong_region`'s), sends there every call
 * the client did not address itself, and sends a call refused with `wrong_region` once more,
 * to the region named, as a client does. Account routes (`/api/v1/auth/...`) stay on the start
 * region: every api serves them.
 *
 * Two ways to a region: `direct` maps each base_path to that region's own api process (the bench's
 * own target, no nginx in between); `gateway` sends everything to one origin with the base_path
 * in front (a stack behind nginx, which strips the prefix). A client that follows regions itself
 * sends `/r/<slug>/...` paths: those go to the region they name, unchanged.
 */
export interface RegionLink {
  slug: string;
  base_path: string;
}

interface Route {
  link: RegionLink;
  driver: HttpDriver;
  /** what goes in front of the path on the wire: '' for a region's own api, its base_path behind nginx */
  prefix: string;
}

const PREFIXED = /^(\/r\/[a-z0-9-]+)(\/.*)$/;
const ACCOUNT_ROUTES = '/api/v1/auth/';
const MOVE = '/api/v1/player/move';

export const basePathOf = (slug: string): string => `/r/${slug}`;

export class RegionRouter implements Transport {
  /**
   * Answers seen on the wire, by kind: `in_transit` (409: the pilot is crossing), `wrong_region`
   * (409: it lives elsewhere), `gate_in_transit` (a move answered 202, still crossing), `followed`
   * (calls sent again to the region a wrong_region named).
   */
  readonly answers = new Tally();
  private readonly routes = new Map<string, Route>();

  private constructor(
    readonly origin: string,
    private readonly start: Route,
    private readonly gateway: HttpDriver | undefined,
    routes: Route[],
  ) {
    for (const route of routes) this.routes.set(route.link.base_path, route);
  }

  /** Each region's own api (`http://127.0.0.1:port`), the first one the start region. */
  static direct(regions: Array<{ slug: string; apiUrl: string }>, connections: number): RegionRouter {
    const routes = regions.map((r) => ({ link: { slug: r.slug, base_path: basePathOf(r.slug) }, driver: new HttpDriver(r.apiUrl, connections), prefix: '' }));
    const start = routes[0];
    if (!start) throw new Error('a region router needs at least one region');
    return new RegionRouter(start.driver.origin, start, undefined, routes);
  }

  /** One origin (nginx) that serves the start region unprefixed and every region under its base_path. */
  static gateway(origin: string, startSlug: string, connections: number): RegionRouter {
    const driver = new HttpDriver(origin, connections);
    return new RegionRouter(origin, { link: { slug: startSlug, base_path: basePathOf(startSlug) }, driver, prefix: '' }, driver, []);
  }

  forPlayer(): { fetch: typeof fetch; region: () => string } {
    let current: Route | undefined;
    const fetchFor = (async (input: string | URL, init: RequestInit = {}) => {
      const url = String(input);
      const path = url.startsWith(this.origin) ? url.slice(this.origin.length) : ((u) => `${u.pathname}${u.search}`)(new URL(url));
      const addressed = PREFIXED.exec(path);
      const account = path.startsWith(ACCOUNT_ROUTES);
      let route: Route;
      let rest = path;
      if (addressed) {
        route = this.route({ slug: addressed[1]!.slice(3), base_path: addressed[1]! }) ?? this.start;
        rest = addressed[2]!;
        if (!account) current = route;
      } else route = account ? this.start : (current ?? this.start);
      let res = await this.send(route, rest, init);
      const seen = await this.observe(res, rest);
      if (seen.region) {
        const next = this.route(seen.region);
        if (next) current = next;
        // The client did not choose the region itself: follow the refusal once, as a client does.
        if (seen.wrongRegion && next && !addressed && !account) {
          this.answers.add('followed');
          res = await this.send(next, rest, init);
          const again = await this.observe(res, rest);
          if (again.region) current = this.route(again.region) ?? current;
        }
      }
      return res;
    }) as unknown as typeof fetch;
    return { fetch: fetchFor, region: () => (current ?? this.start).link.slug };
  }

  close(): Promise<void> {
    const drivers = new Set([this.start.driver, ...[...this.routes.values()].map((r) => r.driver)]);
    return Promise.all([...drivers].map((d) => d.close())).then(() => undefined);
  }

  /** The route to a region named by an answer; behind nginx any base_path is one. */
  private route(link: RegionLink): Route | undefined {
    const known = this.routes.get(link.base_path) ?? [...this.routes.values()].find((r) => r.link.slug === link.slug);
    if (known || !this.gateway) return known;
    const route = { link: { slug: link.slug, base_path: link.base_path }, driver: this.gateway, prefix: link.base_path };
    this.routes.set(link.base_path, route);
    return route;
  }

  private send(route: Route, path: string, init: RequestInit): Promise<Response> {
    return route.driver.fetch(`${route.driver.origin}${route.prefix}${path}`, init);
  }

  /** What an answer says about where the pilot is; only refusals and moves are read (their bodies are small). */
  private async observe(res: Response, path: string): Promise<{ region?: RegionLink; wrongRegion: boolean }> {
    const move = path.startsWith(MOVE);
    if (res.status !== 409 && !(res.ok && move)) return { wrongRegion: false };
    const text = await res.text();
    if (!text.includes('"code"') && !text.includes('"region"')) return { wrongRegion: false };
    const body = JSON.parse(text) as { code?: string; region?: Partial<RegionLink> };
    const link = typeof body.region?.slug === 'string' && typeof body.region.base_path === 'string' ? (body.region as RegionLink) : undefined;
    if (res.status === 409) {
      if (body.code === 'in_transit' || body.code === 'wrong_region') this.answers.add(body.code);
      return body.code === 'wrong_region' && link ? { region: link, wrongRegion: true } : { wrongRegion: false };
    }
    if (res.status === 202) this.answers.add('gate_in_transit');
    return link ? { region: link, wrongRegion: false } : { wrongRegion: false };
  }
}
