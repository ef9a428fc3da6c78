/**
 * Read-only queries for the mirror audit and the metrics: they compare and count the mirror,
 * never change it.
 */
export interface MirrorAuditQueries {
  /** The mirror's version of each of these Clerk users that it has a row for (in no order). */
  findMirrorVersions(clerkIds: readonly string[]): Promise<MirrorVersion[]>;
  /** Clerk ids of live users in id order, a page at a time: pass a page's last id as `after`. */
  listLiveMirrorClerkIds(page: { after?: string; limit: number }): Promise<string[]>;
  /** The mirror's version of each of these Clerk organizations that it has a row for (in no order). */
  findMirrorOrganizationVersions(clerkIds: readonly string[]): Promise<MirrorVersion[]>;
  /** Clerk ids of live organizations in id order, a page at a time: pass a page's last id as `after`. */
  listLiveMirrorOrganizationIds(page: { after?: string; limit: number }): Promise<string[]>;
  /** The membership row of each of these organization and user pairs that the mirror has one for (in no order). */
  findMirrorMembershipVersions(pairs: readonly MembershipPair[]): Promise<MirrorMembershipVersion[]>;
  /**
   * Live memberships whose organization the mirror does not hold as deleted (a deleted
   * organization's memberships end with it), in pair order, a page at a time: pass a page's last
   * row as `after`.
   */
  listLiveMirrorMemberships(page: { after?: MembershipPair; limit: number }): Promise<MirrorMembershipVersion[]>;
  /** Mirror rows: users live, and users deleted (tombstones). */
  countMirrorUsers(): Promise<{ live: number; deleted: number }>;
  /** When the last webhook that changed the mirror was received (epoch ms), or null if none has. */
  lastAppliedWebhookAt(): Promise<number | null>;
}

/** What the audit compares with Clerk: which version of a user or an organization the mirror holds. */
export interface MirrorVersion {
  clerkId: string;
  /** Clerk's `updated_at` of the last applied event, epoch ms. */
  clerkUpdatedAt: number;
  deleted: boolean;
}

/** The key of a membership row: one organization and one user. */
export interface MembershipPair {
  clerkOrganizationId: string;
  clerkUserId: string;
}

/** Which membership of a pair the mirror holds, and which version of it. */
export interface MirrorMembershipVersion extends MirrorVersion, MembershipPair {
  /** Clerk's `created_at` of that membership: between two memberships of one pair, the later one is current. */
  clerkCreatedAt: number;
}
