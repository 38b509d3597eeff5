import { CompiledQuery, type QueryResult } from 'kysely';

/**
 * A statement written as SQL text, for the few that Kysely's builder cannot express in one round
 * trip (a locked read across tables, a change set's data-modifying CTEs). Values always travel
 * as parameters: `value()` returns the placeholder for one.
 */
export class Statement {
  readonly params: unknown[] = [];

  value(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** Anything that runs a compiled query: a Kysely handle or transaction of either database. */
export interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

export async function runStatement<R>(db: Executor, text: string, params: readonly unknown[]): Promise<R[]> {
  return (await db.executeQuery(CompiledQuery.raw(text, [...params]) as CompiledQuery<R>)).rows;
}
