import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GameApi } from './game-api.js';
import { RegionRouter } from './region-router.js';

/**
 * The region router against two fake region apis that keep the contract's answers (issue 20):
 * a pilot's calls go where it is, a gate move answers the region it arrived in, a region asked
 * about a pilot living elsewhere answers 409 wrong_region with its base_path. Driven directly
 * (each region's own api) and through a fake nginx (one origin, `/r/<slug>/` stripped).
 */
const GATE = { terran: 45, nexus: 501 };
let where: 'terran' | 'nexus' = 'terran';
const seen: string[] = [];
const servers: Server[] = [];

const link = (slug: 'terran' | 'nexus') => ({ slug, name: slug, base_path: `/r/${slug}` });

function regionApi(slug: 'terran' | 'nexus') {
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${slug} ${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (where !== slug) return send(409, { code: 'wrong_region', title: 'elsewhere', status: 409, region: link(where) });
    if (req.url === '/api/v1/player/move') {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const to = (JSON.parse(raw) as { to: number }).to;
        where = to === GATE.nexus ? 'nexus' : 'terran';
        send(200, {
          hop: { from: 0, to },
          player: { sector_id: to },
          sector: { id: to, warps: [] },
          region: link(where),
          transfer: { id: 't', state: 'arrived' },
        });
      });
      return;
    }
    return send(200, { player: { sector_id: where === 'terran' ? GATE.terran : GATE.nexus }, region: slug });
  };
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

let terranUrl: string;
let nexusUrl: string;
let nginxUrl: string;

beforeAll(async () => {
  const terran = regionApi('terran');
  const nexus = regionApi('nexus');
  terranUrl = await listen(terran);
  nexusUrl = await listen(nexus);
  // What nginx does: /r/<slug>/... to that region with the prefix stripped, the rest to the start region.
  nginxUrl = await listen((req, res) => {
    const m = /^\/r\/(terran|nexus)(\/.*)$/.exec(req.url ?? '');
    seen.push(`nginx ${req.url}`);
    if (m) req.url = m[2];
    (m?.[1] === 'nexus' ? nexus : terran)(req, res);
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const account = { userId: 'u1', username: 'pilot', authorization: 'Bearer x' };

for (const mode of ['direct', 'gateway'] as const) {
  describe(`the region router (${mode})`, () => {
    it('sends each call to the region the pilot is in, and follows wrong_region once', async () => {
      where = 'terran';
      const router =
        mode === 'direct'
          ? RegionRouter.direct(
              [
                { slug: 'terran', apiUrl: terranUrl },
                { slug: 'nexus', apiUrl: nexusUrl },
              ],
              2,
            )
          : RegionRouter.gateway(nginxUrl, 'terran', 2);
      const api = new GameApi(router);
      const s = api.seeded(account);
      try {
        expect((await api.state(s)).status).toBe(200);
        expect(s.region?.()).toBe('terran');
        const crossed = await api.move(s, GATE.nexus);
        expect(crossed.status).toBe(200);
        expect(s.region?.()).toBe('nexus');
        seen.length = 0;
        const there = await api.state(s);
        expect(there.body).toMatchObject({ region: 'nexus' });
        expect(seen).toEqual(mode === 'direct' ? ['nexus GET /api/v1/player/state'] : ['nginx /r/nexus/api/v1/player/state', 'nexus GET /api/v1/player/state']);

        // Moved behind the router's back (another tab, the sweeper): the refusal says where, the call goes there.
        where = 'terran';
        seen.length = 0;
        const followed = await api.state(s);
        expect(followed.status).toBe(200);
        expect(followed.body).toMatchObject({ region: 'terran' });
        expect(s.region?.()).toBe('terran');
        expect(seen.filter((line) => !line.startsWith('nginx'))).toEqual(['nexus GET /api/v1/player/state', 'terran GET /api/v1/player/state']);
        if (mode === 'gateway') expect(seen[2]).toBe('nginx /r/terran/api/v1/player/state');
        // The typed client follows the refusal itself (it addresses /r/terran), so the router only counts it.
        expect(router.answers.toJSON()).toEqual({ wrong_region: 1 });
      } finally {
        api.dispose([s]);
        await router.close();
      }
    });

    it('leaves a path the client addressed to a region itself as it is', async () => {
      where = 'nexus';
      const router =
        mode === 'direct'
          ? RegionRouter.direct(
              [
                { slug: 'terran', apiUrl: terranUrl },
                { slug: 'nexus', apiUrl: nexusUrl },
              ],
              1,
            )
          : RegionRouter.gateway(nginxUrl, 'terran', 1);
      const { fetch: send, region } = router.forPlayer();
      try {
        seen.length = 0;
        const res = await send(`${router.origin}/r/nexus/api/v1/player/state`, { headers: { authorization: 'Bearer x' } });
        expect(res.status).toBe(200);
        expect(region()).toBe('nexus');
        expect(seen.filter((line) => !line.startsWith('nginx'))).toEqual(['nexus GET /api/v1/player/state']);
        // Addressed to the wrong region by the client: its refusal goes back to the client, which follows it.
        const wrong = await send(`${router.origin}/r/terran/api/v1/player/state`, {});
        expect(wrong.status).toBe(409);
      } finally {
        await router.close();
      }
    });
  });
}
