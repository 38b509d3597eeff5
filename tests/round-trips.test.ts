import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTradingPort, newPilot, placePilot } from './game-helpers.js';
import { createTestApp, testBackends, type TestApp } from './harness.js';
import { neighbourOf } from './realtime-client.js';

/**
 * What one action costs the database in round trips, counted where they happen: every query a
 * pg client sends, BEGIN and COMMIT included. A buy or sell is begin, one locked read, one write,
 * commit; a move the same (its arrival view is part of the read).
 */
describe.runIf(testBackends().databaseUrl)('round trips per action on PostgreSQL', () => {
  let t: TestApp;
  let sent: string[] | null = null;
  const original = pg.Client.prototype.query;

  beforeAll(async () => {
    t = await createTestApp();
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      sent?.push(String(text).slice(0, 60));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await t?.close();
  });

  async function counted(work: () => Promise<{ status: number; text: string }>): Promise<string[]> {
    // Published events are marked in batches, a statement per batch rather than per action: settle the last batch first.
    await t.outbox.flush();
    sent = [];
    const res = await work();
    const statements = sent;
    sent = null;
    expect(res.status, res.text).toBe(200);
    return statements;
  }

  it('buy ≤ 4, sell ≤ 4 and move ≤ 5, with and without an Idempotency-Key', async () => {
    const p = await newPilot(t);
    const port = await findTradingPort(t);
    await placePilot(t, p.userId, port.sector_id);
    // Warm the caches a first request fills (the account's status on the bus).
    await t.call('GET', '/api/v1/player/state', { token: p.token });
    const trade = (side: 'buy' | 'sell', good: string, key?: string) => () =>
      t.call('POST', `/api/v1/trade/${side}`, { token: p.token, body: { good, quantity: 2 }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

    const buy = await counted(trade('buy', port.sells));
    const keyedBuy = await counted(trade('buy', port.sells, 'buy-key'));
    // Sell what the port buys: load some of it first (around the API, as the other helpers do).
    await t.region
      .updateTable('ships')
      .set({ [`cargo_${port.buys}`]: 10 } as never)
      .where('owner_user_id', '=', p.userId)
      .execute();
    const sell = await counted(trade('sell', port.buys));
    const keyedSell = await counted(trade('sell', port.buys, 'sell-key'));
    const to = await neighbourOf(t, port.sector_id);
    const move = await counted(() => t.call('POST', '/api/v1/player/move', { token: p.token, body: { to } }));
    const keyedMove = await counted(() =>
      t.call('POST', '/api/v1/player/move', { token: p.token, body: { to: port.sector_id }, headers: { 'idempotency-key': 'move-key' } }),
    );

    const counts = {
      buy: buy.length,
      keyedBuy: keyedBuy.length,
      sell: sell.length,
      keyedSell: keyedSell.length,
      move: move.length,
      keyedMove: keyedMove.length,
    };
    expect(counts.buy, buy.join('\n')).toBeLessThanOrEqual(4);
    expect(counts.keyedBuy, keyedBuy.join('\n')).toBeLessThanOrEqual(4);
    expect(counts.sell, sell.join('\n')).toBeLessThanOrEqual(4);
    expect(counts.keyedSell, keyedSell.join('\n')).toBeLessThanOrEqual(4);
    expect(counts.move, move.join('\n')).toBeLessThanOrEqual(5);
    expect(counts.keyedMove, keyedMove.join('\n')).toBeLessThanOrEqual(5);
    // And the count is of real statements: begin and commit are among them.
    expect(buy[0]).toMatch(/^begin/i);
    expect(buy.at(-1)).toMatch(/^commit/i);
  });
});
