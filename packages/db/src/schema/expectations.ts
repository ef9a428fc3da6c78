import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users';

export const expectationStatuses = ['open', 'met', 'missed', 'withdrawn'] as const;
export type ExpectationStatus = (typeof expectationStatuses)[number];

/**
 * `id` is SQLite's rowid, assigned in insertion order, so "newest first" is `ORDER BY id DESC`
 * and the keyset cursor is a single id: a deep page costs the same as the first.
 */
export const expectations = sqliteTable(
  'expectations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    assigneeId: integer('assignee_id').references(() => users.id),
    title: text('title').notNull(),
    details: text('details').notNull().default(''),
    status: text('status', { enum: expectationStatuses }).notNull().default('open'),
    /** Calendar date `YYYY-MM-DD`, no time zone. */
    dueOn: text('due_on'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    // Each filter of expectations.list walks its own index in id order (newest first).
    index('expectations_author_idx').on(table.authorId, table.id),
    index('expectations_assignee_idx').on(table.assigneeId, table.id),
    index('expectations_status_idx').on(table.status, table.id),
    check('expectations_status_check', sql`${table.status} IN ('open', 'met', 'missed', 'withdrawn')`),
  ],
);

export type ExpectationRow = typeof expectations.$inferSelect;
