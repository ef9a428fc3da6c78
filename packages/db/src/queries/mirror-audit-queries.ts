import { and, asc, count, eq, gt, inArray, isNotNull, isNull, max, or, sql, type SQL } from 'drizzle-orm';
import type { QueryEngine } from './engine';
import type { MirrorAuditQueries, MirrorMembershipVersion, MirrorVersion } from './mirror-audit';
import { where } from './sql-build';

/**
 * The audit's and the metrics' queries, for both engines: reads only, never in a transaction of
 * the mirror writer. Rare calls, so unprepared.
 */
export function mirrorAuditQueries(engine: QueryEngine): MirrorAuditQueries {
  const { users, organizations, organizationMemberships: memberships, webhookEvents } = engine.tables;

  // Users and organizations are mirrored alike: one row per Clerk id, a tombstone once deleted.
  const findVersions = async (table: typeof users | typeof organizations, clerkIds: readonly string[]): Promise<MirrorVersion[]> => {
    if (clerkIds.length === 0) return [];
    const rows = await engine.query(
      sql`SELECT ${table.clerkId}, ${table.clerkUpdatedAt}, ${table.deletedAt} FROM ${table} WHERE ${inArray(table.clerkId, [...clerkIds])}`,
    );
    return rows.map(([clerkId, clerkUpdatedAt, deletedAt]) => ({ clerkId: clerkId as string, clerkUpdatedAt: Number(clerkUpdatedAt), deleted: deletedAt !== null }));
  };

  /**
   * Served by the unique index on `clerk_id`. On PostgreSQL its order is the database's
   * collation, not code-point order: the keyset (`> after`) compares in that same collation,
   * so no page skips or repeats an id.
   */
  const listLiveIds = async (table: typeof users | typeof organizations, page: { after?: string; limit: number }): Promise<string[]> => {
    const conditions = [isNull(table.deletedAt)];
    if (page.after !== undefined) conditions.push(gt(table.clerkId, page.after));
    const rows = await engine.query(sql`SELECT ${table.clerkId} FROM ${table}${where([and(...conditions)!])} ORDER BY ${asc(table.clerkId)} LIMIT ${page.limit}`);
    return rows.map(([clerkId]) => clerkId as string);
  };

  const membershipColumns = sql`${memberships.clerkOrganizationId}, ${memberships.clerkUserId}, ${memberships.clerkId}, ${memberships.clerkCreatedAt}, ${memberships.clerkUpdatedAt}, ${memberships.deletedAt}`;
  const membershipVersionOf = ([clerkOrganizationId, clerkUserId, clerkId, clerkCreatedAt, clerkUpdatedAt, deletedAt]: unknown[]): MirrorMembershipVersion => ({
    clerkOrganizationId: clerkOrganizationId as string,
    clerkUserId: clerkUserId as string,
    clerkId: clerkId as string,
    clerkCreatedAt: Number(clerkCreatedAt),
    clerkUpdatedAt: Number(clerkUpdatedAt),
    deleted: deletedAt !== null,
  });

  return {
    findMirrorVersions: (clerkIds) => findVersions(users, clerkIds),
    listLiveMirrorClerkIds: (page) => listLiveIds(users, page),
    findMirrorOrganizationVersions: (clerkIds) => findVersions(organizations, clerkIds),
    listLiveMirrorOrganizationIds: (page) => listLiveIds(organizations, page),

    /** Each pair through the unique index on (organization, user). */
    async findMirrorMembershipVersions(pairs) {
      if (pairs.length === 0) return [];
      const matches = pairs.map((pair) => and(eq(memberships.clerkOrganizationId, pair.clerkOrganizationId), eq(memberships.clerkUserId, pair.clerkUserId))!);
      const rows = await engine.query(sql`SELECT ${membershipColumns} FROM ${memberships} WHERE ${or(...matches)}`);
      return rows.map(membershipVersionOf);
    },

    /** Walks the unique index on (organization, user); the keyset compares in its collation, as for users. */
    async listLiveMirrorMemberships(page) {
      const organizationDeleted = sql`SELECT 1 FROM ${organizations} WHERE ${and(eq(organizations.clerkId, memberships.clerkOrganizationId), isNotNull(organizations.deletedAt))}`;
      const conditions: SQL[] = [isNull(memberships.deletedAt), sql`NOT EXISTS (${organizationDeleted})`];
      if (page.after !== undefined) {
        const { clerkOrganizationId, clerkUserId } = page.after;
        conditions.push(
          or(gt(memberships.clerkOrganizationId, clerkOrganizationId), and(eq(memberships.clerkOrganizationId, clerkOrganizationId), gt(memberships.clerkUserId, clerkUserId)))!,
        );
      }
      const rows = await engine.query(
        sql`SELECT ${membershipColumns} FROM ${memberships}${where(conditions)} ORDER BY ${asc(memberships.clerkOrganizationId)}, ${asc(memberships.clerkUserId)} LIMIT ${page.limit}`,
      );
      return rows.map(membershipVersionOf);
    },

    async countMirrorUsers() {
      const [row] = await engine.query(sql`SELECT ${count()}, ${count(users.deletedAt)} FROM ${users}`);
      const total = Number(row?.[0] ?? 0);
      const deleted = Number(row?.[1] ?? 0);
      return { live: total - deleted, deleted };
    },

    async lastAppliedWebhookAt() {
      const [row] = await engine.query(sql`SELECT ${max(webhookEvents.receivedAt)} FROM ${webhookEvents} WHERE ${eq(webhookEvents.outcome, 'applied')}`);
      const at = row?.[0];
      return at === null || at === undefined ? null : Number(at);
    },
  };
}
