import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../contract/events.js';
import { busMessage } from '../platform/outbox.js';
import { stamped } from './fanout.js';

const envelope = { id: 7, topic: 'sector:3', type: 'port.traded', at: '2026-12-02T15:00:00.000Z', data: { good: 'ore' } } as unknown as EventEnvelope;

describe('event stamps (EVENT_STAMPS)', () => {
  it('are absent unless asked for: the bus message is the envelope, its id first', () => {
    expect(busMessage(envelope, false)).toBe(JSON.stringify(envelope));
    // Envelopes built from an event and its outbox row have the id last; on the bus it leads.
    const { id, at, ...event } = envelope;
    expect(busMessage({ ...event, id, at } as EventEnvelope, false)).toBe(JSON.stringify(envelope));
    expect(stamped(JSON.stringify(envelope), 1)).toBe(JSON.stringify(envelope));
  });

  it('travel as hops: published by the API, then received and sent by realtime, in that order', () => {
    const before = Date.now();
    const message = busMessage(envelope, true);
    const published = JSON.parse(message) as EventEnvelope & { hops: { published: number } };
    expect({ ...published, hops: undefined }).toEqual({ ...envelope, hops: undefined });
    expect(published.hops.published).toBeGreaterThanOrEqual(before - 1);
    expect(published.hops.published).toBeLessThanOrEqual(Date.now() + 1);

    const out = JSON.parse(stamped(message, published.hops.published + 0.5)) as { hops: { published: number; received: number; sent: number } };
    expect(Object.keys(out.hops)).toEqual(['published', 'received', 'sent']);
    expect(out.hops.received).toBe(published.hops.published + 0.5);
    expect(out.hops.sent).toBeGreaterThanOrEqual(published.hops.published);
  });
});
