import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../contract/events.js';
import { type AuditEntry, recordAudit } from '../platform/audit.js';
import { EVENTS_CHANNEL } from '../platform/outbox.js';
import { recordEvents } from '../tests/game-helpers.js';
import { createTestApp, type TestApp } from '../tests/harness.js';
import { reopenWindow, runWindow, worldState } from '../tests/job-helpers.js';
import { stageAudit } from '../world/audit-outbox.js';
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
    t.region,
    Array.from({ length: n }, (_, i) => ({ topic: 'sector:7', type: 'port.traded', data: { tag, i } })),
  );
const receivedIds = (tag: string) => received.filter((e) => (e.data as { tag?: string }).tag === tag).map((e) => e.id);

describe('outbox-relay job', () => {
  it('publishes committed but unpublished events once, marks them, and publishes nothing on a re-run', async () => {
    const events = await orphans(3, 'orphan');
    const W = new Date(Date.now() + 10_000);
    const outcome = await runWindow(t, outboxRelayJob, W);
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { published: 3, unpublished_left: 0 } });
    await sleep(100);
    expect(receivedIds('orphan')).toEqual(events.map((e) => e.id));
    expect(received.find((e) => e.id === events[0]!.id)).toMatchObject({ topic: 'sector:7', type: 'port.traded', data: { tag: 'orphan', i: 0 } });
    const rows = await t.region
      .selectFrom('outbox')
      .select('published_at')
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    expect(rows.every((r) => r.published_at !== null)).toBe(true);

    const state = await worldState(t.region);
    await reopenWindow(t.region, 'outbox-relay', W);
    expect(await runWindow(t, outboxRelayJob, W)).toMatchObject({ status: 'succeeded', stats: { published: 0 } });
    await sleep(100);
    expect(receivedIds('orphan')).toEqual(events.map((e) => e.id));
    expect(await worldState(t.region)).toEqual(state);
  });

  it('leaves events younger than the grace period to the writer that is about to publish them', async () => {
    const [young] = await orphans(1, 'young');
    const W = new Date(Date.now());
    expect(await runWindow(t, outboxRelayJob, W)).toMatchObject({ status: 'succeeded', stats: { published: 0 } });
    const row = await t.region.selectFrom('outbox').select('published_at').where('id', '=', young!.id).executeTakeFirstOrThrow();
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
    await sql`update outbox set created_at = ${longAgo}, published_at = ${longAgo} where id = ${published!.id}`.execute(t.region);
    await sql`update outbox set created_at = ${longAgo} where id = ${unpublished!.id}`.execute(t.region);
    const outcome = await runWindow(t, outboxRelayJob, new Date(Date.now() + 120_000));
    expect(outcome.stats).toMatchObject({ published: 1 });
    expect(Number(outcome.stats!.pruned)).toBeGreaterThanOrEqual(1);
    const left = await t.region.selectFrom('outbox').select('id').where('id', 'in', [published!.id, unpublished!.id]).execute();
    expect(left.map((r) => r.id)).toEqual([unpublished!.id]);
  });

  it('moves an admin audit row its writer staged with the change but never moved, once, with the change’s time', async () => {
    const entry = (n: number) => ({
      actor: { id: null, name: 'relay-test' },
      action: 'player.credits',
      target: { type: 'pilot', id: `relay-${n}` },
      before: { credits: n },
      after: { credits: n + 1 },
      reason: 'a crash after commit',
    });
    // Died after the region commit: staged only. Died after the insert here, before the delete there: both.
    const lost = await t.region.transaction().execute((trx) => stageAudit(trx, entry(1)));
    const half = await t.region.transaction().execute((trx) => stageAudit(trx, entry(2)));
    const stagedAt = (await t.region.selectFrom('audit_outbox').select('at').where('id', '=', lost).executeTakeFirstOrThrow()).at;
    const staged = await t.region.selectFrom('audit_outbox').selectAll().where('id', '=', half).executeTakeFirstOrThrow();
    await recordAudit(t.accounts, staged.entry as AuditEntry, { sourceId: half, at: new Date(staged.at) });

    const W = new Date(Date.now() + 180_000);
    expect((await runWindow(t, outboxRelayJob, W)).stats).toMatchObject({ audit_moved: 2 });
    const rows = await t.accounts.selectFrom('admin_audit').selectAll().where('source_id', 'in', [lost, half]).orderBy('id').execute();
    expect(rows.map((r) => [r.source_id, r.target_id, r.after])).toEqual([
      [half, 'relay-2', { credits: 3 }],
      [lost, 'relay-1', { credits: 2 }],
    ]);
    expect(new Date(rows[1]!.at).getTime()).toBe(new Date(stagedAt).getTime());
    expect(await t.region.selectFrom('audit_outbox').select('id').where('id', 'in', [lost, half]).execute()).toEqual([]);

    await reopenWindow(t.region, 'outbox-relay', W);
    expect((await runWindow(t, outboxRelayJob, W)).stats).toMatchObject({ audit_moved: 0 });
    expect(await t.accounts.selectFrom('admin_audit').select('id').where('source_id', 'in', [lost, half]).execute()).toHaveLength(2);
  });
});
