import { bigint, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { expectationStatuses } from '../../constants';
import { inList } from '../../schema-sql';
import { users } from './users';

/**
 * `id` comes from an identity sequence, so "newest first" is `ORDER BY id DESC` and the keyset
 * cursor is a single id: a deep page costs the same as the first.
 */
export const expectations = pgTable(
  'expectations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    assigneeId: integer('assignee_id').references(() => users.id),
    title: text('title').notNull(),
    details: text('details').notNull().default(''),
    status: text('status', { enum: expectationStatuses }).notNull().default('open'),
    /** Calendar date `YYYY-MM-DD`, no time zone (text, as on SQLite, so both return the same string). */
    dueOn: text('due_on'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (table) => [
    // Each filter of expectations.list walks its own index in id order (newest first).
    index('expectations_author_idx').on(table.authorId, table.id),
    index('expectations_assignee_idx').on(table.assigneeId, table.id),
    index('expectations_status_idx').on(table.status, table.id),
    check('expectations_status_check', inList(table.status, expectationStatuses)),
  ],
);
