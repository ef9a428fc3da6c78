import { bigint, check, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { storedWebhookOutcomes } from '../../constants';
import { inList } from '../../schema-sql';

/**
 * One row per Svix message id received, written in the same transaction as the mirror change
 * it caused. Its primary key makes redelivery idempotent; its rows make every change auditable.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    svixId: text('svix_id').primaryKey(),
    type: text('type').notNull(),
    clerkUserId: text('clerk_user_id'),
    outcome: text('outcome', { enum: storedWebhookOutcomes }).notNull(),
    /** Clerk's `data.updated_at` (or the event timestamp for deletions), epoch ms. */
    clerkUpdatedAt: bigint('clerk_updated_at', { mode: 'number' }),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    duplicateDeliveries: integer('duplicate_deliveries').notNull().default(0),
    lastDeliveredAt: bigint('last_delivered_at', { mode: 'number' }).notNull(),
  },
  (table) => [check('webhook_events_outcome_check', inList(table.outcome, storedWebhookOutcomes))],
);
