import WebSocket from 'ws';
import type { TestApp } from './harness.js';

/** A server frame as a test sees it. */
export interface Frame {
  id: number | string | null;
  type: string;
  topic: string | null;
  at: string;
  data: any;
}

/** A WebSocket client (the `ws` package) that records every frame and lets a test wait for one. */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();

  /** how the socket closed, once it has */
  closedWith: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        for (const wake of this.waiters) wake();
      });
    });
  }

  /** Open a socket; a refused upgrade rejects with the HTTP status and problem body. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body: body ? JSON.parse(body) : undefined })),
        );
      });
      ws.once('error', reject);
    });
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  of(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** The first frame (already received or yet to come) that matches. */
  waitFor(match: (frame: Frame) => boolean, what = 'a matching frame', timeoutMs = 5_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(match);
        if (found) {
          done();
          resolve(found);
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed (${this.closedWith?.code} ${this.closedWith?.reason}) before ${what}; got ${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; got ${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  waitForType(type: string, timeoutMs?: number): Promise<Frame> {
    return this.waitFor((f) => f.type === type, `a ${type} frame`, timeoutMs);
  }

  close(): void {
    this.ws.close();
  }

  private describe(): string {
    return JSON.stringify(this.frames.map((f) => `${f.type}${f.id !== null ? `#${f.id}` : ''}@${f.topic}`));
  }
}

export interface OpenOptions {
  /** `resume {after}` with this id; `live` sends `resume {}`; `none` sends nothing. Default `live`. */
  resume?: number | 'live' | 'none';
  origin?: string;
}

/** Ticket over the API, connect to a realtime port, and (by default) wait until the socket is live. */
export async function openRealtime(t: Pick<TestApp, 'call'>, port: number, token: string, options: OpenOptions = {}): Promise<TestSocket> {
  let socket: TestSocket | undefined;
  // The uWS build that loads here drops about one new socket in 200 right after the upgrade, with
  // no close frame (1006; realtime/upgrade.ts). The game's client reconnects with a new ticket when
  // that happens, and so does this one, a few times; any other close before the welcome fails.
  for (let attempt = 1; !socket; attempt++) {
    const ticket = await t.call('POST', '/api/v1/realtime/ticket', { token });
    if (ticket.status !== 201) throw new Error(`ticket: ${ticket.status} ${ticket.text}`);
    const candidate = await TestSocket.connect(`ws://127.0.0.1:${port}${ticket.body.url}`, options.origin ? { origin: options.origin } : {});
    try {
      await candidate.waitForType('welcome');
      socket = candidate;
    } catch (err) {
      if (candidate.closedWith?.code !== 1006 || attempt >= 3) throw err;
    }
  }
  const resume = options.resume ?? 'live';
  if (resume !== 'none') {
    socket.send(resume === 'live' ? { type: 'resume' } : { type: 'resume', after: resume });
    await socket.waitForType('resumed');
  }
  return socket;
}

/** Buy one unit of something at the port of the pilot's sector (sector 1's Earth Station by default). */
export async function buyOne(t: Pick<TestApp, 'call'>, token: string): Promise<void> {
  const state = await t.call('GET', '/api/v1/player/state', { token });
  const sector = await t.call('GET', `/api/v1/sectors/${state.body.player.sector_id}`, { token });
  const good = (sector.body.port?.goods ?? []).find((g: { port_action: string; tradable: number }) => g.port_action === 'sells' && g.tradable > 0);
  if (!good) throw new Error(`nothing for sale in sector ${state.body.player.sector_id}`);
  const bought = await t.call('POST', '/api/v1/trade/buy', { token, body: { good: good.good, quantity: 1 } });
  if (bought.status !== 200) throw new Error(`buy: ${bought.status} ${bought.text}`);
}

/** A sector one two-way warp away from `from`. */
export async function neighbourOf(t: Pick<TestApp, 'region'>, from: number): Promise<number> {
  const rows = await t.region
    .selectFrom('warps as w')
    .innerJoin('warps as back', (j) => j.onRef('back.from_sector_id', '=', 'w.to_sector_id').onRef('back.to_sector_id', '=', 'w.from_sector_id'))
    .select('w.to_sector_id')
    .where('w.from_sector_id', '=', from)
    .orderBy('w.to_sector_id')
    .limit(1)
    .execute();
  if (!rows[0]) throw new Error(`sector ${from} has no two-way warp`);
  return rows[0].to_sector_id;
}

export async function move(t: Pick<TestApp, 'call'>, token: string, to: number): Promise<void> {
  const moved = await t.call('POST', '/api/v1/player/move', { token, body: { to } });
  if (moved.status !== 200) throw new Error(`move: ${moved.status} ${moved.text}`);
}
