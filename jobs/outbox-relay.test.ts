import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL, recordEvents, type EventEnvelope } from '../platform/events.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { reopenWindow, runWindow, worldState } from '../tests/job-helpers.js';
import { outboxRelayJob } from './outbox-relay.js';

let t: TestApp;
const received: EventEnvelope[] = [];
let unsubscribe: () => Promise<void>;
beforeAll(async () => {
  t = await createTestApp();
  unsubscribe = await t.bus.subscribe(EVENTS_CHANNEL, (message) => received.push(JSON.parse(message) as EventEnvelope));
});
afterAll(async () => {
  await unsubscribe();
  await t.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Events committed by a writer that never published them (it died right after its commit). */
const orphans = (n: number, tag: string) =>
  recordEvents(
    t.db,
    Array.from({ length: n }, (_, i) => ({ topic: 'sector:7', type: 'port.traded', data: { tag, i } })),
  );
const receivedIds = (tag: string) => received.filter((e) => e.data.tag === tag).map((e) => e.id);

describe('outbox-relay job', () => {
  it('publishes committed but unpublished events once, marks them, and publishes nothing on a re-run', async () => {
    const events = await orphans(3, 'orphan');
    const W = new Date(Date.now() + 10_000);
    const outcome = await runWindow(t, outboxRelayJob, W);
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { published: 3, unpublished_left: 0 } });
    await sleep(100);
    expect(receivedIds('orphan')).toEqual(events.map((e) => e.id));
    expect(received.find((e) => e.id === events[0]!.id)).toMatchObject({ topic: 'sector:7', type: 'port.traded', data: { tag: 'orphan', i: 0 } });
    const rows = await t.db
      .selectFrom('outbox')
      .select('published_at')
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    expect(rows.every((r) => r.published_at !== null)).toBe(true);

    const state = await worldState(t.db);
    await reopenWindow(t.db, 'outbox-relay', W);
    expect(await runWindow(t, outboxRelayJob, W)).toMatchObject({ status: 'succeeded', stats: { published: 0 } });
    await sleep(100);
    expect(receivedIds('orphan')).toEqual(events.map((e) => e.id));
    expect(await worldState(t.db)).toEqual(state);
  });

  it('leaves events younger than the grace period to the writer that is about to publish them', async () => {
    const [young] = await orphans(1, 'young');
    const W = new Date(Date.now());
    expect(await runWindow(t, outboxRelayJob, W)).toMatchObject({ status: 'succeeded', stats: { published: 0 } });
    const row = await t.db.selectFrom('outbox').select('published_at').where('id', '=', young!.id).executeTakeFirstOrThrow();
    expect(row.published_at).toBeNull();
  });

  it('two relays racing over a backlog publish every event exactly once', async () => {
    const events = await orphans(1_200, 'backlog');
    const start = Date.now() + 60_000;
    const outcomes = await Promise.all([
      runWindow(t, outboxRelayJob, new Date(start), 'relay-a'),
      runWindow(t, outboxRelayJob, new Date(start + 5_000), 'relay-b'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    await sleep(300);
    const ids = receivedIds('backlog');
    expect(ids.length).toBe(events.length);
    expect(new Set(ids).size).toBe(events.length);
  });

  it('prunes published events past retention, never unpublished ones', async () => {
    const [published, unpublished] = await orphans(2, 'old');
    const longAgo = new Date(Date.now() - 100 * 3_600_000);
    await sql`update outbox set created_at = ${longAgo}, published_at = ${longAgo} where id = ${published!.id}`.execute(t.db);
    await sql`update outbox set created_at = ${longAgo} where id = ${unpublished!.id}`.execute(t.db);
    const outcome = await runWindow(t, outboxRelayJob, new Date(Date.now() + 120_000));
    expect(outcome.stats).toMatchObject({ published: 1 });
    expect(Number(outcome.stats!.pruned)).toBeGreaterThanOrEqual(1);
    const left = await t.db.selectFrom('outbox').select('id').where('id', 'in', [published!.id, unpublished!.id]).execute();
    expect(left.map((r) => r.id)).toEqual([unpublished!.id]);
  });
});
