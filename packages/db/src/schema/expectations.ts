import { expectationStatuses } from '../constants';
import { inList } from '../schema-sql';
import type { ColumnKit } from './kit';
import type { defineUsers } from './users';

/**
 * `id` is assigned in insertion order (SQLite's rowid, PostgreSQL's identity sequence), so
 * "newest first" is `ORDER BY id DESC` and the keyset cursor is a single id: a deep page costs
 * the same as the first.
 */
export function defineExpectations(kit: ColumnKit, users: ReturnType<typeof defineUsers>) {
  return kit.table(
    'expectations',
    {
      id: kit.serialId('id'),
      authorId: kit
        .integer('author_id')
        .notNull()
        .references(() => users.id),
      assigneeId: kit.integer('assignee_id').references(() => users.id),
      title: kit.text('title').notNull(),
      details: kit.text('details').notNull().default(''),
      status: kit.text('status').notNull().default('open'),
      /** Calendar date `YYYY-MM-DD`, no time zone (text on both engines, so both return the same string). */
      dueOn: kit.text('due_on'),
      createdAt: kit.epochMs('created_at').notNull(),
      updatedAt: kit.epochMs('updated_at').notNull(),
    },
    (table) => [
      // Each filter of expectations.list walks its own index in id order (newest first).
      kit.index('expectations_author_idx', [table.authorId, table.id]),
      kit.index('expectations_assignee_idx', [table.assigneeId, table.id]),
      kit.index('expectations_status_idx', [table.status, table.id]),
      kit.check('expectations_status_check', inList(table.status, expectationStatuses)),
    ],
  );
}
