import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createTestApp, registerPlayer, testBackends, type TestApp } from '../tests/harness.js';
import type { Bus } from './bus/index.js';
import { MemoryBus } from './bus/memory-bus.js';
import { openDatabase } from './db/database.js';
import { RedisBus } from './bus/redis-bus.js';
import { Problem } from './errors.js';
import { sessionKey, sessionStatus, userStatusKey } from './session-status.js';

let t: TestApp;
const opened: Bus[] = [];
/** The bus under test: this run's Redis when there is one, the in-process bus otherwise. */
function freshBus(): Bus {
  const { redisUrl, redisPrefix } = testBackends();
  const bus = redisUrl ? new RedisBus(redisUrl, `${redisPrefix}status-${randomBytes(3).toString('hex')}:`) : new MemoryBus();
  opened.push(bus);
  return bus;
}
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await Promise.all(opened.map((b) => b.close()));
  await t.close();
});

async function signedIn() {
  const p = await registerPlayer(t);
  return { userId: p.userId, sessionId: t.tokens.verify(p.token)!.sid };
}
/** Revoke in the database only, as a logout does when the bus is unreachable. */
const revokeInDatabase = (sessionId: string) =>
  t.accounts.updateTable('refresh_tokens').set({ revoked_at: sql`now()` }).where('family_id', '=', sessionId).execute();

describe('session status', () => {
  it('answers a busy session from the bus once the database has vouched for it', async () => {
    const bus = freshBus();
    const session = await signedIn();
    // The first read starts the cache epoch; the second caches the approval; the third is served by the bus.
    for (let i = 0; i < 3; i++) expect(await sessionStatus({ accounts: t.accounts, bus }, session)).toBe('active');
    await revokeInDatabase(session.sessionId);
    expect(await sessionStatus({ accounts: t.accounts, bus }, session)).toBe('active');
    // Without the cached approval the database is asked, and the refusal is cached in turn.
    await bus.del(sessionKey(session.sessionId));
    expect(await sessionStatus({ accounts: t.accounts, bus }, session)).toBe('revoked');
    expect(await bus.get(sessionKey(session.sessionId))).toBe('revoked');
  });

  it('does not let an approval written before a Redis restart vouch for a session revoked meanwhile', async () => {
    const before = freshBus();
    const session = await signedIn();
    for (let i = 0; i < 2; i++) await sessionStatus({ accounts: t.accounts, bus: before }, session);
    const approval = await before.getMany([userStatusKey(session.userId), sessionKey(session.sessionId)]);
    expect(approval).toEqual([expect.stringMatching(/^active@/), expect.stringMatching(/^alive@/)]);

    await revokeInDatabase(session.sessionId);
    // The restarted Redis is empty, but a client replays the last writes it had sent into it.
    const after = freshBus();
    await after.set(userStatusKey(session.userId), approval[0]!);
    await after.set(sessionKey(session.sessionId), approval[1]!);
    expect(await sessionStatus({ accounts: t.accounts, bus: after }, session)).toBe('revoked');
    expect(await sessionStatus({ accounts: t.accounts, bus: after }, session)).toBe('revoked');
  });

  it('asks the database when the bus is unreachable, and refuses with 503 when neither answers', async () => {
    const down = new RedisBus('redis://127.0.0.1:1', 'status-test:');
    try {
      const [alive, revoked] = [await signedIn(), await signedIn()];
      await revokeInDatabase(revoked.sessionId);
      expect(await sessionStatus({ accounts: t.accounts, bus: down }, alive)).toBe('active');
      expect(await sessionStatus({ accounts: t.accounts, bus: down }, revoked)).toBe('revoked');
      const closed = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir: '' }, { inMemory: true });
      await closed.close();
      const failure = await sessionStatus({ accounts: closed.accounts, bus: down }, alive).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(Problem);
      expect([(failure as Problem).status, (failure as Problem).code]).toEqual([503, 'session_check_unavailable']);
    } finally {
      await down.close();
    }
  });
});
