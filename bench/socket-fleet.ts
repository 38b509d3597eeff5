import { Worker } from 'node:worker_threads';
import { reconnectDelay, resumeUrl } from '../client/realtime.js';
import type { FromWorker, ToWorker } from './fleet-worker.js';
import { LeanWebSocket, leadingId } from './ws-client.js';
import { mapLimit } from './concurrency.js';
import type { Progress } from './progress.js';
import { Samples, Tally } from './stats.js';

/**
 * Many WebSocket clients in one process, spread over a few sectors, counting what arrives.
 * Frames carrying an outbox id (`{"id":123,…`) go to `onEvent`; the others (welcome, resumed,
 * pong, error) drive each socket's handshake with the server.
 */
export interface FleetSocket {
  index: number;
  ws: LeanWebSocket | undefined;
  sector: number;
  live: boolean;
  /** the newest outbox id this socket received: where it resumes after a reconnect */
  lastId: number;
  /** the resume token of its last welcome (realtime only) */
  token: string | undefined;
}

/**
 * Reconnecting as the game's client does (client/realtime.ts): after a drop, the first attempt at
 * a random time within `spreadMs`, then jittered exponential backoff; with the resume token of the
 * last welcome when there is one (once), else a ticket through `ticketUrl`; then `resume` after
 * the socket's last outbox id.
 */
export interface ReconnectPolicy {
  wsUrl: string;
  ticketUrl: (index: number, sector: number) => Promise<string>;
  spreadMs: number;
  initialMs: number;
  maxMs: number;
}

export class ReconnectStats {
  drops = 0;
  attempts = 0;
  ticketRequests = 0;
  tokenUpgrades = 0;
  tokenRefused = 0;
  back = 0;
  /** ms from `since` (set by the bench when it starts the restart) to each socket being live again */
  readonly backAfterMs = new Samples();
  since = 0;
}

const EMPTY = Buffer.alloc(0);

export type EventListener = (id: number, payload: Buffer, nowMs: number) => void;

export class SocketFleet {
  readonly sockets: FleetSocket[] = [];
  /** open, live sockets per sector index */
  readonly liveBySector: number[];
  /** sockets the server closed (or lost) while the run still wanted them, by close code */
  readonly closes = new Tally();
  readonly connectMs = new Samples();
  readonly failures = new Tally();
  onEvent: EventListener = () => {};
  reconnect: ReconnectPolicy | undefined;
  readonly reconnects = new ReconnectStats();
  private closing = false;
  private readonly workers: Worker[] = [];
  private readonly byIndex = new Map<number, FleetSocket>();
  private readonly opening = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  /** the text of each event id a receiving thread forwarded, for listeners that parse it */
  private readonly payloadOf = new Map<number, Buffer>();

  /**
   * `cursorBelow`: only outbox ids below it move a socket's resume cursor (the bench's own events
   * use higher ones). `receivers`: threads that hold the sockets and receive (bench/fleet-worker.ts),
   * so receiving uses every core; 0 receives on this thread.
   */
  constructor(
    readonly sectorCount: number,
    private readonly cursorBelow = Number.POSITIVE_INFINITY,
    receivers = 0,
  ) {
    for (let i = 0; i < receivers; i++) {
      const worker = new Worker(new URL('./fleet-worker-boot.js', import.meta.url), { workerData: { cursorBelow } });
      worker.on('message', (message: FromWorker) => this.fromWorker(message));
      worker.on('error', (err) => process.stderr.write(`bench: a receiving thread failed: ${err.message}\n`));
      this.workers.push(worker);
    }
    this.liveBySector = new Array<number>(sectorCount).fill(0);
  }

  get liveCount(): number {
    return this.liveBySector.reduce((a, b) => a + b, 0);
  }

  /**
   * Open `count` sockets, `concurrency` at a time, round-robin over the sectors. `urlFor` gives
   * each socket's URL (fetching a ticket first where the server wants one); with `resume` the
   * socket sends `{"type":"resume"}` after the welcome and is live once `resumed` arrives
   * (the realtime protocol), otherwise it is live at the welcome.
   */
  async connect(
    count: number,
    options: {
      concurrency: number;
      resume: boolean;
      progress: Progress;
      label: string;
      urlFor: (index: number, sector: number) => Promise<string>;
      /** index of the first socket (to add more to a fleet) */
      from?: number;
    },
  ): Promise<{ seconds: number; perSecond: number }> {
    const started = performance.now();
    let done = 0;
    await mapLimit(
      Array.from({ length: count }, (_v, i) => (options.from ?? 0) + i),
      options.concurrency,
      async (index) => {
        const sector = index % this.sectorCount;
        const entry: FleetSocket = { index, ws: undefined, sector, live: false, lastId: 0, token: undefined };
        this.sockets.push(entry);
        this.byIndex.set(index, entry);
        const t0 = performance.now();
        try {
          await this.open(entry, await options.urlFor(index, sector), options.resume);
          this.connectMs.add(performance.now() - t0);
        } catch (err) {
          entry.ws?.destroy();
          this.failures.add((err as Error).message.slice(0, 80));
        }
        done++;
        const elapsed = (performance.now() - started) / 1000;
        options.progress.update(`${options.label}: ${this.liveCount}/${count} sockets live (${(done / elapsed).toFixed(0)}/s), ${this.failures.total} failed`);
      },
    );
    const seconds = (performance.now() - started) / 1000;
    options.progress.done(`${options.label}: ${this.liveCount}/${count} sockets live in ${seconds.toFixed(1)} s`);
    return { seconds, perSecond: this.liveCount / seconds };
  }

  /** Connect one socket; resolves once it is live (at `resumed` with `resume`, else at the welcome). */
  private open(entry: FleetSocket, url: string, resume: boolean | 'in-url'): Promise<void> {
    if (this.workers.length > 0) {
      return new Promise<void>((resolve, reject) => {
        this.opening.set(entry.index, { resolve, reject });
        const message: ToWorker = { type: 'open', index: entry.index, url, resume, lastId: entry.lastId };
        this.workers[entry.index % this.workers.length]!.postMessage(message);
      });
    }
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => settle(new Error('no welcome within 30 s')), 30_000);
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      LeanWebSocket.connect(url, {
        onMessage: (payload) => {
          const now = performance.now();
          const id = leadingId(payload);
          if (id >= 0) {
            if (id < this.cursorBelow && id > entry.lastId) entry.lastId = id;
            // Replayed events arrive before `resumed`, while the socket is not live yet: they count too.
            if (entry.live || resume) this.onEvent(id, payload, now);
            return;
          }
          const text = payload.toString('utf8');
          if (text.includes('"resume_token":"')) entry.token = /"resume_token":"([^"]+)"/.exec(text)?.[1];
          if (entry.live) return;
          if (text.includes('"type":"welcome"')) {
            if (resume === true) entry.ws?.sendText(entry.lastId > 0 ? `{"type":"resume","after":${entry.lastId}}` : '{"type":"resume"}');
            else if (!resume) this.goLive(entry, settle);
          } else if (text.includes('"type":"resumed"')) this.goLive(entry, settle);
        },
        onClose: (code) => {
          const wasLive = entry.live;
          if (!this.closing) this.closes.add(String(code));
          if (entry.live) this.liveBySector[entry.sector]!--;
          entry.live = false;
          settle(new Error(`closed with ${code} before going live`));
          if (wasLive && !this.closing && this.reconnect && code !== 4009 && code !== 4001) {
            this.reconnects.drops++;
            void this.comeBack(entry, this.reconnect);
          }
        },
      }).then((ws) => {
        entry.ws = ws;
        if (!ws.open) settle(new Error('closed during the handshake'));
      }, settle);
    });
  }

  /** A live socket dropped: back as the game's client comes back, until it is live or the fleet closes. */
  private async comeBack(entry: FleetSocket, policy: ReconnectPolicy): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt, { ...policy, random: Math.random })));
      if (this.closing) return;
      this.reconnects.attempts++;
      const token = entry.token;
      try {
        let url: string;
        if (token) {
          this.reconnects.tokenUpgrades++;
          url = resumeUrl(policy.wsUrl, token, entry.lastId);
        } else {
          this.reconnects.ticketRequests++;
          url = await policy.ticketUrl(entry.index, entry.sector);
        }
        await this.open(entry, url, token ? 'in-url' : true);
        this.reconnects.back++;
        this.reconnects.backAfterMs.add(performance.now() - this.reconnects.since);
        return;
      } catch (err) {
        entry.ws?.destroy();
        // Refused (spent, expired, revoked): a ticket next time. Unreachable (the server is still
        // starting): the same token again, as it was never checked.
        if (token && entry.token === token && /^HTTP\/1\.1 4\d\d/.test((err as Error).message)) {
          this.reconnects.tokenRefused++;
          entry.token = undefined;
        }
      }
    }
  }

  /** What a receiving thread reports: the same bookkeeping as sockets held here. */
  private fromWorker(message: FromWorker): void {
    switch (message.type) {
      case 'events': {
        for (const [id, text] of message.payloads) this.payloadOf.set(id, Buffer.from(text, 'utf8'));
        if (this.payloadOf.size > 200_000) {
          for (const id of [...this.payloadOf.keys()].slice(0, 100_000)) this.payloadOf.delete(id);
        }
        const pairs = message.pairs;
        const origin = performance.timeOrigin;
        for (let i = 0; i < pairs.length; i += 2) {
          const id = pairs[i]!;
          this.onEvent(id, this.payloadOf.get(id) ?? EMPTY, pairs[i + 1]! - origin);
        }
        return;
      }
      case 'live': {
        const entry = this.byIndex.get(message.index);
        const waiter = this.opening.get(message.index);
        this.opening.delete(message.index);
        if (entry && !entry.live) {
          entry.live = true;
          this.liveBySector[entry.sector]!++;
        }
        waiter?.resolve();
        return;
      }
      case 'failed': {
        const waiter = this.opening.get(message.index);
        this.opening.delete(message.index);
        waiter?.reject(new Error(message.message));
        return;
      }
      case 'closed': {
        const entry = this.byIndex.get(message.index);
        if (!entry) return;
        if (!this.closing) this.closes.add(String(message.code));
        entry.lastId = Math.max(entry.lastId, message.lastId);
        entry.token = message.token;
        if (message.wasLive && entry.live) {
          entry.live = false;
          this.liveBySector[entry.sector]!--;
          if (!this.closing && this.reconnect && message.code !== 4009 && message.code !== 4001) {
            this.reconnects.drops++;
            void this.comeBack(entry, this.reconnect);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private goLive(entry: FleetSocket, settle: () => void): void {
    if (entry.live) return;
    entry.live = true;
    this.liveBySector[entry.sector]!++;
    settle();
  }

  /** Close every socket cleanly and wait a moment for the closes to land. */
  async closeAll(): Promise<void> {
    this.closing = true;
    for (const s of this.sockets) {
      // A deliberate close is not a drop.
      if (s.live) this.liveBySector[s.sector]!--;
      s.live = false;
      s.ws?.close();
    }
    for (const worker of this.workers) worker.postMessage({ type: 'close-all' } satisfies ToWorker);
    await new Promise((resolve) => setTimeout(resolve, this.workers.length > 0 ? 800 : 500));
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
