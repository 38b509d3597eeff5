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
  ws: LeanWebSocket | undefined;
  sector: number;
  live: boolean;
}

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
  private closing = false;

  constructor(readonly sectorCount: number) {
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
    options: { concurrency: number; resume: boolean; progress: Progress; label: string; urlFor: (index: number, sector: number) => Promise<string> },
  ): Promise<{ seconds: number; perSecond: number }> {
    const started = performance.now();
    let done = 0;
    await mapLimit(
      Array.from({ length: count }, (_v, i) => i),
      options.concurrency,
      async (index) => {
        const sector = index % this.sectorCount;
        const entry: FleetSocket = { ws: undefined, sector, live: false };
        this.sockets.push(entry);
        const t0 = performance.now();
        try {
          const url = await options.urlFor(index, sector);
          await new Promise<void>((resolve, reject) => {
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
                  if (entry.live) this.onEvent(id, payload, now);
                  return;
                }
                if (entry.live) return;
                const text = payload.toString('utf8');
                if (text.includes('"type":"welcome"')) {
                  if (options.resume) entry.ws?.sendText('{"type":"resume"}');
                  else this.goLive(entry, settle);
                } else if (text.includes('"type":"resumed"')) this.goLive(entry, settle);
              },
              onClose: (code) => {
                if (!this.closing) this.closes.add(String(code));
                if (entry.live) this.liveBySector[entry.sector]!--;
                entry.live = false;
                settle(new Error(`closed with ${code} before going live`));
              },
            }).then((ws) => {
              entry.ws = ws;
              if (!ws.open) settle(new Error('closed during the handshake'));
            }, settle);
          });
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
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
