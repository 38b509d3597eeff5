import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApiClient } from './api.js';
import { newActionKey } from './action-key.js';
import { ApiError } from './errors.js';
import { connectRealtime, type SocketLike } from './realtime.js';
import type { Region } from './region.js';

/**
 * The client following its pilot across regions, against a fake of two regions behind one
 * gateway (the start region unprefixed and at /r/terran, the Central Nexus at /r/nexus): each
 * answers the pilot's calls only while the pilot is there, 409 wrong_region with where they are
 * otherwise, and 409 in_transit while they cross. The real thing is tests/multi-region-gateway.test.ts.
 */
const TERRAN: Region = { slug: 'terran', name: 'Terran Space', base_path: '/r/terran' };
const NEXUS: Region = { slug: 'nexus', name: 'Central Nexus', base_path: '/r/nexus' };
const GATE_FAR_END = 501;

function twoRegions() {
  /** slowCrossing: the gate answers 202 while the hand-off is still under way (the target was slow). */
  const pilot = { where: 'terran' as 'terran' | 'nexus' | 'crossing', sector: 1, slowCrossing: false };
  const sent: string[] = [];
  const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
    new Response(JSON.stringify({ type: `https://sectorwars.dev/problems/${code}`, title: code, status, code, ...extra }), {
      status,
      headers: { 'content-type': 'application/problem+json' },
    });
  const app = new Hono();
  app.post('/api/v1/auth/register', (c) =>
    c.json({ access_token: 'token-1', refresh_token: 'refresh-1', expires_in: 900, token_type: 'Bearer', user: { id: 'u1', username: 'ana' } }, 201),
  );
  app.all('*', async (c) => {
    const match = /^(?:\/r\/(terran|nexus))?(\/api\/v1\/.*)$/.exec(c.req.path);
    if (!match) return c.notFound();
    const served = (match[1] ?? 'terran') as 'terran' | 'nexus';
    if (c.req.header('authorization') !== 'Bearer token-1') return problem(401, 'unauthorized');
    if (pilot.where === 'crossing') return problem(409, 'in_transit');
    if (pilot.where !== served) return problem(409, 'wrong_region', { region: pilot.where === 'nexus' ? NEXUS : TERRAN });
    const route = match[2];
    if (route === '/api/v1/player/state') return c.json({ served_by: served, player: { sector_id: pilot.sector } });
    if (route === `/api/v1/sectors/${pilot.sector}`) return c.json({ id: pilot.sector, served_by: served });
    if (route === '/api/v1/realtime/ticket') return c.json({ ticket: `t-${served}`, url: `/ws?ticket=t-${served}`, expires_in: 30 }, 201);
    if (route === '/api/v1/player/move') {
      const { to } = (await c.req.json()) as { to: number };
      pilot.sector = to;
      if (to !== GATE_FAR_END) return c.json({ served_by: served, player: { sector_id: to } });
      if (pilot.slowCrossing) {
        pilot.where = 'crossing';
        setTimeout(() => {
          pilot.where = 'nexus';
        }, 50);
        return c.json({ hop: { from: 1, to }, transfer: { id: 't1', state: 'in_transit' }, region: NEXUS, sector_id: to }, 202);
      }
      pilot.where = 'nexus';
      return c.json({ served_by: served, player: { sector_id: to }, region: NEXUS });
    }
    return c.notFound();
  });
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return app.request(String(input), init);
  };
  return { pilot, sent, fetch };
}

async function signedIn(fake: ReturnType<typeof twoRegions>) {
  const api = createApiClient({ baseUrl: 'https://sw.test', fetch: fake.fetch, refreshTokenIn: 'memory', inTransitRetryMs: 20 });
  await api.auth.register({ username: 'ana', email: 'ana@example.test', password: 'correct horse battery' });
  const changes: Array<string | null> = [];
  api.region.onChange((region) => changes.push(region?.slug ?? null));
  return { api, changes };
}

describe('the client following the pilot across regions', () => {
  it('goes where a crossing answered, and the next call goes straight there', async () => {
    const fake = twoRegions();
    const { api, changes } = await signedIn(fake);
    expect(api.region.current()).toBeNull();
    expect(await api.player.state()).toMatchObject({ served_by: 'terran' });
    await api.player.move(GATE_FAR_END, newActionKey());
    expect(api.region.current()).toEqual(NEXUS);
    expect(changes).toEqual(['nexus']);
    fake.sent.length = 0;
    expect(await api.player.state()).toMatchObject({ served_by: 'nexus' });
    expect(fake.sent).toEqual(['GET /r/nexus/api/v1/player/state']);
    api.dispose();
  });

  it('finishes a crossing still under way (202) from the region it lands in', async () => {
    const fake = twoRegions();
    const { api } = await signedIn(fake);
    fake.pilot.slowCrossing = true;
    const moved = await api.player.move(GATE_FAR_END, newActionKey());
    expect(moved).toMatchObject({ player: { sector_id: GATE_FAR_END }, sector: { id: GATE_FAR_END, served_by: 'nexus' }, region: NEXUS });
    expect(fake.sent).toContain('GET /r/nexus/api/v1/player/state');
    expect(api.region.current()).toEqual(NEXUS);
    api.dispose();
  });

  it('follows a wrong_region answer once, transparently, and stays there', async () => {
    const fake = twoRegions();
    const { api, changes } = await signedIn(fake);
    // Crossed in another tab: this client still asks the start region.
    fake.pilot.where = 'nexus';
    expect(await api.player.state()).toMatchObject({ served_by: 'nexus' });
    expect(fake.sent.slice(-2)).toEqual(['GET /api/v1/player/state', 'GET /r/nexus/api/v1/player/state']);
    expect(changes).toEqual(['nexus']);
    // Back through the gate, elsewhere: the nexus sends it home, to the start region's own prefix.
    fake.pilot.where = 'terran';
    expect(await api.player.state()).toMatchObject({ served_by: 'terran' });
    expect(fake.sent.slice(-2)).toEqual(['GET /r/nexus/api/v1/player/state', 'GET /r/terran/api/v1/player/state']);
    expect(changes).toEqual(['nexus', 'terran']);
    // Account routes stay on the unprefixed API: the refresh cookie's path is there.
    await api.auth.register({ username: 'ana', email: 'ana@example.test', password: 'correct horse battery' });
    expect(fake.sent.at(-1)).toBe('POST /api/v1/auth/register');
    api.dispose();
  });

  it('does not follow regions that send it back and forth', async () => {
    const fake = twoRegions();
    // Each region thinks the pilot is in the other (a registry out of step): one hop, then the refusal.
    const bouncing = createApiClient({
      baseUrl: 'https://sw.test',
      refreshTokenIn: 'memory',
      token: 'token-1',
      fetch: async (input, init) => {
        const path = new URL(String(input)).pathname;
        fake.pilot.where = path.startsWith('/r/nexus') ? 'terran' : 'nexus';
        return fake.fetch(input, init);
      },
    });
    const refused = await bouncing.player.state().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('wrong_region');
    expect(fake.sent.filter((s) => s.endsWith('/player/state'))).toEqual(['GET /api/v1/player/state', 'GET /r/nexus/api/v1/player/state']);
    bouncing.dispose();
  });

  it('waits out in_transit, then follows the pilot to where they landed', async () => {
    const fake = twoRegions();
    const { api } = await signedIn(fake);
    fake.pilot.where = 'crossing';
    setTimeout(() => {
      fake.pilot.where = 'nexus';
    }, 50);
    expect(await api.player.state()).toMatchObject({ served_by: 'nexus' });
    const attempts = fake.sent.filter((s) => s.endsWith('/player/state'));
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.at(-1)).toBe('GET /r/nexus/api/v1/player/state');
    api.dispose();
  });

  it('gives up on in_transit after a few tries', async () => {
    const fake = twoRegions();
    const { api } = await signedIn(fake);
    fake.pilot.where = 'crossing';
    const refused = await api.player.state().catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe('in_transit');
    expect(fake.sent.filter((s) => s.endsWith('/player/state'))).toHaveLength(6);
    api.dispose();
  });

  it('reopens the realtime socket at the new region, with a ticket from its API', async () => {
    const fake = twoRegions();
    const { api } = await signedIn(fake);
    const opened: string[] = [];
    const sockets: SocketLike[] = [];
    const link = connectRealtime({
      api,
      origin: 'https://sw.test',
      onFrame: () => {},
      openSocket: (url) => {
        opened.push(url);
        const socket: SocketLike = { send: () => {}, close: () => {}, onopen: null, onmessage: null, onclose: null, onerror: null };
        sockets.push(socket);
        return socket;
      },
    });
    await expect.poll(() => opened).toEqual(['wss://sw.test/ws?ticket=t-terran']);
    await api.player.move(GATE_FAR_END, newActionKey());
    await expect.poll(() => opened).toEqual(['wss://sw.test/ws?ticket=t-terran', 'wss://sw.test/r/nexus/ws?ticket=t-nexus']);
    expect(fake.sent).toContain('POST /r/nexus/api/v1/realtime/ticket');
    // The old socket was let go: nothing of it reaches the link any more.
    expect(sockets[0]?.onmessage).toBeNull();
    link.close();
    api.dispose();
  });
});
