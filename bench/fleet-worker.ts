import { parentPort, workerData } from 'node:worker_threads';
import { LeanWebSocket, leadingId } from './ws-client.js';

/**
 * One receiving thread of a WorkerFleet (bench/socket-fleet.ts): it holds its share of the
 * sockets, parses their frames and drives their handshakes, and hands the main thread only what
 * it counts: (event id, arrival time) pairs in batches, each event's text the first time this
 * thread sees it. So the load generator receives on every core, not on the main thread's one.
 */
export type ToWorker =
  | { type: 'open'; index: number; url: string; resume: boolean | 'in-url'; lastId: number }
  | { type: 'close-all' }
  | { type: 'destroy'; index: number };

export type FromWorker =
  | { type: 'live'; index: number }
  | { type: 'failed'; index: number; message: string }
  | { type: 'closed'; index: number; code: number; wasLive: boolean; lastId: number; token: string | undefined }
  /** pairs: id, arrival (ms since epoch), id, arrival, …; payloads: the text of ids not sent before */
  | { type: 'events'; pairs: Float64Array; payloads: Array<[number, string]> }
  | { type: 'closed-all' };

interface Slot {
  ws: LeanWebSocket | undefined;
  live: boolean;
  lastId: number;
  token: string | undefined;
}

const port = parentPort!;
const cursorBelow = (workerData as { cursorBelow: number }).cursorBelow;
const slots = new Map<number, Slot>();
const forwarded = new Set<number>();
let pairs: number[] = [];
let payloads: Array<[number, string]> = [];
let flushScheduled = false;
let closing = false;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

function flush(): void {
  flushScheduled = false;
  if (pairs.length === 0) return;
  const array = Float64Array.from(pairs);
  post({ type: 'events', pairs: array, payloads }, [array.buffer as ArrayBuffer]);
  pairs = [];
  payloads = [];
}

function record(id: number, payload: Buffer): void {
  pairs.push(id, performance.timeOrigin + performance.now());
  if (!forwarded.has(id)) {
    if (forwarded.size > 1_000_000) forwarded.clear();
    forwarded.add(id);
    payloads.push([id, payload.toString('utf8')]);
  }
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function open(index: number, url: string, resume: boolean | 'in-url', lastId: number): void {
  let slot = slots.get(index);
  if (!slot) slots.set(index, (slot = { ws: undefined, live: false, lastId, token: undefined }));
  const entry = slot;
  entry.live = false;
  entry.lastId = Math.max(entry.lastId, lastId);
  let settled = false;
  const timer = setTimeout(() => settle('no welcome within 30 s'), 30_000);
  const settle = (error?: string) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (error === undefined) post({ type: 'live', index });
    else {
      entry.ws?.destroy();
      post({ type: 'failed', index, message: error });
    }
  };
  const goLive = () => {
    if (entry.live) return;
    entry.live = true;
    settle();
  };
  LeanWebSocket.connect(url, {
    onMessage: (payload) => {
      const id = leadingId(payload);
      if (id >= 0) {
        if (id < cursorBelow && id > entry.lastId) entry.lastId = id;
        // Replayed events arrive before `resumed`, while the socket is not live yet: they count too.
        if (entry.live || resume) record(id, payload);
        return;
      }
      const text = payload.toString('utf8');
      if (text.includes('"resume_token":"')) entry.token = /"resume_token":"([^"]+)"/.exec(text)?.[1];
      if (entry.live) return;
      if (text.includes('"type":"welcome"')) {
        if (resume === true) entry.ws?.sendText(entry.lastId > 0 ? `{"type":"resume","after":${entry.lastId}}` : '{"type":"resume"}');
        else if (!resume) goLive();
      } else if (text.includes('"type":"resumed"')) goLive();
    },
    onClose: (code) => {
      const wasLive = entry.live;
      entry.live = false;
      if (!closing) {
        flush();
        post({ type: 'closed', index, code, wasLive, lastId: entry.lastId, token: entry.token });
      }
      settle(`closed with ${code} before going live`);
    },
  }).then(
    (ws) => {
      entry.ws = ws;
      if (!ws.open) settle('closed during the handshake');
    },
    (err: Error) => settle(err.message),
  );
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'open':
      open(message.index, message.url, message.resume, message.lastId);
      return;
    case 'destroy':
      slots.get(message.index)?.ws?.destroy();
      return;
    case 'close-all':
      closing = true;
      for (const slot of slots.values()) {
        slot.live = false;
        slot.ws?.close();
      }
      setTimeout(() => {
        post({ type: 'closed-all' });
        closing = false;
        slots.clear();
      }, 300);
      return;
  }
});
