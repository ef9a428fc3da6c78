import type { ExpectationWithPeople, PublicProfile } from '@expectations/db';

/** Another user as any signed-in user may see them: never their email. One type, the db package's. */
export type { PublicProfile };

/**
 * An expectation as returned: `{ id, title, details, status, dueOn, createdAt, updatedAt,
 * author, assignee }`, times in ISO-8601. One type, the db package's, whose row mapper builds it
 * field by field, so that the read path maps each row once.
 */
export type Expectation = ExpectationWithPeople;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

// Fields are copied one by one so that a column added to a query never reaches clients unnoticed.
export function toPublicProfile(row: PublicProfile): PublicProfile {
  return { id: row.id, displayName: row.displayName, imageUrl: row.imageUrl, deleted: row.deleted };
}
