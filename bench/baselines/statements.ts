import pg from 'pg';

/**
 * What the database did for a phase, statement by statement, from pg_stat_statements (issue 22:
 * where actions ÷ pgbench is missed, show precisely what bounds it). Reset when the phase starts,
 * read when it ends, for the phase's database only. The extension must be preloaded on the server
 * (`shared_preload_libraries = 'pg_stat_statements'`); without it the table says so and nothing
 * else changes.
 */
export interface StatementRow {
  query: string;
  calls: number;
  calls_per_action: number;
  mean_ms: number;
  total_ms: number;
  share_pct: number;
}

export interface StatementStats {
  phase: string;
  statements_per_action: number;
  /** PostgreSQL's execution time per action (planning excluded), ms */
  db_ms_per_action: number;
  top: StatementRow[];
}

export type StatementProbe = { read(actions: number): Promise<StatementStats | { skipped: string }> };

const TOP = 12;

/** Start counting for the database at `url`; `read` gives what it ran since. */
export async function countStatements(url: string, phase: string): Promise<StatementProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists pg_stat_statements');
    await client.query('select pg_stat_statements_reset()');
  } catch (err) {
    await client.end();
    const reason = `pg_stat_statements is not available (${(err as Error).message}); preload it to see the statements: alter system set shared_preload_libraries = 'pg_stat_statements', then restart PostgreSQL`;
    return { read: async () => ({ skipped: reason }) };
  }
  return {
    read: async (actions) => {
      try {
        const { rows } = await client.query<{ query: string; calls: string; total: number; mean: number }>(
          `select query, calls::text as calls, total_exec_time as total, mean_exec_time as mean
             from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database())
              and query not like '%pg_stat_statements%'
            order by total_exec_time desc`,
        );
        const calls = rows.reduce((sum, r) => sum + Number(r.calls), 0);
        const total = rows.reduce((sum, r) => sum + r.total, 0);
        const per = (n: number) => (actions > 0 ? Math.round((n / actions) * 100) / 100 : 0);
        return {
          phase,
          statements_per_action: per(calls),
          db_ms_per_action: per(total),
          top: rows.slice(0, TOP).map((r) => ({
            query: r.query.replace(/\s+/g, ' ').slice(0, 160),
            calls: Number(r.calls),
            calls_per_action: per(Number(r.calls)),
            mean_ms: Math.round(r.mean * 1000) / 1000,
            total_ms: Math.round(r.total),
            share_pct: total > 0 ? Math.round((r.total / total) * 1000) / 10 : 0,
          })),
        };
      } finally {
        await client.end();
      }
    },
  };
}
