import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { createTestApp, testBackends, uniqueName, type TestApp } from '../tests/harness.js';
import { createApiClient } from './api.js';
import { newActionKey } from './action-key.js';
import { connectRealtime, reconnectDelay, resumeUrl, type LinkState, type RealtimeFrame, type RealtimeOptions, type SocketLike } from './realtime.js';

/**
 * The connection module against a real realtime server (the API and /ws on one port, as under
 * `sectorwars all`), with `ws` standing in for the browser's WebSocket.
 */
let t: TestApp;
let rt: RealtimeServer;
let origin: string;

beforeAll(async () => {
  // A bus prefix of its own: outbox events of other test files mean nothing here.
  t = await createTestApp({ config: { REDIS_PREFIX: `${testBackends().redisPrefix}rtc-${randomBytes(3).toString('hex')}:` } });
  rt = await startRealtimeServer(t, { host: '127.0.0.1', port: 0, sweepIntervalMs: 200, holdMs: 300, http: (request, env) => t.app.fetch(request, env) });
  origin = `http://127.0.0.1:${rt.port}`;
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

async function pilot() {
  const api = createApiClient({ baseUrl: origin, refreshTokenIn: 'memory' });
  const name = uniqueName('rtc');
  await api.auth.register({ username: name, email: `${name}@example.test`, password: 'correct horse battery' });
  await api.player.state();
  return { api, name };
}

function link(
  api: ReturnType<typeof createApiClient>,
  ticketGate: () => Promise<void> = async () => {},
  extra: Partial<Pick<RealtimeOptions, 'reconnectSpreadMs' | 'random' | 'now'>> = {},
) {
  const frames: RealtimeFrame[] = [];
  const states: LinkState['status'][] = [];
  const sockets: WebSocket[] = [];
  const tickets = { requested: 0 };
  const handle = connectRealtime({
    api: {
      session: api.session,
      realtime: {
        ticket: () => {
          tickets.requested++;
          return ticketGate().then(() => api.realtime.ticket());
        },
      },
    },
    origin,
    openSocket: (url) => {
      const socket = new WebSocket(url);
      sockets.push(socket);
      return socket as unknown as SocketLike;
    },
    onFrame: (frame) => frames.push(frame),
    onState: (state) => states.push(state.status),
    backoff: { initialMs: 50, maxMs: 200 },
    reconnectSpreadMs: 100,
    ...extra,
  });
  const waitFor = (test: (frame: RealtimeFrame) => boolean) =>
    vi.waitFor(
      () => {
        const found = frames.find(test);
        if (!found)
          throw new Error(
            `not yet; frames so far: ${frames.map((f) => `${f.type}#${String(f.id)}${f.type === 'resumed' ? JSON.stringify(f.data) : ''}`).join(', ')}`,
          );
        return found;
      },
      { timeout: 5_000, interval: 20 },
    );
  return { handle, frames, states, sockets, tickets, waitFor };
}

describe('the realtime connection', () => {
  it("connects with a ticket, goes live and delivers the pilot's own events", async () => {
    const { api, name } = await pilot();
    const l = link(api);
    await l.waitFor((f) => f.type === 'resumed');
    expect(l.handle.state().status).toBe('live');
    const welcome = l.frames.find((f) => f.type === 'welcome')!;
    expect(welcome.data).toMatchObject({ name, sector_id: 1 });

    await api.trade.buy({ good: 'ore', quantity: 2 }, newActionKey());
    const trade = await l.waitFor((f) => f.type === 'trade.completed');
    expect(trade.data).toMatchObject({ side: 'buy', good: 'ore', quantity: 2 });
    expect(typeof trade.id).toBe('number');
    l.handle.close();
    expect(l.handle.state().status).toBe('closed');
    api.dispose();
  });

  it('comes back after the line drops with its resume token (no ticket) and replays what it missed, once, before going on', async () => {
    const { api } = await pilot();
    // The reconnect waits a full second (the spread, at the top of the jitter): the trade behind the client's back is done by then.
    const l = link(api, async () => {}, { reconnectSpreadMs: 1_000, random: () => 1 });
    await l.waitFor((f) => f.type === 'resumed');
    await api.trade.buy({ good: 'ore', quantity: 1 }, newActionKey());
    await l.waitFor((f) => f.type === 'trade.completed');

    // The socket dies without a close frame; a trade happens while the client is away.
    l.sockets[0]!.terminate();
    await vi.waitFor(() => expect(l.states).toContain('reconnecting'));
    const missed = await api.trade.buy({ good: 'organics', quantity: 1 }, newActionKey());
    await vi.waitFor(() => expect(l.handle.state().status).toBe('live'), { timeout: 5_000 });
    const replayed = await l.waitFor((f) => f.type === 'trade.completed' && f.data.good === 'organics');
    expect(replayed.data.total).toBe(missed.trade.total);
    await l.waitFor((f) => f.type === 'resumed' && f.data.after !== null && Number(f.data.replayed) >= 1);

    const tradeIds = l.frames.filter((f) => f.type === 'trade.completed').map((f) => f.id);
    expect(new Set(tradeIds).size).toBe(tradeIds.length);
    expect(l.sockets).toHaveLength(2);
    // The second connection presented the resume token of the first's welcome, not a new ticket.
    expect(l.tickets.requested).toBe(1);
    expect(l.sockets[1]!.url).toMatch(/\/ws\?resume=r1\.[^&]+&after=\d+$/);
    l.handle.close();
    api.dispose();
  });

  it('asks for a ticket again when its resume token is too close to expiry', async () => {
    const { api } = await pilot();
    let skew = 0;
    const l = link(api, async () => {}, { now: () => Date.now() + skew });
    await l.waitFor((f) => f.type === 'resumed');
    // Ten minutes later by the client's clock: the token from the welcome has (nearly) expired.
    skew = 10 * 60_000;
    l.sockets[0]!.terminate();
    await vi.waitFor(() => expect(l.sockets).toHaveLength(2));
    await vi.waitFor(() => expect(l.handle.state().status).toBe('live'), { timeout: 5_000 });
    expect(l.tickets.requested).toBe(2);
    expect(l.sockets[1]!.url).toMatch(/\/ws\?ticket=/);
    l.handle.close();
    api.dispose();
  });

  it('sends chat and hears its own line back; a second connection of the account supersedes the first, which stays down', async () => {
    const { api } = await pilot();
    const first = link(api);
    await first.waitFor((f) => f.type === 'resumed');
    expect(first.handle.send({ type: 'chat', channel: 'sector', text: 'anyone selling ore?', ref: 'a1' })).toBe(true);
    const echo = await first.waitFor((f) => f.type === 'chat.message');
    expect(echo.data).toMatchObject({ channel: 'sector', text: 'anyone selling ore?' });

    const second = link(api);
    await second.waitFor((f) => f.type === 'resumed');
    await vi.waitFor(() => expect(first.handle.state().status).toBe('superseded'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.sockets).toHaveLength(1);
    expect(first.handle.send({ type: 'ping' })).toBe(false);
    second.handle.close();
    first.handle.close();
    api.dispose();
  });

  it('stops for good when the session is logged out', async () => {
    const { api } = await pilot();
    const l = link(api);
    await l.waitFor((f) => f.type === 'resumed');
    await api.auth.logout();
    await vi.waitFor(() => expect(l.handle.state().status).toBe('signed-out'), { timeout: 5_000 });
    expect(l.sockets).toHaveLength(1);
    api.dispose();
  });
});

describe('reconnect timing', () => {
  const options = { initialMs: 1_000, maxMs: 30_000, spreadMs: 3_000 };
  it('spreads the first attempt after a drop over the whole window, then backs off exponentially with jitter', () => {
    expect(reconnectDelay(1, { ...options, random: () => 0 })).toBe(0);
    expect(reconnectDelay(1, { ...options, random: () => 0.5 })).toBe(1_500);
    expect(reconnectDelay(1, { ...options, random: () => 0.999 })).toBe(2_997);
    expect(reconnectDelay(2, { ...options, random: () => 0 })).toBe(500);
    expect(reconnectDelay(2, { ...options, random: () => 1 })).toBe(1_500);
    expect(reconnectDelay(5, { ...options, random: () => 0.5 })).toBe(1_000);
    expect(reconnectDelay(6, { ...options, random: () => 1 })).toBe(2_000);
    expect(reconnectDelay(8, { ...options, random: () => 1 })).toBe(8_000);
    expect(reconnectDelay(20, { ...options, random: () => 1 })).toBe(30_000);
    expect(reconnectDelay(20, { ...options, random: () => 0 })).toBe(15_000);
  });

  it('presents a resume token where the ticket went', () => {
    expect(resumeUrl('ws://127.0.0.1:8081/ws?ticket=abc', 'r1.x.y')).toBe('ws://127.0.0.1:8081/ws?resume=r1.x.y');
    expect(resumeUrl('wss://game.example/ws?ticket=abc', 'r1.a-b_c.d')).toBe('wss://game.example/ws?resume=r1.a-b_c.d');
    expect(resumeUrl('ws://127.0.0.1:8081/ws?ticket=abc', 'r1.x.y', 1042)).toBe('ws://127.0.0.1:8081/ws?resume=r1.x.y&after=1042');
  });
});
