import { eq, sql } from 'drizzle-orm';
import type { SqliteInternals } from '../internals';
import { preparedOnce } from '../sqlite/prepared';
import { users, webhookEvents } from '../sqlite/schema/index';
import type { WebhookDelivery } from './clerk-event';
import { clerkUserIdOf, planMirrorChange, webhookEventRecord, type ApplyResult } from './plan';

/**
 * Applies one delivery on the writer's own connection, in one IMMEDIATE transaction: the
 * mirror change and its `webhook_events` row commit together or not at all, and with
 * synchronous=FULL the commit is on disk when this returns.
 *
 * The transaction opens by setting `mirror_writer_flag` and clears it before committing: the
 * triggers on `users` refuse every write made while that flag is not set (migrations/sqlite/0001).
 */
export function applyOnSqlite({ writer }: SqliteInternals, delivery: WebhookDelivery): ApplyResult {
  const connection = writer.$client;
  const setFlag = preparedOnce(connection, 'writer.flag.set', () => connection.prepare('INSERT INTO mirror_writer_flag (active) VALUES (1)'));
  const clearFlag = preparedOnce(connection, 'writer.flag.clear', () => connection.prepare('DELETE FROM mirror_writer_flag'));

  return writer.transaction(
    (tx): ApplyResult => {
      setFlag.run();
      try {
        const clerkId = clerkUserIdOf(delivery.event);
        const row = clerkId === null
          ? undefined
          : tx
              .select({ id: users.id, clerkUpdatedAt: users.clerkUpdatedAt, deletedAt: users.deletedAt })
              .from(users)
              .where(eq(users.clerkId, clerkId))
              .get();

        const seen = tx.select({ svixId: webhookEvents.svixId }).from(webhookEvents).where(eq(webhookEvents.svixId, delivery.svixId)).get();
        if (seen) {
          tx.update(webhookEvents)
            .set({ duplicateDeliveries: sql`${webhookEvents.duplicateDeliveries} + 1`, lastDeliveredAt: delivery.receivedAt })
            .where(eq(webhookEvents.svixId, delivery.svixId))
            .run();
          return { outcome: 'duplicate', userId: row?.id ?? null };
        }

        const change = planMirrorChange(delivery.event, row, delivery.receivedAt);
        let userId = row?.id ?? null;
        if ('insert' in change) {
          userId = tx.insert(users).values(change.insert).returning({ id: users.id }).get().id;
        } else if ('update' in change) {
          tx.update(users).set(change.update).where(eq(users.id, row!.id)).run();
        }
        tx.insert(webhookEvents).values(webhookEventRecord(delivery, change.outcome)).run();
        return { outcome: change.outcome, userId };
      } finally {
        clearFlag.run();
      }
    },
    { behavior: 'immediate' },
  );
}
