import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { ledgerMismatches, newPilot } from './game-helpers.js';

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
  it('replays the first response byte for byte and changes nothing', async () => {
    const p = await newPilot(t);
    const first = await buy(p.token, 'buy-1');
    expect(first.status).toBe(200);
    const after = await state(p.token);
    const replay = await buy(p.token, 'buy-1');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    // The exact text, not just an equal object: a stored jsonb would have reordered the keys.
    expect(replay.text).toBe(first.text);
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

  it('lets exactly one of many concurrent identical requests act; every other one replays its answer', async () => {
    const p = await newPilot(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => buy(p.token, 'same-click')));
    const fresh = results.filter((r) => r.status === 200 && !r.headers.get('idempotent-replayed'));
    const replayed = results.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed'));
    expect(fresh).toHaveLength(1);
    expect(replayed).toHaveLength(19);
    for (const r of replayed) expect(r.text).toBe(fresh[0]!.text);
    expect((await state(p.token)).ship.cargo.ore).toBe(3);
    expect(await ledgerMismatches(t)).toEqual([]);
  });

  it('replays a committed action even when the state would now refuse it', async () => {
    const p = await newPilot(t);
    const first = await buy(p.token, 'fill-up', 50);
    expect(first.status).toBe(200);
    // The holds are full now: the same order anew would be insufficient_holds; the retry is the same order.
    const retry = await buy(p.token, 'fill-up', 50);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect((await state(p.token)).ship.cargo.ore).toBe(50);
  });

  it('keeps no key for a refused action, so a later retry can succeed', async () => {
    const p = await newPilot(t);
    const refused = await t.call('POST', '/api/v1/trade/buy', {
      token: p.token,
      body: { good: 'ore', quantity: 51 },
      headers: { 'idempotency-key': 'retry-me' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('insufficient_holds');
    const count = await t.region.selectFrom('idempotency_keys').select('key').where('user_id', '=', p.userId).execute();
    expect(count).toEqual([]);
  });

  it('rejects a malformed key', async () => {
    const p = await newPilot(t);
    const res = await buy(p.token, 'has space');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_idempotency_key');
  });
});
