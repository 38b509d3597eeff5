import type { CreditEntry } from '../game/changes.js';
import type { Statement } from './statement.js';

/**
 * The one way credits change: the applier adds every credit entry of a change set to its
 * pilot's balance (one UPDATE per pilot, held to credits >= 0 by a CHECK constraint) and writes
 * the entries here, in the same statement, each with the balance it left. So every balance can
 * be audited as the sum of its ledger, and no credit ever moves without its row.
 *
 * `pilots` names the CTE that updated the balances and returned `user_id, credits` (the final
 * balance); an entry's balance is the final one less the entries that came after it.
 */
export function ledgerRows(st: Statement, entries: CreditEntry[], pilots: string): string {
  const after = new Map<string, number>();
  const later: number[] = new Array(entries.length);
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    later[i] = after.get(entry.userId) ?? 0;
    after.set(entry.userId, later[i]! + entry.delta);
  }
  const rows = entries.map((entry, i) => {
    const cast = (type: string) => (i === 0 ? `::${type}` : '');
    return `(${st.value(i)}${cast('int')}, ${st.value(entry.userId)}${cast('uuid')}, ${st.value(entry.delta)}${cast('bigint')}, ${st.value(later[i])}${cast(
      'bigint',
    )}, ${st.value(entry.reason)}${cast('text')}, ${st.value(JSON.stringify(entry.ref ?? {}))}${cast('jsonb')})`;
  });
  return `ledger as (insert into credit_ledger (user_id, delta, balance_after, reason, ref)
  select v.user_id, v.delta, p.credits - v.later, v.reason, v.ref
  from (values ${rows.join(', ')}) as v(ord, user_id, delta, later, reason, ref) join ${pilots} p on p.user_id = v.user_id
  order by v.ord)`;
}
