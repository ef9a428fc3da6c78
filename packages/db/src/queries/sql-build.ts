import { Column, is, sql, SQL, type AnyColumn } from 'drizzle-orm';

// Pieces of SQL that both engines read alike, for statements written with drizzle's `sql` tag
// (drizzle's query builders are per dialect; its SQL objects are not).

/** A placeholder, bound by name when the statement runs. */
export const p = (name: string) => sql.placeholder(name);

/** Every leaf of a select list, in the order selectedPositions() numbers them. */
export function selectList(fields: object): SQL {
  const leaves: SQL[] = [];
  const walk = (node: object) => {
    for (const field of Object.values(node)) {
      if (is(field, Column) || is(field, SQL)) leaves.push(sql`${field}`);
      else walk(field as object);
    }
  };
  walk(fields);
  return sql.join(leaves, sql`, `);
}

/** ` WHERE a AND b …`, or nothing when there is no condition. */
export function where(conditions: SQL[]): SQL {
  return conditions.length === 0 ? sql`` : sql` WHERE ${sql.join(conditions, sql` AND `)}`;
}

/** `INSERT INTO table (columns…) VALUES ($key…)`: each column and its placeholder from one entry. */
export function insertInto(table: object, columns: Record<string, AnyColumn>): SQL {
  const keys = Object.keys(columns);
  return sql`INSERT INTO ${table} (${sql.join(keys.map((key) => sql.identifier(columns[key]!.name)), sql`, `)}) VALUES (${sql.join(keys.map(p), sql`, `)})`;
}

/** `column = $key, …` for an UPDATE (SET takes bare column names on both engines). */
export function assignments(columns: Record<string, AnyColumn>): SQL {
  return sql.join(Object.entries(columns).map(([key, column]) => sql`${sql.identifier(column.name)} = ${p(key)}`), sql`, `);
}

/** The named columns of `table`, each under its own key (for insertInto and assignments). */
export function columnsOf<T extends Record<K, AnyColumn>, K extends string>(table: T, keys: readonly K[]): Record<K, AnyColumn> {
  return Object.fromEntries(keys.map((key) => [key, table[key] as AnyColumn])) as Record<K, AnyColumn>;
}
