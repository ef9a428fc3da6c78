/**
 * Read-only queries for the mirror audit and the metrics: they compare and count the mirror,
 * never change it.
 */
export interface MirrorAuditQueries {
  /** The mirror's version of each of these Clerk users that it has a row for (in no order). */
  findMirrorVersions(clerkIds: readonly string[]): Promise<MirrorVersion[]>;
  /** Clerk ids of live users in id order, a page at a time: pass a page's last id as `after`. */
  listLiveMirrorClerkIds(page: { after?: string; limit: number }): Promise<string[]>;
  /** Mirror rows: users live, and users deleted (tombstones). */
  countMirrorUsers(): Promise<{ live: number; deleted: number }>;
  /** When the last webhook that changed the mirror was received (epoch ms), or null if none has. */
  lastAppliedWebhookAt(): Promise<number | null>;
}

/** What the audit compares with Clerk: which version of a user the mirror holds. */
export interface MirrorVersion {
  clerkId: string;
  /** Clerk's `updated_at` of the last applied event, epoch ms. */
  clerkUpdatedAt: number;
  deleted: boolean;
}
