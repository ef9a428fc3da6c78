import { and, asc, count, eq, gt, inArray, isNull, max, sql } from 'drizzle-orm';
import type { QueryEngine } from './engine';
import type { MirrorAuditQueries } from './mirror-audit';
import { where } from './sql-build';

/**
 * The audit's and the metrics' queries, for both engines: reads only, never in a transaction of
 * the mirror writer. Rare calls, so unprepared.
 */
export function mirrorAuditQueries(engine: QueryEngine): MirrorAuditQueries {
  const { users, webhookEvents } = engine.tables;
  return {
    async findMirrorVersions(clerkIds) {
      if (clerkIds.length === 0) return [];
      const rows = await engine.query(
        sql`SELECT ${users.clerkId}, ${users.clerkUpdatedAt}, ${users.deletedAt} FROM ${users} WHERE ${inArray(users.clerkId, [...clerkIds])}`,
      );
      return rows.map(([clerkId, clerkUpdatedAt, deletedAt]) => ({ clerkId: clerkId as string, clerkUpdatedAt: Number(clerkUpdatedAt), deleted: deletedAt !== null }));
    },

    /**
     * Served by the unique index on `clerk_id`. On PostgreSQL its order is the database's
     * collation, not code-point order: the keyset (`> after`) compares in that same collation,
     * so no page skips or repeats an id.
     */
    async listLiveMirrorClerkIds(page) {
      const conditions = [isNull(users.deletedAt)];
      if (page.after !== undefined) conditions.push(gt(users.clerkId, page.after));
      const rows = await engine.query(sql`SELECT ${users.clerkId} FROM ${users}${where([and(...conditions)!])} ORDER BY ${asc(users.clerkId)} LIMIT ${page.limit}`);
      return rows.map(([clerkId]) => clerkId as string);
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
