import type BetterSqlite3 from 'better-sqlite3';
import { fillPlaceholders, sql } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { compilerFor, type QueryEngine, type Statement, type TransactionBody } from '../queries/engine';
import { sqliteColumnKit } from './kit';
import { preparedOnce } from './prepared';
import * as tables from './schema/index';

const dialect = new SQLiteSyncDialect();
const nothing = sql``;

type Runner = (params: unknown[]) => unknown[][];

/** A prepared statement as a function of its parameters: rows as arrays, or none for a write. */
function prepare(connection: BetterSqlite3.Database, text: string): Runner {
  const statement = connection.prepare(text);
  if (!statement.reader) {
    return (params) => {
      statement.run(...params);
      return [];
    };
  }
  // Rows as arrays: the callers map them by position (see queries/columns.ts).
  const reader = statement.raw(true);
  return (params) => reader.all(...params) as unknown[][];
}

/**
 * The engine over one better-sqlite3 connection: statements prepared once per connection, and
 * transactions that run their whole body synchronously, so no other statement of this process
 * can slip in between two of theirs.
 */
export function sqliteEngine(connection: BetterSqlite3.Database): QueryEngine {
  const run = (statement: Statement, values: Record<string, unknown>) =>
    preparedOnce(connection, statement.name, () => prepare(connection, statement.text))(fillPlaceholders(statement.params, values));
  return {
    tables,
    kit: sqliteColumnKit,
    compile: compilerFor(dialect),
    async rows(statement, values = {}) {
      return run(statement, values);
    },
    async query(query) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return prepare(connection, text)(params);
    },
    async transaction<T>(body: () => TransactionBody<T>): Promise<T> {
      return connection
        .transaction((): T => {
          const steps = body();
          let next = steps.next();
          while (!next.done) next = steps.next(run(next.value.statement, next.value.values));
          return next.value;
        })
        .immediate();
    },
    mirrorUserLock: null,
    feedEventsAppendLock: null,
    lockForUpdate: nothing,
    skipLocked: nothing,
    caseInsensitiveLike: 'LIKE',
  };
}
