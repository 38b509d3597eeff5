import { sql } from 'kysely';
import type { Trx } from './actions.js';
import { Problem } from './errors.js';

/**
 * The one way credits change: the balance and a ledger row move together, in the caller's
 * transaction, so every balance can be audited as the sum of its ledger.
 */
export async function changeCredits(
  trx: Trx,
  userId: string,
  delta: number,
  reason: string,
  ref: Record<string, unknown> = {},
): Promise<number> {
  if (!Number.isSafeInteger(delta)) throw new RangeError(`credit delta must be a safe integer, got ${delta}`);
  const updated = await trx
    .updateTable('players')
    .set({ credits: sql`credits + ${delta}` })
    .where('user_id', '=', userId)
    .where(sql<boolean>`credits + ${delta} >= 0`)
    .returning('credits')
    .executeTakeFirst();
  if (!updated) throw new Problem(409, 'insufficient_credits', 'Not enough credits');
  await trx
    .insertInto('credit_ledger')
    .values({ user_id: userId, delta, balance_after: updated.credits, reason, ref: JSON.stringify(ref) })
    .execute();
  return updated.credits;
}
