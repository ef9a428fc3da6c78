import { asc, lt, sql } from 'drizzle-orm';
import { batchedPrune } from '../batched-prune';
import type { Database } from '../database';
import { p } from '../queries/sql-build';

export interface PruneFeedEventsOptions {
  /** Rows appended before this (epoch ms) are deleted, but never the newest row. */
  createdBefore: number;
  /** Rows per DELETE (default 500). */
  batchSize?: number;
}

/**
 * The oldest rows first. The newest row always stays: a client resuming from an id below the
 * oldest row has missed events and is told to refetch, and an empty table could not tell that
 * apart from one that never had any.
 */
const prune = batchedPrune(
  'feedEvents.prune',
  'createdBefore',
  ({ tables: { feedEvents } }) =>
    sql`DELETE FROM ${feedEvents} WHERE ${feedEvents.id} IN (
          SELECT ${feedEvents.id} FROM ${feedEvents}
          WHERE ${lt(feedEvents.createdAt, p('before'))} AND ${feedEvents.id} < (SELECT max(${feedEvents.id}) FROM ${feedEvents})
          ORDER BY ${asc(feedEvents.createdAt)} LIMIT ${p('batchSize')})
        RETURNING ${sql.identifier(feedEvents.id.name)}`,
);

/** Deletes `feed_events` rows appended before `createdBefore`, in batches, and answers how many. */
export function pruneFeedEvents(db: Database, options: PruneFeedEventsOptions): Promise<number> {
  return prune(db, options.createdBefore, options.batchSize);
}
