import type { MirrorAuditQueries, MirrorMembershipVersion, MirrorVersion } from '@expectations/db';
import type { ClerkDirectory, ClerkMembershipVersion, ClerkPage, ClerkVersion } from './clerk-directory';
import type { HeldVersion } from './compare';

/** A live mirror row, as the ghost search walks them. */
export interface LiveRow {
  /** What the mirror keys the row by: the Clerk id, or a membership's organization and user. */
  key: string;
  /** The Clerk id the row holds. */
  clerkId: string;
}

/**
 * What the audit needs to know of one mirrored kind (users, organizations, memberships) to
 * compare it with Clerk and repair it: the rest is the same for every kind (audit.ts).
 */
export interface AuditedKind<Version extends ClerkVersion, Row extends LiveRow = LiveRow> {
  /** Plural, for progress lines: "users". */
  readonly noun: string;
  /** The mirror's key for a Clerk version (LiveRow.key). */
  keyOf(version: Version): string;
  /** A page of Clerk's list, oldest first. */
  page(offset: number): Promise<ClerkPage<Version>>;
  /** What the mirror holds of each of these, by Clerk id; absent: the mirror lacks that version (missing). */
  heldVersions(versions: readonly Version[]): Promise<Map<string, HeldVersion>>;
  /** Live mirror rows in key order, after the row `after`. */
  listLive(page: { after?: Row; limit: number }): Promise<Row[]>;
  /** Clerk's versions of those of these rows that Clerk still has, asked for by id. */
  findInClerk(rows: readonly Row[]): Promise<Version[]>;
  /** Touches its private metadata in Clerk so that Clerk sends its `….updated`; its new version, or null if gone. */
  touch(version: Version, at: Date): Promise<Version | null>;
}

const heldOf = (versions: readonly MirrorVersion[]) =>
  new Map(versions.map((version): [string, HeldVersion] => [version.clerkId, { clerkUpdatedAt: version.clerkUpdatedAt, final: version.deleted }]));
const rowsOf = (ids: readonly string[]): LiveRow[] => ids.map((id) => ({ key: id, clerkId: id }));

function auditedUsers(clerk: ClerkDirectory, mirror: MirrorAuditQueries): AuditedKind<ClerkVersion> {
  return {
    noun: 'users',
    keyOf: (user) => user.id,
    page: (offset) => clerk.pageUsers(offset),
    heldVersions: async (users) => heldOf(await mirror.findMirrorVersions(users.map((user) => user.id))),
    listLive: async ({ after, limit }) => rowsOf(await mirror.listLiveMirrorClerkIds({ after: after?.key, limit })),
    findInClerk: (rows) => clerk.findUsers(rows.map((row) => row.clerkId)),
    touch: (user, at) => clerk.touchUser(user.id, at),
  };
}

function auditedOrganizations(clerk: ClerkDirectory, mirror: MirrorAuditQueries): AuditedKind<ClerkVersion> {
  return {
    noun: 'organizations',
    keyOf: (organization) => organization.id,
    page: (offset) => clerk.pageOrganizations(offset),
    heldVersions: async (organizations) => heldOf(await mirror.findMirrorOrganizationVersions(organizations.map((organization) => organization.id))),
    listLive: async ({ after, limit }) => rowsOf(await mirror.listLiveMirrorOrganizationIds({ after: after?.key, limit })),
    findInClerk: (rows) => clerk.findOrganizations(rows.map((row) => row.clerkId)),
    touch: (organization, at) => clerk.touchOrganization(organization.id, at),
  };
}

export type MembershipRow = LiveRow & { clerkOrganizationId: string; clerkUserId: string };

const pairKey = (clerkOrganizationId: string, clerkUserId: string) => `${clerkOrganizationId} ${clerkUserId}`;

/**
 * Memberships: the mirror keeps one row per organization and user, holding that pair's latest
 * membership, and a deleted organization's memberships end with it.
 */
function auditedMemberships(clerk: ClerkDirectory, mirror: MirrorAuditQueries): AuditedKind<ClerkMembershipVersion, MembershipRow> {
  const rowOf = (version: MirrorMembershipVersion): MembershipRow => ({
    key: pairKey(version.clerkOrganizationId, version.clerkUserId),
    clerkId: version.clerkId,
    clerkOrganizationId: version.clerkOrganizationId,
    clerkUserId: version.clerkUserId,
  });
  return {
    noun: 'memberships',
    keyOf: (membership) => pairKey(membership.organizationId, membership.userId),
    page: (offset) => clerk.pageMemberships(offset),

    async heldVersions(memberships) {
      const pairs = memberships.map((membership) => ({ clerkOrganizationId: membership.organizationId, clerkUserId: membership.userId }));
      const rows = new Map((await mirror.findMirrorMembershipVersions(pairs)).map((row) => [pairKey(row.clerkOrganizationId, row.clerkUserId), row]));
      const organizationIds = [...new Set(memberships.map((membership) => membership.organizationId))];
      const endedOrganizations = new Set((await mirror.findMirrorOrganizationVersions(organizationIds)).filter((held) => held.deleted).map((held) => held.clerkId));
      const held = new Map<string, HeldVersion>();
      for (const membership of memberships) {
        const row = rows.get(pairKey(membership.organizationId, membership.userId));
        if (endedOrganizations.has(membership.organizationId)) held.set(membership.id, { clerkUpdatedAt: row?.clerkUpdatedAt ?? 0, final: true });
        else if (row?.clerkId === membership.id) held.set(membership.id, { clerkUpdatedAt: row.clerkUpdatedAt, final: row.deleted });
        // The pair's row holds a later membership: this one's events change nothing any more.
        else if (row && !isLaterMembership(membership, row)) held.set(membership.id, { clerkUpdatedAt: row.clerkUpdatedAt, final: true });
        // Otherwise the mirror lacks it, or holds an earlier membership of the pair (the member was
        // removed and added again): this membership's event takes the row over, so it is missing.
      }
      return held;
    },

    listLive: async ({ after, limit }) => (await mirror.listLiveMirrorMemberships({ after, limit })).map(rowOf),

    async findInClerk(rows) {
      const usersByOrganization = new Map<string, string[]>();
      for (const row of rows) usersByOrganization.set(row.clerkOrganizationId, [...(usersByOrganization.get(row.clerkOrganizationId) ?? []), row.clerkUserId]);
      const found: ClerkMembershipVersion[] = [];
      for (const [organizationId, userIds] of usersByOrganization) found.push(...(await clerk.findMemberships(organizationId, userIds)));
      return found;
    },

    touch: (membership, at) => clerk.touchMembership(membership, at),
  };
}

/** The mirror writer's rule: of two memberships of one pair, the one created later (then, never in practice, the greater id) is current. */
function isLaterMembership(membership: ClerkMembershipVersion, row: MirrorMembershipVersion): boolean {
  return membership.createdAt !== row.clerkCreatedAt ? membership.createdAt > row.clerkCreatedAt : membership.id > row.clerkId;
}

/** The three mirrored kinds, as the audit walks them. */
export interface MirroredKinds {
  users: AuditedKind<ClerkVersion>;
  organizations: AuditedKind<ClerkVersion>;
  memberships: AuditedKind<ClerkMembershipVersion, MembershipRow>;
}

export function mirroredKinds(clerk: ClerkDirectory, mirror: MirrorAuditQueries): MirroredKinds {
  return { users: auditedUsers(clerk, mirror), organizations: auditedOrganizations(clerk, mirror), memberships: auditedMemberships(clerk, mirror) };
}
