import { storedWebhookOutcomes } from '../constants';
import { inList } from '../schema-sql';
import type { ColumnKit } from './kit';

/**
 * One row per Svix message id received, written in the same transaction as the mirror change
 * it caused. Its primary key makes redelivery idempotent; its rows make every change auditable.
 * Rows whose last delivery is older than the retention window are pruned
 * (src/webhook-events-retention.ts).
 */
export function defineWebhookEvents(kit: ColumnKit) {
  return kit.table(
    'webhook_events',
    {
      svixId: kit.text('svix_id').primaryKey(),
      type: kit.text('type').notNull(),
      /** The Clerk user the event concerned: a user event's, a membership event's member. */
      clerkUserId: kit.text('clerk_user_id'),
      /** The Clerk organization the event concerned: an organization event's, a membership event's. */
      clerkOrganizationId: kit.text('clerk_organization_id'),
      outcome: kit.text('outcome').notNull(),
      /** Clerk's `data.updated_at` (or the event timestamp for deletions), epoch ms. */
      clerkUpdatedAt: kit.epochMs('clerk_updated_at'),
      receivedAt: kit.epochMs('received_at').notNull(),
      duplicateDeliveries: kit.integer('duplicate_deliveries').notNull().default(0),
      lastDeliveredAt: kit.epochMs('last_delivered_at').notNull(),
    },
    (table) => [
      kit.check('webhook_events_outcome_check', inList(table.outcome, storedWebhookOutcomes)),
      // The retention's prune walks this from the oldest row and stops after one batch.
      kit.index('webhook_events_last_delivered_idx', [table.lastDeliveredAt]),
    ],
  );
}
