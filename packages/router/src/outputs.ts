import type { ExpectationStatus, ExpectationWithPeople, PublicProfile } from '@expectations/db';

/** Another user as any signed-in user may see them: never their email. One type, the db package's. */
export type { PublicProfile };

export interface Expectation {
  id: number;
  title: string;
  details: string;
  status: ExpectationStatus;
  /** `YYYY-MM-DD` or null. */
  dueOn: string | null;
  /** ISO-8601, UTC. */
  createdAt: string;
  /** ISO-8601, UTC. */
  updatedAt: string;
  author: PublicProfile;
  assignee: PublicProfile | null;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

// Fields are copied one by one so that a column added to a query never reaches clients unnoticed.
export function toPublicProfile(row: PublicProfile): PublicProfile {
  return { id: row.id, displayName: row.displayName, imageUrl: row.imageUrl, deleted: row.deleted };
}

export function toExpectation(row: ExpectationWithPeople): Expectation {
  return {
    id: row.id,
    title: row.title,
    details: row.details,
    status: row.status,
    dueOn: row.dueOn,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    author: toPublicProfile(row.author),
    assignee: row.assignee ? toPublicProfile(row.assignee) : null,
  };
}
