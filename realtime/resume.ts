import type { Bus } from '../platform/bus/index.js';
import type { RegionDb } from '../platform/db/database.js';
import { eventsAfter } from '../platform/outbox.js';
import type { Logger } from '../platform/logger.js';
import type { RealtimeMetrics } from '../platform/metrics.js';
import type { EventEnvelope } from '../contract/events.js';
import { Batcher } from './batch.js';
import { chatHistoryFrames } from './chat.js';
import type { Connection } from './connection.js';
import type { Hub } from './hub.js';
import { CLOSE, errorFrame, serverFrame } from './protocol.js';

/** How long a new connection's live frames wait for `resume` before it goes live without one. */
export const HOLD_MS = 2_000;
/** Events replayed at most; past that the client is told to reload its state over the API. */
export const RESUME_LIMIT = 1_000;

export interface ResumeDeps {
  bus: Bus;
  nexusBus?: Bus;
  region: RegionDb;
  hub: Hub;
  logger: Logger;
  metrics: RealtimeMetrics;
  replays: Batcher<ReplayRequest, EventEnvelope[]>;
}

export interface ReplayRequest {
  topics: string[];
  after: number;
}

/** Rows one combined replay query reads at most; past that each connection gets its own query. */
const COMBINED_REPLAY_LIMIT = 5_000;

/**
 * Replays of one turn in one query: every event after the lowest cursor on any of their topics,
 * then each connection's share (its topics, after its cursor, at most RESUME_LIMIT + 1). When the
 * combined read is cut off by its limit, each falls back to a query of its own.
 */
export function replayBatcher(region: RegionDb): Batcher<ReplayRequest, EventEnvelope[]> {
  return new Batcher(async (requests: ReplayRequest[]) => {
    if (requests.length === 1) return [await eventsAfter(region, requests[0]!.topics, requests[0]!.after, RESUME_LIMIT + 1)];
    const topics = [...new Set(requests.flatMap((r) => r.topics))];
    const from = Math.min(...requests.map((r) => r.after));
    const rows = await eventsAfter(region, topics, from, COMBINED_REPLAY_LIMIT + 1);
    if (rows.length > COMBINED_REPLAY_LIMIT) return Promise.all(requests.map((r) => eventsAfter(region, r.topics, r.after, RESUME_LIMIT + 1)));
    return requests.map((r) => {
      const mine = new Set(r.topics);
      const out: EventEnvelope[] = [];
      for (const event of rows) {
        if (event.id > r.after && mine.has(event.topic)) out.push(event);
        if (out.length > RESUME_LIMIT) break;
      }
      return out;
    });
  });
}

/**
 * Bring a held connection live: the events it missed after `after` from the outbox (when given),
 * the recent chat of its channels, then what was held meanwhile without the events the replay
 * already carried, then live frames. Every missed event arrives once, in outbox order.
 */
export async function resumeConnection(deps: ResumeDeps, connection: Connection, after: number | undefined, ref?: string): Promise<void> {
  const { hub } = deps;
  if (connection.phase !== 'held' || connection.resuming) {
    hub.send(connection, errorFrame('already_live', 'This connection is live already; resume once, right after connecting', { ref }));
    return;
  }
  connection.resuming = true;
  clearTimeout(connection.holdTimer);
  let missed: Awaited<ReturnType<typeof eventsAfter>>;
  let history: string[];
  try {
    [missed, history] = await Promise.all([
      after === undefined ? [] : deps.replays.get({ topics: connection.topics(), after }),
      chatHistoryFrames(deps, connection).catch(() => []),
    ]);
  } catch (err) {
    deps.logger.error({ err, user_id: connection.userId }, 'resume failed');
    hub.close(connection, CLOSE.serverError);
    return;
  }
  const complete = missed.length <= RESUME_LIMIT;
  const replayed = missed.slice(0, RESUME_LIMIT);
  deps.metrics.replayed.inc(replayed.length);
  const replayedUpTo = Math.max(after ?? 0, replayed.at(-1)?.id ?? 0);
  const resumed = serverFrame('resumed', {
    ...(ref !== undefined ? { ref } : {}),
    after: after ?? null,
    replayed: replayed.length,
    // More was missed than a replay carries: reload state over the API; live frames follow anyway.
    complete,
  });
  hub.goLive(connection, [...replayed.map((event) => JSON.stringify(event)), ...history], replayedUpTo, resumed);
}
