import { Column, is, SQL, sql, type AnyColumn } from 'drizzle-orm';
import { DELETED_USER_NAME, UNKNOWN_USER_NAME, type ExpectationStatus } from '../constants';
import { sqlLiteral } from '../schema-sql';
import type { ExpectationWithPeople, PublicProfile } from './types';

// Select lists shared by both dialects: the SQL here is plain enough for SQLite and PostgreSQL
// alike, so that one rule (the display name, what "deleted" means) cannot differ between them.

/** The users table or an alias of it (`alias(users, 'author')`), in either dialect. */
export type UserColumns = Record<'id' | 'firstName' | 'lastName' | 'username' | 'imageUrl' | 'deletedAt', AnyColumn>;

export type ExpectationColumns = Record<
  'id' | 'title' | 'details' | 'status' | 'dueOn' | 'createdAt' | 'updatedAt',
  AnyColumn
>;

/**
 * The name of a user who is not deleted: "first last", else the username, else "Unknown user".
 * Its label is an SQL literal, not a bound parameter, as users.sort_name is generated from this
 * expression and a generated column takes no parameters.
 */
export function liveDisplayNameSql(table: Pick<UserColumns, 'firstName' | 'lastName' | 'username'>): SQL<string> {
  return sql<string>`COALESCE(
    NULLIF(TRIM(COALESCE(TRIM(${table.firstName}), '') || ' ' || COALESCE(TRIM(${table.lastName}), '')), ''),
    NULLIF(TRIM(${table.username}), ''),
    ${sqlLiteral(UNKNOWN_USER_NAME)})`;
}

/** The display-name rule, as SQL over a users table or an alias of it. */
export function displayNameSql(table: UserColumns): SQL<string> {
  return sql<string>`CASE WHEN ${table.deletedAt} IS NOT NULL THEN ${DELETED_USER_NAME} ELSE ${liveDisplayNameSql(table)} END`;
}

/** 1 when deleted, else 0: the same integer from both engines (PostgreSQL's IS NOT NULL is a boolean). */
export function deletedFlagSql(table: Pick<UserColumns, 'deletedAt'>): SQL<boolean> {
  return sql<number>`CASE WHEN ${table.deletedAt} IS NULL THEN 0 ELSE 1 END`.mapWith((value: unknown) => Number(value) === 1);
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
    deleted: deletedFlagSql(table),
  };
}

export type ExpectationWithPeopleColumns<E extends ExpectationColumns, A extends UserColumns, B extends UserColumns> = {
  id: E['id'];
  title: E['title'];
  details: E['details'];
  status: E['status'];
  dueOn: E['dueOn'];
  createdAt: E['createdAt'];
  updatedAt: E['updatedAt'];
  author: PublicProfileColumns<A['id']>;
  assignee: PublicProfileColumns<B['id']>;
};

/** Select-list of an expectation with its author's and assignee's public profiles. */
export function expectationWithPeopleColumns<E extends ExpectationColumns, A extends UserColumns, B extends UserColumns>(
  expectations: E,
  author: A,
  assignee: B,
): ExpectationWithPeopleColumns<E, A, B> {
  return {
    id: expectations.id,
    title: expectations.title,
    details: expectations.details,
    status: expectations.status,
    dueOn: expectations.dueOn,
    createdAt: expectations.createdAt,
    updatedAt: expectations.updatedAt,
    author: publicProfileColumns(author),
    assignee: publicProfileColumns(assignee),
  };
}

// ---------------------------------------------------------------------------------------------
// Raw rows. The read path takes rows as arrays and maps them by hand: drizzle's generic row
// mapping cost as much CPU as the query itself. The positions are not written by hand: they
// are derived from the select list, in the order drizzle puts its fields into the SQL, so a
// column added to or moved in the list moves its position with it.

type Leaf = AnyColumn | SQL | SQL.Aliased;

/** "id", "author.displayName", …: every leaf of a select list, as a dotted path. */
export type SelectedPath<T> = {
  [K in keyof T & string]: T[K] extends Leaf ? K : `${K}.${SelectedPath<T[K]>}`;
}[keyof T & string];

/** The position of each leaf of a select list in the rows its statement returns. */
export function selectedPositions<T extends object>(fields: T): Record<SelectedPath<T>, number> {
  const positions: Record<string, number> = {};
  const walk = (node: object, prefix: string) => {
    for (const [name, field] of Object.entries(node)) {
      if (is(field, Column) || is(field, SQL) || is(field, SQL.Aliased)) positions[`${prefix}${name}`] = Object.keys(positions).length;
      else walk(field as object, `${prefix}${name}.`);
    }
  };
  walk(fields, '');
  return positions as Record<SelectedPath<T>, number>;
}

/**
 * The mapper of raw rows of `expectationWithPeopleColumns(...)`, straight to the shape the API
 * returns: every field by name, so a column added to the select list reaches no client unless
 * it is named here. The same for both engines: times go through Number() because PostgreSQL's
 * bigint arrives as a string, and `deleted` is the 0/1 of `deletedFlagSql`.
 */
export function expectationRowMapper(
  fields: ExpectationWithPeopleColumns<ExpectationColumns, UserColumns, UserColumns>,
): (row: unknown[]) => ExpectationWithPeople {
  const at = selectedPositions(fields);
  const profileAt = (who: 'author' | 'assignee') => ({
    id: at[`${who}.id`],
    displayName: at[`${who}.displayName`],
    imageUrl: at[`${who}.imageUrl`],
    deleted: at[`${who}.deleted`],
  });
  const authorAt = profileAt('author');
  const assigneeAt = profileAt('assignee');
  return (row) => ({
    id: row[at.id] as number,
    title: row[at.title] as string,
    details: row[at.details] as string,
    status: row[at.status] as ExpectationStatus,
    dueOn: row[at.dueOn] as string | null,
    createdAt: new Date(Number(row[at.createdAt])).toISOString(),
    updatedAt: new Date(Number(row[at.updatedAt])).toISOString(),
    author: profileFromRow(row, authorAt),
    // A LEFT JOIN that found no assignee leaves every assignee column null.
    assignee: row[assigneeAt.id] === null ? null : profileFromRow(row, assigneeAt),
  });
}

/** Where a public profile's fields are in a row (from selectedPositions of publicProfileColumns). */
export type ProfilePositions = Record<keyof PublicProfile, number>;

/** A public profile from a raw row: `deleted` is the 0/1 of `deletedFlagSql`. */
export function profileFromRow(row: unknown[], at: ProfilePositions): PublicProfile {
  return {
    id: row[at.id] as number,
    displayName: row[at.displayName] as string,
    imageUrl: row[at.imageUrl] as string | null,
    deleted: Number(row[at.deleted]) === 1,
  };
}
