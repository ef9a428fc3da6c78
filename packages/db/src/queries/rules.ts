import { sql, type SQL } from 'drizzle-orm';
import type { ExpectationStatus } from '../constants';
import type { UserColumns } from './columns';
import type { ListUsersOptions, NewExpectation, PublicProfile, SetExpectationStatusInput, SetExpectationStatusResult, UserPage } from './types';

// What both engines' queries decide alike; each engine only runs the statements.

/** The row of a new expectation: open, created and updated now. */
export function newExpectationRow(input: NewExpectation) {
  const now = input.now ?? Date.now();
  const { authorId, assigneeId, organizationId, title, details, dueOn } = input;
  return { authorId, assigneeId, organizationId, title, details, dueOn, status: 'open' as const, createdAt: now, updatedAt: now };
}

/** An expectation as setExpectationStatus reads it, under lock. */
export interface StatusChangeTarget {
  authorId: number;
  assigneeId: number | null;
  organizationId: number | null;
  status: ExpectationStatus;
}

/**
 * Whether an expectation found as `row` may take the new status: a result, or 'update'. One the
 * caller cannot see (another team's, or someone else's personal one) is not found, never refused,
 * so that its existence is not revealed.
 */
export function statusChange(row: StatusChangeTarget | undefined, input: SetExpectationStatusInput): Exclude<SetExpectationStatusResult, 'updated'> | 'update' {
  if (!row || row.organizationId !== input.organizationId) return 'not_found';
  const isAuthor = row.authorId === input.actorId;
  if (row.organizationId === null && !isAuthor && row.assigneeId !== input.actorId) return 'not_found';
  const adminWithdrawal = row.organizationId !== null && input.actorIsTeamAdmin && input.status === 'withdrawn';
  if (!isAuthor && !adminWithdrawal) return 'not_author';
  return row.status === input.status ? 'unchanged' : 'update';
}

/** A keyset page from rows fetched with one row more than the page: the page, and whether more follow. */
export function pageOf<T>(rows: T[], limit: number): { items: T[]; last: T | undefined; more: boolean } {
  const items = rows.slice(0, limit);
  return { items, last: items.at(-1), more: rows.length > limit };
}

/**
 * users.list's search: a case-insensitive substring of "first last" or of the username, with
 * LIKE's wildcards taken literally. `like` is the engine's case-insensitive LIKE.
 */
export function userSearchSql(table: Pick<UserColumns, 'firstName' | 'lastName'> & { username: UserColumns['username'] }, like: 'LIKE' | 'ILIKE'): SQL {
  const pattern = sql.placeholder('pattern');
  const operator = sql.raw(like);
  return sql`(COALESCE(${table.firstName}, '') || ' ' || COALESCE(${table.lastName}, '') ${operator} ${pattern} ESCAPE '\\'
    OR COALESCE(${table.username}, '') ${operator} ${pattern} ESCAPE '\\')`;
}

/** The `pattern` value for userSearchSql. */
export function searchPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * What selects users.list's statement (each engine prepares one per form) and the values bound to
 * it: a blank search is no search, and one row more than the page tells whether more follow.
 */
export function userListCall(options: ListUsersOptions) {
  const search = options.search?.trim() || undefined;
  const team = options.clerkOrganizationId;
  return {
    form: `${search ? 's' : '-'}${options.after ? 'a' : '-'}${team === undefined ? '-' : 't'}`,
    search: search !== undefined,
    after: options.after !== undefined,
    team: team !== undefined,
    values: {
      clerkOrganizationId: team,
      pattern: search === undefined ? undefined : searchPattern(search),
      afterKey: options.after?.sortKey,
      afterId: options.after?.id,
      limit: options.limit + 1,
    },
  };
}

/** A users.list page from the rows of its statement: the profiles, and where the next page starts. */
export function userPageOf(rows: Array<PublicProfile & { sortKey: string }>, limit: number): UserPage {
  const { items, last, more } = pageOf(rows, limit);
  return {
    items: items.map(({ sortKey: _sortKey, ...profile }) => profile),
    next: more && last ? { sortKey: last.sortKey, id: last.id } : null,
  };
}
