import type BetterSqlite3 from 'better-sqlite3';
import { fillPlaceholders, sql } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { compilerFor, type QueryEngine, type Statement, type TransactionBody } from '../queries/engine';
import { sqliteColumnKit } from './kit';
import { preparedOnce } from './prepared';
import * as tables from './schema/index';

const dialect = new SQLiteSyncDialect();
const nothing = sql``;

function prepare(connection: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  const statement = connection.prepare(text);
  // Rows as arrays: the callers map them by position (see queries/columns.ts).
  return statement.reader ? statement.raw(true) : statement;
}

function execute(statement: BetterSqlite3.Statement, params: unknown[]): unknown[][] {
  if (statement.reader) return statement.all(...params) as unknown[][];
  statement.run(...params);
  return [];
}

/**
 * The engine over one better-sqlite3 connection: statements prepared once per connection, and
 * transactions that run their whole body synchronously, so no other statement of this process
 * can slip in between two of theirs.
 */
export function sqliteEngine(connection: BetterSqlite3.Database): QueryEngine {
  const run = (statement: Statement, values: Record<string, unknown>) =>
    execute(preparedOnce(connection, statement.name, () => prepare(connection, statement.text)), fillPlaceholders(statement.params, values));
  return {
    tables,
    kit: sqliteColumnKit,
    compile: compilerFor(dialect),
    async rows(statement, values = {}) {
      return run(statement, values);
    },
    async query(query) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return execute(prepare(connection, text), params);
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
    lockForShare: nothing,
    lockForUpdate: nothing,
    skipLocked: nothing,
    caseInsensitiveLike: 'LIKE',
  };
}
