import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startRealtimeServer, type RealtimeServer } from '../realtime/server.js';
import { createTestApp, testBackends, uniqueName, type TestApp } from '../tests/harness.js';
import { createApiClient } from './api.js';
import { newActionKey } from './action-key.js';
import { connectRealtime, type LinkState, type RealtimeFrame, type SocketLike } from './realtime.js';

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

function link(api: ReturnType<typeof createApiClient>, ticketGate: () => Promise<void> = async () => {}) {
  const frames: RealtimeFrame[] = [];
  const states: LinkState['status'][] = [];
  const sockets: WebSocket[] = [];
  const handle = connectRealtime({
    api: { session: api.session, realtime: { ticket: () => ticketGate().then(() => api.realtime.ticket()) } },
    origin,
    openSocket: (url) => {
      const socket = new WebSocket(url);
      sockets.push(socket);
      return socket as unknown as SocketLike;
    },
    onFrame: (frame) => frames.push(frame),
    onState: (state) => states.push(state.status),
    backoff: { initialMs: 50, maxMs: 200 },
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
  return { handle, frames, states, sockets, waitFor };
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

  it('comes back after the line drops and replays what it missed, once, before going on', async () => {
    const { api } = await pilot();
    // Tickets for reconnecting wait until the test has traded behind the client's back.
    let away: Promise<void> = Promise.resolve();
    let comeBack = () => {};
    const l = link(api, () => away);
    await l.waitFor((f) => f.type === 'resumed');
    await api.trade.buy({ good: 'ore', quantity: 1 }, newActionKey());
    await l.waitFor((f) => f.type === 'trade.completed');

    // The socket dies without a close frame; a trade happens while the client is away.
    away = new Promise((resolve) => (comeBack = resolve));
    l.sockets[0]!.terminate();
    await vi.waitFor(() => expect(l.states).toContain('reconnecting'));
    const missed = await api.trade.buy({ good: 'organics', quantity: 1 }, newActionKey());
    comeBack();
    await vi.waitFor(() => expect(l.handle.state().status).toBe('live'), { timeout: 5_000 });
    const replayed = await l.waitFor((f) => f.type === 'trade.completed' && f.data.good === 'organics');
    expect(replayed.data.total).toBe(missed.trade.total);
    await l.waitFor((f) => f.type === 'resumed' && f.data.after !== null && Number(f.data.replayed) >= 1);

    const tradeIds = l.frames.filter((f) => f.type === 'trade.completed').map((f) => f.id);
    expect(new Set(tradeIds).size).toBe(tradeIds.length);
    expect(l.sockets).toHaveLength(2);
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
