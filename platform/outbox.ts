import type { DomainEvent, EventEnvelope } from '../contract/events.js';
import { crossesRegions } from '../contract/topics.js';
import { Problem } from './errors.js';
import type { Bus } from './bus/index.js';
import type { RegionDb } from './db/database.js';
import type { Logger } from './logger.js';

/**
 * Domain events travel through the transactional outbox: written in the action's own statement
 * (world/applier.ts), published to the bus after commit, and again by the relay when a process
 * died in between. Every event keeps its outbox id, so clients drop duplicates and resume after
 * the last event they saw.
 */

/** The bus channel every outbox event is published on; realtime routes by `topic` inside. */
export const EVENTS_CHANNEL = 'events';
/**
 * The nexus bus's channel for events that cross regions (contract/topics.ts `crossesRegions`),
 * when the nexus bus is not the region's own. Each message is `{"origin":<region>,"event":<envelope>}`:
 * outbox ids count per region database, so a receiver tells events apart by origin and id.
 */
export const NEXUS_EVENTS_CHANNEL = 'nexus:events';

/** A cross-region event as the nexus bus carries it. */
export interface NexusEventMessage {
  origin: string;
  event: EventEnvelope;
}

export function toEnvelope(row: { id: number; topic: string; type: string; data: unknown; created_at: Date | string }): EventEnvelope {
  return {
    id: Number(row.id),
    topic: row.topic,
    type: row.type,
    at: new Date(row.created_at).toISOString(),
    data: row.data,
  } as EventEnvelope;
}

/** Envelopes for events written together, given the ids and times the insert returned (in id order). */
export function envelopesFor(events: readonly DomainEvent[], written: ReadonlyArray<{ id: number; at: string }>): EventEnvelope[] {
  if (written.length !== events.length) throw new Error(`outbox wrote ${written.length} rows for ${events.length} events`);
  return events.map((event, i) => ({ ...event, id: Number(written[i]!.id), at: new Date(written[i]!.at).toISOString() }) as EventEnvelope);
}

/**
 * The wall clock, in ms since epoch with sub-millisecond digits, at a `performance.now()` reading
 * of this thread: one clock for every process on a machine. `timeOrigin + now()` alone drifts from
 * the wall clock over a process's life (the monotonic clock is not slewed with it), so two processes
 * started apart would disagree by milliseconds; the offset to the wall clock is taken again each second.
 */
let wallOffset = Date.now() - performance.now();
let anchoredAt = performance.now();
export function wallAt(monotonic: number): number {
  const now = performance.now();
  if (now - anchoredAt >= 1000) {
    wallOffset = Date.now() - now;
    anchoredAt = now;
  }
  return Math.round((wallOffset + monotonic) * 100) / 100;
}

/** Now on that clock, for event stamps: a stamp never runs behind the last one. */
let lastStamp = 0;
export function stampNow(): number {
  lastStamp = Math.max(lastStamp, wallAt(performance.now()));
  return lastStamp;
}

/**
 * The message an envelope is published as. With stamps (EVENT_STAMPS) it ends with
 * `"hops":{"published":<ms>}` so realtime can add its own stamps with a splice, not a re-parse.
 * Fields in the order of the protocol's frames: `{"id":…` first.
 */
export function busMessage(envelope: EventEnvelope, stamps: boolean): string {
  // The id first, as in replays (toEnvelope): a client can read it from the first bytes without parsing.
  const { id, topic, type, at, data } = envelope;
  const json = JSON.stringify({ id, topic, type, at, data });
  return stamps ? `${json.slice(0, -1)},"hops":{"published":${stampNow()}}}` : json;
}

/** How long published ids wait to be marked, so marking costs one statement per batch, not per action. */
const MARK_DELAY_MS = 250;
const MARK_BATCH = 1_000;

/**
 * Publishes committed events and marks them published in batches. A failed publish leaves rows
 * unmarked for the relay to retry; the relay only takes rows older than its grace period, which
 * is longer than the marking delay.
 */
export class OutboxPublisher {
  private pending: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  /**
   * `nexusBus`: where events that cross regions go when it is not `bus` (multi-regional mode),
   * tagged with `origin`, this region's slug.
   */
  constructor(
    private readonly db: RegionDb,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly options: { stamps?: boolean; nexusBus?: Bus; origin?: string } = {},
  ) {}

  /** Publish after commit; never throws (the relay retries what could not be published). */
  async publish(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    try {
      await this.send(envelopes, this.options.stamps === true);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'event publish failed; the outbox relay will retry');
      return;
    }
    for (const envelope of envelopes) this.pending.push(envelope.id);
    if (this.pending.length >= MARK_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), MARK_DELAY_MS);
  }

  /**
   * Each envelope on its bus: the region's, or the nexus's for what crosses regions. Issued
   * together so the bus pipelines them; Redis keeps one connection's commands in order.
   */
  private send(envelopes: readonly EventEnvelope[], stamps: boolean): Promise<unknown> {
    const nexus = this.options.nexusBus;
    const origin = this.options.origin ?? MAIN_PARTITION;
    return Promise.all(
      envelopes.map((envelope) =>
        nexus && nexus !== this.bus && crossesRegions(envelope)
          ? nexus.publish(NEXUS_EVENTS_CHANNEL, JSON.stringify({ origin, event: envelope } satisfies NexusEventMessage))
          : this.bus.publish(EVENTS_CHANNEL, busMessage(envelope, stamps)),
      ),
    );
  }

  /** Publish and mark in one go, inside a transaction (the relay's way: rows it locked). */
  async publishAndMark(trx: RegionDb, envelopes: readonly EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    await this.send(envelopes, false);
    await trx
      .updateTable('outbox')
      .set({ published_at: new Date() })
      .where(
        'id',
        'in',
        envelopes.map((e) => e.id),
      )
      .execute();
  }

  /** Mark what has been published so far (one UPDATE); also what close() waits for. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.pending;
    this.pending = [];
    if (ids.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.db
        .updateTable('outbox')
        .set({ published_at: new Date() })
        .where('id', '=', (eb) => eb.fn.any(eb.val(ids)))
        .execute()
        .then(
          () => undefined,
          (err: Error) => this.logger.warn({ err: err.message, ids: ids.length }, 'marking events published failed; the relay will publish them again'),
        ),
    );
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

// ---- reading the outbox: the resume feed ------------------------------------------------

/**
 * Where a reader stands in the outbox, as an opaque string: today one position in the one
 * database; once regions live in their own databases, one position per database.
 */
export type Cursor = Record<string, number>;
export const MAIN_PARTITION = 'main';

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ v: 1, p: cursor })).toString('base64url');
}

/** The positions in a cursor; 422 invalid_cursor for anything this server did not issue. */
export function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; p?: unknown };
    if (parsed.v === 1 && parsed.p && typeof parsed.p === 'object') {
      const entries = Object.entries(parsed.p as Record<string, unknown>);
      if (entries.every(([, id]) => Number.isSafeInteger(id) && (id as number) >= 0)) return Object.fromEntries(entries) as Cursor;
    }
  } catch {
    // falls through to the refusal
  }
  throw new Problem('invalid_cursor');
}

/** Events on any of `topicNames` after `afterId`, oldest first. */
export async function eventsAfter(db: RegionDb, topicNames: string[], afterId: number, limit: number): Promise<EventEnvelope[]> {
  if (topicNames.length === 0) return [];
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'topic', 'type', 'data', 'created_at'])
    .where('topic', 'in', topicNames)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toEnvelope);
}

/** Every event after `afterId`, oldest first, whatever its topic: how realtime catches up after a bus outage. */
export async function allEventsAfter(db: RegionDb, afterId: number, limit: number): Promise<EventEnvelope[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'topic', 'type', 'data', 'created_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toEnvelope);
}

/** The newest outbox id, 0 while there is none. */
export async function latestEventId(db: RegionDb): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}
