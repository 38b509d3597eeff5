import type { Transaction } from 'kysely';
import type { Bus } from './bus/index.js';
import type { Db } from './db/database.js';
import type { Database } from './db/schema.js';

/**
 * Domain events travel through the transactional outbox: written in the action's transaction,
 * published to the bus after commit (and again by the relay if a process died in between).
 * Every event keeps its outbox id, so clients drop duplicates and resume after the last id seen.
 */
export interface DomainEvent {
  topic: string;
  type: string;
  data: Record<string, unknown>;
}

/** The frame realtime clients and the events feed see. */
export interface EventEnvelope {
  id: number;
  topic: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/** The bus channel every outbox event is published on; realtime routes by `topic` inside. */
export const EVENTS_CHANNEL = 'events';

export const topics = {
  player: (userId: string) => `player:${userId}`,
  sector: (sectorId: number) => `sector:${sectorId}`,
  region: (regionId: number) => `region:${regionId}`,
  team: (teamId: number | string) => `team:${teamId}`,
  global: 'global',
  admin: 'admin',
} as const;

export async function recordEvents(trx: Transaction<Database> | Db, events: DomainEvent[]): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  const rows = await trx
    .insertInto('outbox')
    .values(events.map((e) => ({ topic: e.topic, type: e.type, data: JSON.stringify(e.data) })))
    .returning(['id', 'topic', 'type', 'data', 'created_at'])
    .execute();
  return rows.map(toEnvelope);
}

export function toEnvelope(row: { id: number; topic: string; type: string; data: unknown; created_at: Date }): EventEnvelope {
  return {
    id: Number(row.id),
    topic: row.topic,
    type: row.type,
    at: new Date(row.created_at).toISOString(),
    data: row.data as Record<string, unknown>,
  };
}

/**
 * Publish committed events and mark them published. A failure leaves them unmarked for the
 * relay to retry; the action that produced them has already succeeded either way.
 */
export async function publishEvents(db: Db, bus: Bus, envelopes: EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  // Issued together so the bus pipelines them; Redis keeps one connection's commands in order.
  await Promise.all(envelopes.map((envelope) => bus.publish(EVENTS_CHANNEL, JSON.stringify(envelope))));
  await db
    .updateTable('outbox')
    .set({ published_at: new Date() })
    .where(
      'id',
      'in',
      envelopes.map((e) => e.id),
    )
    .execute();
}

/** Events on any of `topicNames` after `afterId`, oldest first: the resume feed. */
export async function eventsAfter(db: Db, topicNames: string[], afterId: number, limit: number): Promise<EventEnvelope[]> {
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
export async function allEventsAfter(db: Db, afterId: number, limit: number): Promise<EventEnvelope[]> {
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
export async function latestEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}
