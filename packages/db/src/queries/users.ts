import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { users, type UserRow } from '../schema/users';
import { preparedOnce } from './prepared';

export async function findUserByClerkId(db: Database, clerkId: string): Promise<UserRow | undefined> {
  return db.orm.select().from(users).where(eq(users.clerkId, clerkId)).get();
}

// ---------------------------------------------------------------------------------------------
// Public profiles: what one user may see of another. Built in SQL so that every read that joins
// users (lists, pages of expectations) applies the same rule, and so that an email address is
// never selected in the first place.

/** The users table or an alias of it (`alias(users, 'author')`). */
type UserColumns = Record<'id' | 'firstName' | 'lastName' | 'username' | 'imageUrl' | 'deletedAt', AnySQLiteColumn>;

/** A user as any signed-in user may see them. */
export interface PublicProfile {
  id: number;
  /** First and last name, else username, else "Unknown user"; "Deleted user" once deleted. */
  displayName: string;
  /** Null when the user has no avatar or was deleted. */
  imageUrl: string | null;
  deleted: boolean;
}

export const DELETED_USER_NAME = 'Deleted user';
export const UNKNOWN_USER_NAME = 'Unknown user';

/** The display-name rule, as SQL over a users table or an alias of it. */
export function displayNameSql(table: UserColumns): SQL<string> {
  return sql<string>`CASE WHEN ${table.deletedAt} IS NOT NULL THEN ${DELETED_USER_NAME} ELSE COALESCE(
    NULLIF(TRIM(COALESCE(TRIM(${table.firstName}), '') || ' ' || COALESCE(TRIM(${table.lastName}), '')), ''),
    NULLIF(TRIM(${table.username}), ''),
    ${UNKNOWN_USER_NAME}) END`;
}

// A type alias, not an interface: drizzle's select() needs an index-signature-compatible object.
export type PublicProfileColumns<TId> = {
  id: TId;
  displayName: SQL<string>;
  imageUrl: SQL<string | null>;
  deleted: SQL<boolean>;
};

/** Select-list of a public profile over a users table or an alias of it (e.g. author, assignee). */
export function publicProfileColumns<T extends UserColumns>(table: T): PublicProfileColumns<T['id']> {
  return {
    id: table.id,
    displayName: displayNameSql(table),
    imageUrl: sql<string | null>`CASE WHEN ${table.deletedAt} IS NULL THEN ${table.imageUrl} END`,
    deleted: sql<boolean>`${table.deletedAt} IS NOT NULL`.mapWith((value: unknown) => value === 1),
  };
}

export async function findPublicProfileById(db: Database, id: number): Promise<PublicProfile | undefined> {
  const statement = preparedOnce(db, 'users.publicProfileById', () =>
    db.orm
      .select(publicProfileColumns(users))
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(),
  );
  return statement.get({ id });
}

/** The caller's mirror row, looked up by Clerk user id: its id and whether it was deleted. */
export async function findMirrorStatusByClerkId(
  db: Database,
  clerkId: string,
): Promise<{ id: number; deleted: boolean } | undefined> {
  const statement = preparedOnce(db, 'users.mirrorStatusByClerkId', () =>
    db.orm
      .select({ id: users.id, deleted: sql<boolean>`${users.deletedAt} IS NOT NULL`.mapWith((value: unknown) => value === 1) })
      .from(users)
      .where(eq(users.clerkId, sql.placeholder('clerkId')))
      .prepare(),
  );
  return statement.get({ clerkId });
}

/** Keyset position in the name-ordered user list: the last row's sort key and id. */
export interface UserListPosition {
  sortKey: string;
  id: number;
}

export interface ListUsersOptions {
  /** Case-insensitive substring of "first last" or of the username. */
  search?: string;
  /** Continue after this row (from the previous page's `next`). */
  after?: UserListPosition;
  limit: number;
}

export interface UserPage {
  items: PublicProfile[];
  /** Where the next page starts, or null when this was the last one. */
  next: UserListPosition | null;
}

/**
 * Users who are not deleted, in display-name order, one page per call. One statement per page.
 * The table holds one row per team member, so ordering by a computed name is a small sort.
 */
export async function listUsers(db: Database, options: ListUsersOptions): Promise<UserPage> {
  const search = options.search?.trim() ? options.search.trim() : undefined;
  const key = `users.list:${search ? 's' : '-'}${options.after ? 'a' : '-'}`;
  const statement = preparedOnce(db, key, () => {
    const sortKey = sql<string>`lower(${displayNameSql(users)})`;
    const pattern = sql.placeholder('pattern');
    const conditions: SQL[] = [isNull(users.deletedAt)];
    if (search) {
      conditions.push(
        sql`(COALESCE(${users.firstName}, '') || ' ' || COALESCE(${users.lastName}, '') LIKE ${pattern} ESCAPE '\\'
          OR COALESCE(${users.username}, '') LIKE ${pattern} ESCAPE '\\')`,
      );
    }
    if (options.after) {
      conditions.push(sql`(${sortKey}, ${users.id}) > (${sql.placeholder('afterKey')}, ${sql.placeholder('afterId')})`);
    }
    return db.orm
      .select({ ...publicProfileColumns(users), sortKey })
      .from(users)
      .where(and(...conditions))
      .orderBy(sortKey, users.id)
      .limit(sql.placeholder('limit'))
      .prepare();
  });

  const rows = statement.all({
    pattern: search === undefined ? undefined : `%${escapeLike(search)}%`,
    afterKey: options.after?.sortKey,
    afterId: options.after?.id,
    limit: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sortKey: _sortKey, ...profile }) => profile),
    next: rows.length > options.limit && last ? { sortKey: last.sortKey, id: last.id } : null,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
