import type { AnyColumn, SQL } from 'drizzle-orm';
import type { ColumnKit } from '../schema/kit';
import type { Tables } from '../schema/tables';

/**
 * A statement compiled once from drizzle's SQL: the engine's SQL text, and its parameters in
 * order (placeholders by name, constants of the SQL as values). Its name identifies it to the
 * engine's statement cache, so one name must always mean one text.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
  readonly params: unknown[];
}

/** One statement for a transaction to run, with the values of its placeholders. */
export interface Step {
  readonly statement: Statement;
  readonly values: Record<string, unknown>;
}

/**
 * A transaction's body, written once for both engines: it yields each statement to run and is
 * given back its rows (arrays, in select-list order). SQLite drives it synchronously inside one
 * IMMEDIATE transaction (better-sqlite3 cannot hold a transaction open across an await);
 * PostgreSQL drives it asynchronously on one pooled connection between BEGIN and COMMIT.
 */
export type TransactionBody<T> = Generator<Step, T, unknown[][]>;

/** Runs `statement` inside a transaction body: `const rows = yield* run(statement, values)`. */
export function* run(statement: Statement, values: Record<string, unknown> = {}): Generator<Step, unknown[][], unknown[][]> {
  return yield { statement, values };
}

/**
 * What the queries, the mirror audit and the mirror writer need of an engine: its tables, its
 * statement API, and the few pieces of SQL the engines spell differently. Everything else is
 * written once, in src/queries and src/mirror-writer.
 */
/** compile() of an engine whose drizzle dialect is `dialect`. */
export function compilerFor(dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }) {
  return (name: string, query: SQL): Statement => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return { name, text, params };
  };
}

export interface QueryEngine {
  readonly tables: Tables;
  readonly kit: ColumnKit;
  compile(name: string, query: SQL): Statement;
  /** Runs a compiled statement outside any transaction; it is prepared once per connection. */
  rows(statement: Statement, values?: Record<string, unknown>): Promise<unknown[][]>;
  /** Runs SQL whose text changes from call to call (an IN list), unprepared. */
  query(query: SQL): Promise<unknown[][]>;
  /** Runs `body` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(body: () => TransactionBody<T>): Promise<T>;
  /**
   * Appended to a SELECT in a transaction to hold the rows read until commit: PostgreSQL's
   * FOR UPDATE; nothing on SQLite, whose IMMEDIATE transaction holds the whole database already.
   */
  readonly lockForUpdate: SQL;
  /**
   * A select-list item that waits until no mirror-writer transaction holds that user, then keeps
   * the writer off them until this transaction ends: on PostgreSQL the shared form of the advisory
   * lock the writer takes on the Clerk id (a row lock, FOR SHARE, would need UPDATE on `users`,
   * which the app's role does not have). Null on SQLite, whose IMMEDIATE transaction holds the
   * whole database already.
   */
  readonly mirrorUserLock: ((clerkId: AnyColumn) => SQL) | null;
  /**
   * Appended to a SELECT that picks rows to delete, so that two processes deleting at once each
   * take rows the other has not locked: PostgreSQL's FOR UPDATE SKIP LOCKED; nothing on SQLite,
   * which runs one writing statement at a time.
   */
  readonly skipLocked: SQL;
  /**
   * A SELECT run in a transaction right before it appends to `feed_events`, or null: on
   * PostgreSQL it takes a transaction-scoped advisory lock, so that appending transactions commit
   * one after the other in the order of the ids they took (a reader that sees id N sees every id
   * below it), and NOTIFYs the other replicas at commit. Null on SQLite, which commits one
   * IMMEDIATE transaction at a time and runs in one process.
   */
  readonly feedEventsAppendLock: SQL | null;
  /** LIKE that ignores case: SQLite's LIKE (for ASCII letters), PostgreSQL's ILIKE. */
  readonly caseInsensitiveLike: 'LIKE' | 'ILIKE';
}
