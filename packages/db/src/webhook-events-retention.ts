import { setImmediate as nextTurn } from 'node:timers/promises';
import { asc, lt, sql } from 'drizzle-orm';
import type { Database } from './database';
import { queryEngineOf } from './open';
import type { QueryEngine, Statement } from './queries/engine';
import { p } from './queries/sql-build';

const DEFAULT_BATCH_SIZE = 500;

export interface PruneWebhookEventsOptions {
  /** Rows whose last delivery came before this (epoch ms) are deleted. */
  deliveredBefore: number;
  /** Rows per DELETE: each statement stays short, whatever the backlog (default 500). */
  batchSize?: number;
}

const statements = new WeakMap<QueryEngine, Statement>();

/**
 * The oldest rows first, one batch per statement (each its own short transaction). On
 * PostgreSQL, SKIP LOCKED lets replicas prune at once without waiting on each other, and leaves
 * alone a row the writer is updating for a duplicate delivery.
 */
function pruneStatement(engine: QueryEngine): Statement {
  let statement = statements.get(engine);
  if (!statement) {
    const { webhookEvents } = engine.tables;
    statement = engine.compile(
      'webhookEvents.prune',
      sql`DELETE FROM ${webhookEvents} WHERE ${webhookEvents.svixId} IN (
            SELECT ${webhookEvents.svixId} FROM ${webhookEvents} WHERE ${lt(webhookEvents.lastDeliveredAt, p('deliveredBefore'))}
            ORDER BY ${asc(webhookEvents.lastDeliveredAt)} LIMIT ${p('batchSize')}${engine.skipLocked})
          RETURNING ${sql.identifier(webhookEvents.svixId.name)}`,
    );
    statements.set(engine, statement);
  }
  return statement;
}

/**
 * Deletes the `webhook_events` rows last delivered before `deliveredBefore`, in batches, and
 * answers how many it deleted. It yields to the event loop between batches, so that requests are
 * served while a large backlog goes (SQLite's statements run on the process's own thread).
 */
export async function pruneWebhookEvents(db: Database, options: PruneWebhookEventsOptions): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  if (!Number.isFinite(options.deliveredBefore)) throw new RangeError(`deliveredBefore must be epoch milliseconds, not ${options.deliveredBefore}`);
  const engine = queryEngineOf(db);
  const statement = pruneStatement(engine);
  let pruned = 0;
  for (;;) {
    const deleted = (await engine.rows(statement, { deliveredBefore: options.deliveredBefore, batchSize })).length;
    pruned += deleted;
    if (deleted < batchSize) return pruned;
    await nextTurn();
  }
}
