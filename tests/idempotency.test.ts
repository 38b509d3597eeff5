import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { ledgerMismatches, newPilot } from './game-helpers.js';
import { idempotencyHash } from '../platform/actions.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const buy = (token: string, key: string | undefined, quantity = 3) =>
  t.call('POST', '/api/v1/trade/buy', { token, body: { good: 'ore', quantity }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

// The pilot and ship, minus the countdown to the next turn (a clock, not state).
const state = async (token: string) => {
  const body = (await t.call('GET', '/api/v1/player/state', { token })).body;
  delete body.player.next_turn_in_ms;
  return body;
};

describe('Idempotency-Key', () => {
  it('replays the first response and changes nothing', async () => {
    const p = await newPilot(t);
    const first = await buy(p.token, 'buy-1');
    expect(first.status).toBe(200);
    const after = await state(p.token);
    const replay = await buy(p.token, 'buy-1');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await state(p.token)).toEqual(after);
    expect(after.ship.cargo.ore).toBe(3);
  });

  it('refuses the same key with a different body (422) and changes nothing', async () => {
    const p = await newPilot(t);
    await buy(p.token, 'k');
    const before = await state(p.token);
    const other = await buy(p.token, 'k', 4);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await state(p.token)).toEqual(before);
  });

  it('answers 409 while the first request with the key is in flight', async () => {
    const p = await newPilot(t);
    const hash = idempotencyHash('POST', '/api/v1/trade/buy', JSON.stringify({ good: 'ore', quantity: 3 }));
    await t.db.insertInto('idempotency_keys').values({ user_id: p.userId, key: 'busy', request_hash: hash, state: 'in_flight' }).execute();
    const before = await state(p.token);
    const res = await buy(p.token, 'busy');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('idempotency_in_flight');
    expect(await state(p.token)).toEqual(before);
  });

  it('lets exactly one of many concurrent identical requests act; the rest replay or wait', async () => {
    const p = await newPilot(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => buy(p.token, 'same-click')));
    const fresh = results.filter((r) => r.status === 200 && !r.headers.get('idempotent-replayed'));
    const replayed = results.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed'));
    const busy = results.filter((r) => r.status === 409);
    expect(fresh).toHaveLength(1);
    expect(replayed.length + busy.length).toBe(19);
    expect(busy.every((r) => r.body.code === 'idempotency_in_flight')).toBe(true);
    for (const r of replayed) expect(r.body).toEqual(fresh[0]!.body);
    expect((await state(p.token)).ship.cargo.ore).toBe(3);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('releases the key when the action is refused, so a later retry can succeed', async () => {
    const p = await newPilot(t);
    const refused = await t.call('POST', '/api/v1/trade/buy', {
      token: p.token,
      body: { good: 'ore', quantity: 51 },
      headers: { 'idempotency-key': 'retry-me' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('insufficient_holds');
    const count = await t.db.selectFrom('idempotency_keys').select('key').where('user_id', '=', p.userId).execute();
    expect(count).toEqual([]);
  });

  it('takes over a claim left by a request that died before committing', async () => {
    const p = await newPilot(t);
    const first = await buy(p.token, 'orphan');
    const hash = (await t.db.selectFrom('idempotency_keys').select('request_hash').where('key', '=', 'orphan').executeTakeFirstOrThrow()).request_hash;
    // Simulate the crash: a stale in-flight claim for the same request under a new key.
    await t.db
      .insertInto('idempotency_keys')
      .values({ user_id: p.userId, key: 'orphan-2', request_hash: hash, state: 'in_flight', claimed_at: new Date(Date.now() - 120_000) })
      .execute();
    const retried = await buy(p.token, 'orphan-2');
    expect(first.status).toBe(200);
    // Hashes cover method, path and body, not the key, so the stale claim matches this retry.
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect((await state(p.token)).ship.cargo.ore).toBe(6);
  });

  it('rejects a malformed key', async () => {
    const p = await newPilot(t);
    const res = await buy(p.token, 'has space');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_idempotency_key');
  });
});
