import { sql, type SQL } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { liveDisplayNameSql } from '../../queries/columns';

/**
 * Read-only mirror of Clerk's users. Clerk is the source of truth; only the webhook route
 * (through `@expectations/db/mirror-writer`) writes here, and triggers refuse anything else
 * (migrations/postgres/0001). Times are epoch milliseconds.
 */
export const users = pgTable(
  'users',
  {
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
    /**
     * users.list's order: the display name lower-cased, computed by PostgreSQL itself from the
     * name columns, so the writer cannot forget it.
     */
    sortName: text('sort_name')
      .notNull()
      .generatedAlwaysAs((): SQL => sql`lower(${liveDisplayNameSql(users)})`),
  },
  (table) => [
    // users.list walks this in order and stops after one page, whatever the number of users.
    // COLLATE "C": code-point order, as SQLite compares, whatever the database's collation.
    index('users_list_idx')
      .on(sql`${table.sortName} COLLATE "C"`, table.id)
      .where(sql`${table.deletedAt} IS NULL`),
  ],
);
