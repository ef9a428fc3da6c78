import {
  primaryEmailOf,
  type ClerkOrganizationJson,
  type ClerkOrganizationMembershipJson,
  type ClerkUserJson,
} from '@expectations/clerk-emulator';
import type { MembershipPair } from './team-change-stream';

/** A row of the API's users mirror, in its own column names (as are the other kinds' rows). */
export interface UserMirrorRow {
  clerk_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  clerk_updated_at: number;
  deleted_at: number | null;
}

export const USER_ROW_QUERY =
  'SELECT clerk_id, email, first_name, last_name, username, image_url, clerk_updated_at, deleted_at FROM users';

/** A row of the API's organizations mirror. */
export interface OrganizationMirrorRow {
  clerk_id: string;
  name: string | null;
  slug: string | null;
  image_url: string | null;
  clerk_updated_at: number;
  deleted_at: number | null;
}

export const ORGANIZATION_ROW_QUERY = 'SELECT clerk_id, name, slug, image_url, clerk_updated_at, deleted_at FROM organizations';

/** A row of the API's memberships mirror: one per organization and user pair. */
export interface MembershipMirrorRow {
  clerk_id: string;
  clerk_organization_id: string;
  clerk_user_id: string;
  role: string;
  clerk_created_at: number;
  clerk_updated_at: number;
  deleted_at: number | null;
}

export const MEMBERSHIP_ROW_QUERY =
  'SELECT clerk_id, clerk_organization_id, clerk_user_id, role, clerk_created_at, clerk_updated_at, deleted_at FROM organization_memberships';

/** One kind of mirrored object (users, organizations or memberships) compared with Clerk's truth. */
export interface KindComparison {
  rowsCompared: number;
  /** Objects Clerk lists. */
  live: number;
  /** Objects Clerk no longer has, which the mirror must hold as ended. */
  deleted: number;
  /** One sentence per difference; empty when the mirror equals Clerk's side. */
  divergences: string[];
}

export interface MirrorComparison {
  users: KindComparison;
  organizations: KindComparison;
  memberships: KindComparison;
}

/** Every divergence of every kind. */
export function divergencesOf(comparison: MirrorComparison): string[] {
  return [...comparison.users.divergences, ...comparison.organizations.divergences, ...comparison.memberships.divergences];
}

/**
 * What Clerk holds of memberships at the end. Clerk lists only the memberships of live
 * organizations; the others the scenario recorded as they happened.
 */
export interface MembershipTruth {
  /** Every membership of every live organization, as the stand-in lists them. */
  live: readonly ClerkOrganizationMembershipJson[];
  /**
   * The memberships each deleted organization had, as the stand-in listed them just before the
   * deletion. Clerk sends only `organization.deleted`: their rows keep their last state, and the
   * organization's tombstone is what ends them.
   */
  ofDeletedOrganizations: readonly ClerkOrganizationMembershipJson[];
  /** Every pair that has had a membership, with its latest membership's id. */
  pairs: readonly MembershipPair[];
}

interface KeyedMirrorRow {
  clerk_id: string;
  deleted_at: number | null;
}

/**
 * What the users and organizations comparisons share: rows keyed by Clerk id, every live entry
 * with a row equal to `want`, every deleted one a tombstone (`erased` fields null, `deleted_at`
 * set), and no other row.
 */
function compareKeyedMirror<Row extends KeyedMirrorRow>(
  noun: string,
  rows: readonly Row[],
  live: readonly { id: string; want: Partial<Row> }[],
  deletedIds: readonly string[],
  erased: readonly (keyof Row & string)[],
): KindComparison {
  const divergences: string[] = [];
  const byClerkId = new Map<string, Row>();
  for (const row of rows) {
    if (byClerkId.has(row.clerk_id)) divergences.push(`${row.clerk_id}: more than one mirror row`);
    byClerkId.set(row.clerk_id, row);
  }
  const expected = new Set<string>();

  for (const { id, want } of live) {
    expected.add(id);
    const row = byClerkId.get(id);
    if (!row) divergences.push(`${id}: live in Clerk but has no mirror row`);
    else divergences.push(...fieldDivergences(id, row, want, 'in Clerk'));
  }

  for (const id of deletedIds) {
    if (expected.has(id)) divergences.push(`${id}: deleted, yet Clerk still lists the ${noun}`);
    expected.add(id);
    const row = byClerkId.get(id);
    if (!row) {
      divergences.push(`${id}: deleted in Clerk but has no tombstone in the mirror`);
      continue;
    }
    if (row.deleted_at === null) divergences.push(`${id}: deleted in Clerk but deleted_at is null in the mirror`);
    for (const field of erased) {
      if (row[field] !== null) divergences.push(`${id}: deleted in Clerk but ${field} is still ${JSON.stringify(row[field])} in the mirror`);
    }
  }

  for (const row of rows) {
    if (!expected.has(row.clerk_id)) divergences.push(`${row.clerk_id}: in the mirror but unknown to Clerk`);
  }

  return { rowsCompared: rows.length, live: live.length, deleted: deletedIds.length, divergences };
}

/**
 * Compares the users mirror with Clerk's truth field by field: every live user has a row equal
 * to it, every deleted user a tombstone (personal fields erased, `deleted_at` set), and there is
 * no other row.
 */
export function compareUserMirror(rows: readonly UserMirrorRow[], liveUsers: readonly ClerkUserJson[], deletedIds: readonly string[]): KindComparison {
  const live = liveUsers.map((user) => ({
    id: user.id,
    want: {
      email: primaryEmailOf(user),
      first_name: user.first_name,
      last_name: user.last_name,
      username: user.username,
      image_url: user.image_url,
      clerk_updated_at: user.updated_at,
      deleted_at: null,
    } satisfies Partial<UserMirrorRow>,
  }));
  return compareKeyedMirror('user', rows, live, deletedIds, ['email', 'first_name', 'last_name', 'username', 'image_url']);
}

/**
 * Compares the organizations mirror with Clerk's truth as the users mirror is compared: every
 * live organization has a row equal to it, every deleted one a tombstone (name, slug and logo
 * erased, `deleted_at` set), and there is no other row.
 */
export function compareOrganizationMirror(
  rows: readonly OrganizationMirrorRow[],
  liveOrganizations: readonly ClerkOrganizationJson[],
  deletedIds: readonly string[],
): KindComparison {
  const live = liveOrganizations.map((organization) => ({
    id: organization.id,
    want: {
      name: organization.name,
      slug: organization.slug,
      image_url: organization.image_url,
      clerk_updated_at: organization.updated_at,
      deleted_at: null,
    } satisfies Partial<OrganizationMirrorRow>,
  }));
  return compareKeyedMirror('organization', rows, live, deletedIds, ['name', 'slug', 'image_url']);
}

/**
 * Compares the memberships mirror, one row per organization and user pair, with Clerk's truth:
 * a pair Clerk lists has a row equal to its membership; a pair whose organization was deleted
 * keeps the membership as it stood then; any other pair that has had a membership has a
 * tombstone of its latest one (`deleted_at` set, `clerk_id` that membership's), whether it was
 * removed or its user deleted; and there is no other row.
 */
export function compareMembershipMirror(rows: readonly MembershipMirrorRow[], truth: MembershipTruth): KindComparison {
  const divergences: string[] = [];
  const pairOf = (organizationId: string, userId: string) => `${organizationId} ${userId}`;
  const byPair = new Map<string, MembershipMirrorRow>();
  for (const row of rows) {
    const pair = pairOf(row.clerk_organization_id, row.clerk_user_id);
    if (byPair.has(pair)) divergences.push(`${pair}: more than one mirror row`);
    byPair.set(pair, row);
  }
  const expected = new Set<string>();

  const compareListed = (membership: ClerkOrganizationMembershipJson, source: string) => {
    const pair = pairOf(membership.organization.id, membership.public_user_data.user_id);
    if (expected.has(pair)) divergences.push(`${pair}: Clerk lists more than one membership of the pair`);
    expected.add(pair);
    const row = byPair.get(pair);
    if (!row) {
      divergences.push(`${pair}: a membership ${source} but has no mirror row`);
      return;
    }
    const want: Partial<MembershipMirrorRow> = {
      clerk_id: membership.id,
      role: membership.role,
      clerk_created_at: membership.created_at,
      clerk_updated_at: membership.updated_at,
      deleted_at: null,
    };
    divergences.push(...fieldDivergences(pair, row, want, source));
  };
  for (const membership of truth.live) compareListed(membership, 'in Clerk');
  for (const membership of truth.ofDeletedOrganizations) compareListed(membership, 'in Clerk when its organization was deleted');
  const listed = expected.size;

  let ended = 0;
  for (const { organizationId, userId, membershipId } of truth.pairs) {
    const pair = pairOf(organizationId, userId);
    if (expected.has(pair)) continue;
    expected.add(pair);
    ended += 1;
    const row = byPair.get(pair);
    if (!row) {
      divergences.push(`${pair}: membership ${membershipId} ended in Clerk but has no tombstone in the mirror`);
      continue;
    }
    if (row.clerk_id !== membershipId) divergences.push(`${pair}: clerk_id is ${JSON.stringify(row.clerk_id)} in the mirror, the pair's latest membership is ${membershipId}`);
    if (row.deleted_at === null) divergences.push(`${pair}: membership ${membershipId} ended in Clerk but deleted_at is null in the mirror`);
  }

  for (const row of rows) {
    const pair = pairOf(row.clerk_organization_id, row.clerk_user_id);
    if (!expected.has(pair)) divergences.push(`${pair}: in the mirror but unknown to Clerk`);
  }

  return { rowsCompared: rows.length, live: truth.live.length, deleted: listed - truth.live.length + ended, divergences };
}

/** A sentence for each field of `row` that differs from `want`. */
function fieldDivergences<Row extends object>(key: string, row: Row, want: Partial<Row>, source: string): string[] {
  const divergences: string[] = [];
  for (const [field, value] of Object.entries(want)) {
    const actual = row[field as keyof Row];
    if (actual !== value) divergences.push(`${key}: ${field} is ${JSON.stringify(actual)} in the mirror, ${JSON.stringify(value)} ${source}`);
  }
  return divergences;
}
