import { fillPlaceholders, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { compilerFor, type QueryEngine, type Statement, type TransactionBody } from '../queries/engine';
import { postgresColumnKit } from './kit';
import { ADVISORY_LOCK_CLASS, FEED_EVENTS_CHANNEL } from './settings';
import * as tables from './schema/index';

const dialect = new PgDialect();

/**
 * A named prepared statement on whichever pooled connection runs it, rows as arrays: parsed and
 * planned once per connection (generic plans, see connection.ts) rather than on every call, and
 * mapped by hand rather than by drizzle's generic mapper.
 */
function config(statement: Statement, values: Record<string, unknown>): pg.QueryArrayConfig {
  return { name: statement.name, text: statement.text, values: fillPlaceholders(statement.params, values), rowMode: 'array' };
}

/** The engine over the pool every query and the mirror writer share. */
export function postgresEngine(pool: pg.Pool): QueryEngine {
  return {
    tables,
    kit: postgresColumnKit,
    compile: compilerFor(dialect),
    async rows(statement, values = {}) {
      return (await pool.query(config(statement, values))).rows;
    },
    async query(query) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return (await pool.query({ text, values: params, rowMode: 'array' })).rows;
    },
    transaction: (body) => inTransaction(pool, body),
    mirrorUserLock: (clerkId) => sql`pg_advisory_xact_lock_shared(${ADVISORY_LOCK_CLASS.mirrorWriter}, hashtext(${clerkId}))`,
    // NOTIFY is sent at COMMIT (and dropped on ROLLBACK); repeats within one transaction fold into one.
    feedEventsAppendLock: sql`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS.feedEvents}, 0), pg_notify(${FEED_EVENTS_CHANNEL}, '')`,
    lockForUpdate: sql` FOR UPDATE`,
    skipLocked: sql` FOR UPDATE SKIP LOCKED`,
    caseInsensitiveLike: 'ILIKE',
  };
}

/** Resolves only after COMMIT returned; a connection that failed mid-transaction is not given back to the pool. */
async function inTransaction<T>(pool: pg.Pool, body: () => TransactionBody<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const steps = body();
      let next = steps.next();
      while (!next.done) next = steps.next((await client.query(config(next.value.statement, next.value.values))).rows);
      await client.query('COMMIT');
      return next.value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    }
  } catch (error) {
    broken ??= isConnectionError(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Errors from the server carry a five-character SQLSTATE; anything else broke the connection. */
function isConnectionError(error: unknown): boolean {
  return error instanceof Error && !('code' in error && typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code));
}
