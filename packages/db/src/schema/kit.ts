import type { AnyColumn, SQL, Table } from 'drizzle-orm';

/**
 * A column under construction, as the table definitions chain it. Both drizzle dialects' column
 * builders have these methods; each engine's kit hands its own builders out as this type.
 */
export interface ColumnBuilder {
  notNull(): ColumnBuilder;
  default(value: string | number): ColumnBuilder;
  unique(): ColumnBuilder;
  primaryKey(): ColumnBuilder;
  references(column: () => AnyColumn): ColumnBuilder;
}

/** An index or a check constraint, as the table definitions return them. */
export interface TableExtra {
  readonly extraOf: 'index' | 'check';
}

/** A table defined by a kit: drizzle's table of that engine, with a column for each key. */
export type DefinedTable<K extends string> = Table & { readonly [Key in K]: AnyColumn };

/**
 * What differs between the engines in a table definition, and nothing else: each table is
 * defined once (src/schema/*.ts) as a function of this kit, and each engine builds its drizzle
 * tables from those definitions with its own kit (src/sqlite/kit.ts, src/postgres/kit.ts).
 */
export interface ColumnKit {
  table<C extends Record<string, ColumnBuilder>>(
    name: string,
    columns: C,
    extras?: (table: { readonly [Key in keyof C & string]: AnyColumn }) => TableExtra[],
  ): DefinedTable<keyof C & string>;
  /** An integer primary key the database assigns in insertion order. */
  serialId(name: string): ColumnBuilder;
  integer(name: string): ColumnBuilder;
  /** Epoch milliseconds: past 2^31, so PostgreSQL needs bigint; read as a JavaScript number. */
  epochMs(name: string): ColumnBuilder;
  text(name: string): ColumnBuilder;
  /** A text column that the database computes from other columns of the row, never written. */
  generatedText(name: string, expression: () => SQL): ColumnBuilder;
  index(name: string, columns: Array<AnyColumn | SQL>, where?: SQL): TableExtra;
  uniqueIndex(name: string, columns: AnyColumn[]): TableExtra;
  check(name: string, condition: SQL): TableExtra;
  /**
   * `column` compared in code-point (byte) order: SQLite's default; PostgreSQL's "C" collation,
   * whatever the database's own. An index and the queries that walk it must use the same one.
   */
  byteOrder(column: AnyColumn): AnyColumn | SQL;
  /** `lower()` of ASCII letters only, which is all that SQLite's lower() knows. */
  lowerAscii(expression: SQL): SQL;
}
