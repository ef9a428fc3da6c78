import { setImmediate as nextTurn } from 'node:timers/promises';
import { asc, lt, sql } from 'drizzle-orm';
import type { Database } from '../database';
import { queryEngineOf } from '../open';
import type { QueryEngine, Statement } from '../queries/engine';
import { p } from '../queries/sql-build';

const DEFAULT_BATCH_SIZE = 500;

export interface PruneFeedEventsOptions {
  /** Rows appended before this (epoch ms) are deleted, but never the newest row. */
  createdBefore: number;
  /** Rows per DELETE (default 500). */
  batchSize?: number;
}

const statements = new WeakMap<QueryEngine, Statement>();

/**
 * The oldest rows first, one batch per statement. The newest row always stays: a client resuming
 * from an id below the oldest row has missed events and is told to refetch, and an empty table
 * could not tell that apart from one that never had any.
 */
function pruneStatement(engine: QueryEngine): Statement {
  let statement = statements.get(engine);
  if (!statement) {
    const { feedEvents } = engine.tables;
    statement = engine.compile(
      'feedEvents.prune',
      sql`DELETE FROM ${feedEvents} WHERE ${feedEvents.id} IN (
            SELECT ${feedEvents.id} FROM ${feedEvents}
            WHERE ${lt(feedEvents.createdAt, p('createdBefore'))} AND ${feedEvents.id} < (SELECT max(${feedEvents.id}) FROM ${feedEvents})
            ORDER BY ${asc(feedEvents.createdAt)} LIMIT ${p('batchSize')})
          RETURNING ${sql.identifier(feedEvents.id.name)}`,
    );
    statements.set(engine, statement);
  }
  return statement;
}

/** Deletes `feed_events` rows appended before `createdBefore`, in batches, and answers how many. */
export async function pruneFeedEvents(db: Database, options: PruneFeedEventsOptions): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  if (!Number.isFinite(options.createdBefore)) throw new RangeError(`createdBefore must be epoch milliseconds, not ${options.createdBefore}`);
  const engine = queryEngineOf(db);
  const statement = pruneStatement(engine);
  let pruned = 0;
  for (;;) {
    const deleted = (await engine.rows(statement, { createdBefore: options.createdBefore, batchSize })).length;
    pruned += deleted;
    if (deleted < batchSize) return pruned;
    await nextTurn();
  }
}
