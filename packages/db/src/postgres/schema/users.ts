import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Read-only mirror of Clerk's users. Clerk is the source of truth; only the webhook route
 * (through `@expectations/db/mirror-writer`) writes here, and triggers refuse anything else
 * (migrations/postgres/0001). Times are epoch milliseconds.
 */
export const users = pgTable('users', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  clerkId: text('clerk_id').notNull().unique(),
  email: text('email'),
  firstName: text('first_name'),
  lastName: text('last_name'),
  username: text('username'),
  imageUrl: text('image_url'),
  /** Clerk's `updated_at` of the last applied event: older events are stale. */
  clerkUpdatedAt: bigint('clerk_updated_at', { mode: 'number' }).notNull(),
  /** Set once by `user.deleted`; the row stays so expectations keep their author. */
  deletedAt: bigint('deleted_at', { mode: 'number' }),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});
