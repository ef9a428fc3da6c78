import { sql, type SQL } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { liveDisplayNameSql } from '../../queries/columns';

/**
 * Read-only mirror of Clerk's users. Clerk is the source of truth; only the webhook route
 * (through `@expectations/db/mirror-writer`) writes here. Times are epoch milliseconds.
 */
export const users = sqliteTable(
  'users',
  {
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
    /**
     * users.list's order: the display name lower-cased, computed by SQLite itself from the name
     * columns (virtual: stored only in the index below), so the writer cannot forget it.
     */
    sortName: text('sort_name')
      .notNull()
      .generatedAlwaysAs((): SQL => sql`lower(${liveDisplayNameSql(users)})`, { mode: 'virtual' }),
  },
  // users.list walks this in order and stops after one page, whatever the number of users.
  (table) => [index('users_list_idx').on(table.sortName, table.id).where(sql`${table.deletedAt} IS NULL`)],
);
