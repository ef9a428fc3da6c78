import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Read-only mirror of Clerk's users. Clerk is the source of truth; only the webhook route
 * (through `@expectations/db/mirror-writer`) writes here. Times are epoch milliseconds.
 */
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clerkId: text('clerk_id').notNull().unique(),
  email: text('email'),
  firstName: text('first_name'),
  lastName: text('last_name'),
  username: text('username'),
  imageUrl: text('image_url'),
  /** Clerk's `updated_at` of the last applied event: older events are stale. */
  clerkUpdatedAt: integer('clerk_updated_at').notNull(),
  /** Set once by `user.deleted`; the row stays so expectations keep their author. */
  deletedAt: integer('deleted_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
