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

/**
 * Whose expectations a read may return, named by Clerk ids so that the check rides inside the
 * read's own statement (no lookup before it):
 * - a team: its expectations, while the caller's membership, the team and the caller are all live
 *   in the mirror;
 * - no team (`clerkOrganizationId: null`): personal expectations the caller wrote or is assigned;
 * - `'all'`: every expectation, for operators' tools and tests; no request is ever read with it.
 */
export type ExpectationScope = { clerkUserId: string; clerkOrganizationId: string | null } | 'all';

export interface ListExpectationsOptions {
  scope: ExpectationScope;
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
  /** The team's organizations-mirror id; null for a personal expectation. */
  organizationId: number | null;
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
  | { created: false; reason: 'assignee_unavailable' }
  /** The assignee is not a live member of the expectation's team. */
  | { created: false; reason: 'assignee_not_member' };

export interface SetExpectationStatusInput {
  id: number;
  /** Mirror id of the user asking: the author may change the status. */
  actorId: number;
  /** The team the caller acts in (organizations-mirror id), or null: another team's expectation is not found. */
  organizationId: number | null;
  /** The caller is an admin of that team: they may also withdraw any of its expectations. */
  actorIsTeamAdmin: boolean;
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

/** The caller's membership of their active team, as the mirror has it. */
export type TeamMembershipState =
  /** The membership or its team has not arrived from Clerk yet. */
  | { state: 'not_mirrored' }
  /** The membership was removed, or the team deleted. */
  | { state: 'ended' }
  | { state: 'member'; organizationId: number; isAdmin: boolean };

/** The caller as the mirror has them: their row, and their membership of the active team if one is active. */
export interface Viewer extends MirrorStatus {
  /** Null when no team is active. */
  team: TeamMembershipState | null;
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
  /** Only live members of this team (a Clerk organization id). */
  clerkOrganizationId?: string | undefined;
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
  /** Undefined when there is no such expectation in `scope`. */
  findExpectationById(id: number, scope: ExpectationScope): Promise<ExpectationWithPeople | undefined>;
  /**
   * Inserts an open expectation. The assignee check and the insert share one transaction, so a
   * user deleted in between cannot end up assigned.
   */
  createExpectation(input: NewExpectation): Promise<CreateExpectationResult>;
  /**
   * Moves an expectation of the caller's team (or a personal one of theirs) to a status, if
   * `actorId` is its author, or an admin of its team withdrawing it.
   */
  setExpectationStatus(input: SetExpectationStatusInput): Promise<SetExpectationStatusResult>;
  findPublicProfileById(id: number): Promise<PublicProfile | undefined>;
  /** Users who are not deleted, in display-name order, one statement per page. */
  listUsers(options: ListUsersOptions): Promise<UserPage>;
  /**
   * The caller's mirror row and, given a team, their membership of it: one statement. Undefined
   * when the user is not mirrored.
   */
  findViewer(clerkUserId: string, clerkOrganizationId: string | null): Promise<Viewer | undefined>;
}
