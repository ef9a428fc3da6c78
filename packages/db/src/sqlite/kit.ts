import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex, type SQLiteColumnBuilderBase } from 'drizzle-orm/sqlite-core';
import type { ColumnBuilder, ColumnKit, TableExtra } from '../schema/kit';

const asBuilder = (builder: unknown) => builder as ColumnBuilder;

/** SQLite's column types: integers of any size, and virtual generated columns (stored only in indexes). */
export const sqliteColumnKit: ColumnKit = {
  table: (name, columns, extras) =>
    sqliteTable(name, columns as unknown as Record<string, SQLiteColumnBuilderBase>, extras as never) as never,
  serialId: (name) => asBuilder(integer(name).primaryKey({ autoIncrement: true })),
  integer: (name) => asBuilder(integer(name)),
  epochMs: (name) => asBuilder(integer(name)),
  text: (name) => asBuilder(text(name)),
  generatedText: (name, expression) => asBuilder(text(name).generatedAlwaysAs(expression, { mode: 'virtual' })),
  index: (name, columns, where) => {
    const built = index(name).on(...(columns as [never]));
    return (where ? built.where(where) : built) as unknown as TableExtra;
  },
  uniqueIndex: (name, columns) => uniqueIndex(name).on(...(columns as [never])) as unknown as TableExtra,
  check: (name, condition) => check(name, condition) as unknown as TableExtra,
  byteOrder: (column) => column,
  lowerAscii: (expression) => sql`lower(${expression})`,
};
