import { sql, type SQL } from 'drizzle-orm';
import { liveDisplayNameSql } from '../queries/columns';
import type { ColumnKit, DefinedTable } from './kit';

type UserColumn =
  | 'id' | 'clerkId' | 'email' | 'firstName' | 'lastName' | 'username' | 'imageUrl'
  | 'clerkUpdatedAt' | 'deletedAt' | 'createdAt' | 'updatedAt' | 'sortName';

/**
 * Read-only mirror of Clerk's users. Clerk is the source of truth; only the webhook route
 * (through `@expectations/db/mirror-writer`) writes here, and triggers refuse anything else
 * (migrations/<engine>/0001). Times are epoch milliseconds.
 */
export function defineUsers(kit: ColumnKit) {
  const users: DefinedTable<UserColumn> = kit.table(
    'users',
    {
      id: kit.serialId('id'),
      clerkId: kit.text('clerk_id').notNull().unique(),
      email: kit.text('email'),
      firstName: kit.text('first_name'),
      lastName: kit.text('last_name'),
      username: kit.text('username'),
      imageUrl: kit.text('image_url'),
      /** Clerk's `updated_at` of the last applied event: older events are stale. */
      clerkUpdatedAt: kit.epochMs('clerk_updated_at').notNull(),
      /** Set once by `user.deleted`; the row stays so expectations keep their author. */
      deletedAt: kit.epochMs('deleted_at'),
      createdAt: kit.epochMs('created_at').notNull(),
      updatedAt: kit.epochMs('updated_at').notNull(),
      /**
       * users.list's order: the display name with its ASCII letters lower-cased, computed by the
       * database itself from the name columns, so the writer cannot forget it. ASCII only, on
       * both engines, because that is all SQLite's lower() folds: the same key, compared in
       * code-point order on both, lists users in the same order on either engine.
       */
      sortName: kit.generatedText('sort_name', (): SQL => kit.lowerAscii(liveDisplayNameSql(users))).notNull(),
    },
    // users.list walks this in order and stops after one page, whatever the number of users.
    (table) => [kit.index('users_list_idx', [kit.byteOrder(table.sortName), table.id], sql`${table.deletedAt} IS NULL`)],
  );
  return users;
}
