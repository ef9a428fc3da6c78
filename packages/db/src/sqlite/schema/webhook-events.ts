import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { storedWebhookOutcomes } from '../../constants';
import { inList } from '../../schema-sql';

/**
 * One row per Svix message id received, written in the same transaction as the mirror change
 * it caused. Its primary key makes redelivery idempotent; its rows make every change auditable.
 */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    svixId: text('svix_id').primaryKey(),
    type: text('type').notNull(),
    clerkUserId: text('clerk_user_id'),
    outcome: text('outcome', { enum: storedWebhookOutcomes }).notNull(),
    /** Clerk's `data.updated_at` (or the event timestamp for deletions), epoch ms. */
    clerkUpdatedAt: integer('clerk_updated_at'),
    receivedAt: integer('received_at').notNull(),
    duplicateDeliveries: integer('duplicate_deliveries').notNull().default(0),
    lastDeliveredAt: integer('last_delivered_at').notNull(),
  },
  (table) => [check('webhook_events_outcome_check', inList(table.outcome, storedWebhookOutcomes))],
);
