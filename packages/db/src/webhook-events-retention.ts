import { asc, lt, sql } from 'drizzle-orm';
import { batchedPrune } from './batched-prune';
import type { Database } from './database';
import { p } from './queries/sql-build';

export interface PruneWebhookEventsOptions {
  /** Rows whose last delivery came before this (epoch ms) are deleted. */
  deliveredBefore: number;
  /** Rows per DELETE: each statement stays short, whatever the backlog (default 500). */
  batchSize?: number;
}

/**
 * The oldest rows first. On PostgreSQL, SKIP LOCKED lets replicas prune at once without waiting
 * on each other, and leaves alone a row the writer is updating for a duplicate delivery.
 */
const prune = batchedPrune(
  'webhookEvents.prune',
  'deliveredBefore',
  ({ tables: { webhookEvents }, skipLocked }) =>
    sql`DELETE FROM ${webhookEvents} WHERE ${webhookEvents.svixId} IN (
          SELECT ${webhookEvents.svixId} FROM ${webhookEvents} WHERE ${lt(webhookEvents.lastDeliveredAt, p('before'))}
          ORDER BY ${asc(webhookEvents.lastDeliveredAt)} LIMIT ${p('batchSize')}${skipLocked})
        RETURNING ${sql.identifier(webhookEvents.svixId.name)}`,
);

/**
 * Deletes the `webhook_events` rows last delivered before `deliveredBefore`, in batches, and
 * answers how many it deleted (see batchedPrune).
 */
export function pruneWebhookEvents(db: Database, options: PruneWebhookEventsOptions): Promise<number> {
  return prune(db, options.deliveredBefore, options.batchSize);
}
