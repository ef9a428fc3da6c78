import { sql, type SQL } from 'drizzle-orm';

/**
 * `column IN ('a', 'b', …)` with the values written as SQL literals, for CHECK constraints:
 * a constraint cannot take bound parameters, and the values come from this package's own
 * constants (see constants.ts), never from input.
 */
export function inList(column: SQL | SQL.Aliased | object, values: readonly string[]): SQL {
  return sql`${column} IN (${sql.join(values.map(sqlLiteral), sql`, `)})`;
}

/** A string written into SQL as a literal, for constraints and generated columns: constants only. */
export function sqlLiteral(value: string): SQL {
  return sql.raw(`'${value.replaceAll("'", "''")}'`);
}
