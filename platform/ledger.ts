import { sql } from 'kysely';
import type { Trx } from './actions.js';
import { prepared } from './db/prepared.js';
import { Problem } from './errors.js';

/**
 * The one way credits change: the balance and a ledger row move together, in the caller's
 * transaction, so every balance can be audited as the sum of its ledger.
 */
export async function changeCredits(trx: Trx, userId: string, delta: number, reason: string, ref: Record<string, unknown> = {}): Promise<number> {
  if (!Number.isSafeInteger(delta)) throw new RangeError(`credit delta must be a safe integer, got ${delta}`);
  const updated = await addCredits.first(trx, { userId, delta });
  if (!updated) throw new Problem(409, 'insufficient_credits', 'Not enough credits');
  await bookCredits.execute(trx, { userId, delta, balance: updated.credits, reason, ref: JSON.stringify(ref) });
  return updated.credits;
}

const addCredits = prepared((db, a: { userId: string; delta: number }) =>
  db
    .updateTable('players')
    .set({ credits: sql`credits + ${a.delta}` })
    .where('user_id', '=', a.userId)
    .where(sql<boolean>`credits + ${a.delta} >= 0`)
    .returning('credits'),
);
const bookCredits = prepared((db, a: { userId: string; delta: number; balance: number; reason: string; ref: string }) =>
  db.insertInto('credit_ledger').values({ user_id: a.userId, delta: a.delta, balance_after: a.balance, reason: a.reason, ref: a.ref }),
);
