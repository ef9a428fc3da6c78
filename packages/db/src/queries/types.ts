import type { ExpectationStatus } from '../constants';

/** A user as any signed-in user may see them: never their email. */
export interface PublicProfile {
  id: number;
  /** First and last name, else username, else "Unknown user"; "Deleted user" once deleted. */
  displayName: string;
  /** Null when the user has no avatar or was deleted. */
  imageUrl: string | null;
  deleted: boolean;
}

/**
 * An expectation with its author's and assignee's public profiles, exactly as the API returns it:
 * the read path maps each row once, straight to this shape. Stored times are epoch ms; here they
 * are ISO-8601 in UTC.
 */
export interface ExpectationWithPeople {
  id: number;
  title: string;
  details: string;
  status: ExpectationStatus;
  /** Calendar date `YYYY-MM-DD`, or null. */
  dueOn: string | null;
  /** ISO-8601, UTC, e.g. `2026-12-02T08:15:00.000Z`. */
  createdAt: string;
  /** ISO-8601, UTC. */
  updatedAt: string;
  author: PublicProfile;
  assignee: PublicProfile | null;
}

export interface ListExpectationsOptions {
  /** Only expectations with a smaller id (older), i.e. after the previous page's last row. */
  beforeId?: number | undefined;
  limit: number;
  authorId?: number | undefined;
  assigneeId?: number | undefined;
  status?: ExpectationStatus | undefined;
}

export interface ExpectationPage {
  items: ExpectationWithPeople[];
  /** Pass as `beforeId` to get the next page; null when this was the last one. */
  nextBeforeId: number | null;
}

export interface NewExpectation {
  authorId: number;
  assigneeId: number | null;
  title: string;
  details: string;
  dueOn: string | null;
  /** Epoch ms; defaults to now. */
  now?: number;
}

export type CreateExpectationResult =
  | { created: true; id: number }
  /** The assignee is not in the mirror, or was deleted. */
  | { created: false; reason: 'assignee_unavailable' };

export interface SetExpectationStatusInput {
  id: number;
  /** Mirror id of the user asking; only the author may change the status. */
  actorId: number;
  status: ExpectationStatus;
  /** Epoch ms; defaults to now. */
  now?: number;
}

/** `unchanged`: the expectation already had that status, so `updatedAt` was left alone. */
export type SetExpectationStatusResult = 'updated' | 'unchanged' | 'not_found' | 'not_author';

/** The caller's mirror row, looked up by Clerk user id: its id and whether it was deleted. */
export interface MirrorStatus {
  id: number;
  deleted: boolean;
}

/** Keyset position in the name-ordered user list: the last row's sort key and id. */
export interface UserListPosition {
  sortKey: string;
  id: number;
}

export interface ListUsersOptions {
  /** Case-insensitive substring of "first last" or of the username. */
  search?: string | undefined;
  /** Continue after this row (from the previous page's `next`). */
  after?: UserListPosition | undefined;
  limit: number;
}

export interface UserPage {
  items: PublicProfile[];
  /** Where the next page starts, or null when this was the last one. */
  next: UserListPosition | null;
}

/**
 * Everything the product asks of the database apart from the mirror's writer: what the router's
 * context holds. Reads of the mirror (users, organizations, memberships), reads and writes of
 * expectations; nothing that can write the mirror, and no handle to run other SQL through.
 */
export interface Queries {
  /**
   * A page of expectations, newest first, with both user joins, in ONE SQL statement. Keyset
   * paging on the id: a deep page costs what the first does, and rows inserted between two page
   * requests never shift later pages.
   */
  listExpectations(options: ListExpectationsOptions): Promise<ExpectationPage>;
  findExpectationById(id: number): Promise<ExpectationWithPeople | undefined>;
  /**
   * Inserts an open expectation. The assignee check and the insert share one transaction, so a
   * user deleted in between cannot end up assigned.
   */
  createExpectation(input: NewExpectation): Promise<CreateExpectationResult>;
  /** Moves an expectation to a status if `actorId` is its author. */
  setExpectationStatus(input: SetExpectationStatusInput): Promise<SetExpectationStatusResult>;
  findPublicProfileById(id: number): Promise<PublicProfile | undefined>;
  /** Users who are not deleted, in display-name order, one statement per page. */
  listUsers(options: ListUsersOptions): Promise<UserPage>;
  findMirrorStatusByClerkId(clerkId: string): Promise<MirrorStatus | undefined>;
  /**
   * Whether the Clerk user is a member of the Clerk organization as the mirror has it: true only
   * when the membership, its organization and its user are all there and none is deleted.
   */
  hasLiveMembership(clerkUserId: string, clerkOrganizationId: string): Promise<boolean>;
}
