import { eq, sql } from 'drizzle-orm';
import { ADVISORY_LOCK_CLASS, type PostgresInternals } from '../postgres/connection';
import { users, webhookEvents } from '../postgres/schema/index';
import type { WebhookDelivery } from './clerk-event';
import { clerkUserIdOf, planMirrorChange, webhookEventRecord, type ApplyResult } from './plan';

/**
 * Applies one delivery in one transaction: the mirror change and its `webhook_events` row commit
 * together or not at all, and the promise resolves only after COMMIT returned.
 *
 * Several replicas may receive deliveries for the same user at once. The transaction first
 * takes a transaction-scoped advisory lock on the user (on the svix id when the event names no
 * user), so such deliveries run one after the other: the second sees what the first committed
 * (READ COMMITTED takes a fresh snapshot per statement), recognises a repeated svix id as a
 * duplicate and an older `updated_at` as stale. One lock per transaction cannot deadlock.
 *
 * It also sets the transaction-local flag that the triggers on `users` require
 * (migrations/postgres/0001); PostgreSQL clears it at COMMIT or ROLLBACK.
 */
export async function applyOnPostgres({ orm }: PostgresInternals, delivery: WebhookDelivery): Promise<ApplyResult> {
  const clerkId = clerkUserIdOf(delivery.event);
  return orm.transaction(async (tx): Promise<ApplyResult> => {
    await tx.execute(
      sql`SELECT set_config('expectations.mirror_writer', 'on', true), pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS.mirrorWriter}, hashtext(${clerkId ?? delivery.svixId}))`,
    );
    const [row] =
      clerkId === null
        ? []
        : await tx
            .select({ id: users.id, clerkUpdatedAt: users.clerkUpdatedAt, deletedAt: users.deletedAt })
            .from(users)
            .where(eq(users.clerkId, clerkId));

    const [seen] = await tx
      .update(webhookEvents)
      .set({ duplicateDeliveries: sql`${webhookEvents.duplicateDeliveries} + 1`, lastDeliveredAt: delivery.receivedAt })
      .where(eq(webhookEvents.svixId, delivery.svixId))
      .returning({ svixId: webhookEvents.svixId });
    if (seen) return { outcome: 'duplicate', userId: row?.id ?? null };

    const change = planMirrorChange(delivery.event, row, delivery.receivedAt);
    let userId = row?.id ?? null;
    if ('insert' in change) {
      const [inserted] = await tx.insert(users).values(change.insert).returning({ id: users.id });
      userId = inserted!.id;
    } else if ('update' in change) {
      await tx.update(users).set(change.update).where(eq(users.id, row!.id));
    }
    await tx.insert(webhookEvents).values(webhookEventRecord(delivery, change.outcome));
    return { outcome: change.outcome, userId };
  });
}
