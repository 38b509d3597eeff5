import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { Database } from './db/schema.js';
import { prepared } from './db/prepared.js';
import { Problem } from './errors.js';
import { publishEvents, recordEvents, type DomainEvent } from './events.js';
import type { AppEnv, Deps } from './http/context.js';

export type Trx = Transaction<Database>;

export interface ActionOutcome<T, S extends 200 | 201 = 200> {
  status: S;
  body: T;
  events?: DomainEvent[];
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** An in-flight claim older than this belongs to a request that died before committing. */
const STALE_CLAIM_SECONDS = 60;

/**
 * Run one game action: one transaction in which the handler locks its rows (player, then ship,
 * then port or planet), applies a rule and writes; the outbox events and the idempotent response
 * are written in the same transaction, and the events are published after commit.
 *
 * With an `Idempotency-Key` header, a replay returns the first response unchanged, the same
 * key with another body is refused (422) and a replay while the first is running gets 409.
 * A refused action (any problem) releases its key: nothing changed, so a retry is a new try.
 */
export async function runAction<T, S extends 200 | 201 = 200>(
  c: Context<AppEnv>,
  deps: Pick<Deps, 'db' | 'bus' | 'logger'>,
  action: (trx: Trx) => Promise<ActionOutcome<T, S>>,
): Promise<TypedResponse<JSONParsed<T>, S, 'json'>> {
  const { db, bus } = deps;
  const userId = c.get('user').id;
  const key = c.req.header('idempotency-key');
  let claimed = false;

  if (key !== undefined) {
    if (!KEY_PATTERN.test(key)) {
      throw new Problem(422, 'invalid_idempotency_key', 'Idempotency-Key must be 1–255 visible ASCII characters');
    }
    const requestHash = await hashRequest(c);
    const replay = await claimKey(db, userId, key, requestHash);
    // A replayed response is the stored JSON of an earlier outcome of this same action.
    if (replay) return replay as unknown as TypedResponse<JSONParsed<T>, S, 'json'>;
    claimed = true;
  }

  let outcome: ActionOutcome<T, S>;
  let published;
  try {
    ({ outcome, published } = await db.transaction().execute(async (trx) => {
      const result = await action(trx);
      const envelopes = await recordEvents(trx, result.events ?? []);
      if (claimed) {
        await finishKey.execute(trx, { userId, key: key!, status: result.status, body: JSON.stringify(result.body) });
      }
      return { outcome: result, published: envelopes };
    }));
  } catch (err) {
    if (claimed) {
      await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key!).where('state', '=', 'in_flight').execute();
    }
    throw err;
  }

  await publishEvents(db, bus, published).catch((err) =>
    c.get('log').warn({ err: (err as Error).message }, 'event publish failed; the outbox relay will retry'),
  );
  return c.json(outcome.body, outcome.status) as unknown as TypedResponse<JSONParsed<T>, S, 'json'>;
}

const claimNewKey = prepared((db, a: { userId: string; key: string; requestHash: string }) =>
  db
    .insertInto('idempotency_keys')
    .values({ user_id: a.userId, key: a.key, request_hash: a.requestHash, state: 'in_flight' })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key'),
);
const finishKey = prepared((db, a: { userId: string; key: string; status: number; body: string }) =>
  db
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: a.status, response_body: a.body })
    .where('user_id', '=', a.userId)
    .where('key', '=', a.key),
);

/** Mutations carry bodies, which jsonBodies has already read into Hono's body cache. */
async function hashRequest(c: Context<AppEnv>): Promise<string> {
  return idempotencyHash(c.req.method, c.req.path, await c.req.text());
}

/** What makes two requests "the same" for an Idempotency-Key: method, path and exact body. */
export function idempotencyHash(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method} ${path}\n${body}`).digest('hex');
}

async function claimKey(db: Deps['db'], userId: string, key: string, requestHash: string): Promise<Response | null> {
  const inserted = await claimNewKey.first(db, { userId, key, requestHash });
  if (inserted) return null;

  const existing = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
  if (!existing) return claimKey(db, userId, key, requestHash); // released meanwhile: try again
  if (existing.request_hash !== requestHash) {
    throw new Problem(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request');
  }
  if (existing.state === 'done') {
    return new Response(JSON.stringify(existing.response_body), {
      status: existing.response_status ?? 200,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
    });
  }
  const reclaimed = await db
    .updateTable('idempotency_keys')
    .set({ claimed_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('state', '=', 'in_flight')
    .where('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`)
    .returning('key')
    .executeTakeFirst();
  if (reclaimed) return null;
  throw new Problem(409, 'idempotency_in_flight', 'A request with this Idempotency-Key is still being processed', {
    headers: { 'retry-after': '1' },
  });
}
