import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, uniqueIndex, type PgColumnBuilderBase } from 'drizzle-orm/pg-core';
import type { ColumnBuilder, ColumnKit, TableExtra } from '../schema/kit';

const asBuilder = (builder: unknown) => builder as ColumnBuilder;

/**
 * PostgreSQL's column types: identity ids, bigint epoch ms read as numbers, stored generated
 * columns (its only kind), and the "C" collation where the order must be SQLite's.
 */
export const postgresColumnKit: ColumnKit = {
  table: (name, columns, extras) =>
    pgTable(name, columns as unknown as Record<string, PgColumnBuilderBase>, extras as never) as never,
  serialId: (name) => asBuilder(integer(name).primaryKey().generatedAlwaysAsIdentity()),
  integer: (name) => asBuilder(integer(name)),
  epochMs: (name) => asBuilder(bigint(name, { mode: 'number' })),
  text: (name) => asBuilder(text(name)),
  generatedText: (name, expression) => asBuilder(text(name).generatedAlwaysAs(expression)),
  index: (name, columns, where) => {
    const built = index(name).on(...(columns as [never]));
    return (where ? built.where(where) : built) as unknown as TableExtra;
  },
  uniqueIndex: (name, columns) => uniqueIndex(name).on(...(columns as [never])) as unknown as TableExtra,
  check: (name, condition) => check(name, condition) as unknown as TableExtra,
  byteOrder: (column) => sql`${column} COLLATE "C"`,
  // Under "C", PostgreSQL's lower() folds ASCII letters only; under the database's own collation
  // (C.UTF-8, en_US.UTF-8) it folds every letter, and "É" would sort apart from SQLite's.
  lowerAscii: (expression) => sql`lower((${expression}) COLLATE "C")`,
};
