import { is, SQL } from 'drizzle-orm';
import { getTableConfig as postgresTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { expect, it } from 'vitest';
import * as postgres from '../src/postgres/schema/index';
import * as sqlite from '../src/sqlite/schema/index';

// The two dialects' schemas are written separately (drizzle's table builders differ), so this
// keeps them from drifting: the same tables, columns, nullability, defaults, keys, indexes and
// checks, with the engines' own types (PostgreSQL's bigint for epoch ms where SQLite has integer).

/** Tables that exist on one engine only, and why. */
const onlyOn = {
  // The shared mutation rate limit: with one API process on SQLite, the buckets live in memory.
  postgres: ['mutation_rate_limits'],
  sqlite: [] as string[],
};

/** The columns an index is on, also when it is on an expression (`sort_name COLLATE "C"`). */
function columnNames(indexed: unknown): string[] {
  if (is(indexed, SQL)) return indexed.queryChunks.flatMap(columnNames);
  // A column, or PostgreSQL's IndexedColumn standing for one; SQL's string chunks have no name.
  if (typeof indexed === 'object' && indexed !== null && 'name' in indexed) return [(indexed as { name: string }).name];
  return [];
}

type AnyConfig = ReturnType<typeof sqliteTableConfig> | ReturnType<typeof postgresTableConfig>;

function shape(config: AnyConfig) {
  return {
    name: config.name,
    columns: config.columns.map((column) => ({
      name: column.name,
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique,
      default: column.default === undefined ? undefined : String(column.default),
      enumValues: column.enumValues,
      // SQLite's generated column is virtual, PostgreSQL's stored (its only kind): both computed alike.
      generated: column.generated !== undefined,
    })),
    indexes: config.indexes.map((index) => ({
      name: index.config.name,
      columns: index.config.columns.flatMap(columnNames),
      partial: index.config.where !== undefined,
    })),
    checks: config.checks.map((check) => check.name),
    foreignKeys: config.foreignKeys.map((key) => {
      const reference = key.reference();
      return { columns: reference.columns.map((column) => column.name), foreignColumns: reference.foreignColumns.map((column) => column.name) };
    }),
  };
}

const tablesOf = (module: Record<string, unknown>, config: (table: never) => AnyConfig) =>
  Object.values(module).map((table) => shape(config(table as never)));

it('defines the same tables on SQLite and PostgreSQL', () => {
  const sqliteTables = tablesOf(sqlite, sqliteTableConfig as never);
  const postgresTables = tablesOf(postgres, postgresTableConfig as never).filter((table) => !onlyOn.postgres.includes(table.name));
  expect(sqliteTables.map((table) => table.name).sort()).toEqual(postgresTables.map((table) => table.name).sort());
  for (const table of sqliteTables) {
    expect(postgresTables.find((other) => other.name === table.name), table.name).toEqual(table);
  }
});
