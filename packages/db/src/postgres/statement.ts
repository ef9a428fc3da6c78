import { fillPlaceholders } from 'drizzle-orm';
import type pg from 'pg';

/**
 * A statement built once with drizzle's query builder and run straight on the pool as a named
 * prepared statement, rows as arrays: the read path pays neither drizzle's per-call SQL
 * building nor its generic row mapping (which cost as much CPU as the query on SQLite).
 */
export interface PreparedRows {
  readonly name: string;
  readonly text: string;
  /** The bound parameters for `values`, in order (constants of the SQL included). */
  parameters(values: Record<string, unknown>): unknown[];
  rows(values: Record<string, unknown>): Promise<unknown[][]>;
}

export function preparedRows(pool: pg.Pool, name: string, query: { toSQL(): { sql: string; params: unknown[] } }): PreparedRows {
  const { sql: text, params } = query.toSQL();
  const parameters = (values: Record<string, unknown>) => fillPlaceholders(params, values);
  return {
    name,
    text,
    parameters,
    async rows(values) {
      const result = await pool.query<unknown[]>({ name, text, values: parameters(values), rowMode: 'array' });
      return result.rows;
    },
  };
}
