import { expectationStatuses } from '../constants';
import { inList } from '../schema-sql';
import type { ColumnKit } from './kit';
import type { defineOrganizations } from './organizations';
import type { defineUsers } from './users';

/**
 * `id` is assigned in insertion order (SQLite's rowid, PostgreSQL's identity sequence), so
 * "newest first" is `ORDER BY id DESC` and the keyset cursor is a single id: a deep page costs
 * the same as the first.
 */
export function defineExpectations(
  kit: ColumnKit,
  users: ReturnType<typeof defineUsers>,
  organizations: ReturnType<typeof defineOrganizations>,
) {
  return kit.table(
    'expectations',
    {
      id: kit.serialId('id'),
      authorId: kit
        .integer('author_id')
        .notNull()
        .references(() => users.id),
      assigneeId: kit.integer('assignee_id').references(() => users.id),
      /** The team (a Clerk organization) it belongs to; null for a personal expectation. */
      organizationId: kit.integer('organization_id').references(() => organizations.id),
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
      // Their twins within one team (or among personal ones, organization_id IS NULL): the same
      // walks with the team leading, and the unfiltered list's walk of the ids.
      kit.index('expectations_organization_idx', [table.organizationId, table.id]),
      kit.index('expectations_organization_author_idx', [table.organizationId, table.authorId, table.id]),
      kit.index('expectations_organization_assignee_idx', [table.organizationId, table.assigneeId, table.id]),
      kit.index('expectations_organization_status_idx', [table.organizationId, table.status, table.id]),
      kit.check('expectations_status_check', inList(table.status, expectationStatuses)),
    ],
  );
}
