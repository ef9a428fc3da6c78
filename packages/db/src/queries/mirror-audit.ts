import { and, asc, count, eq, gt, inArray, isNull, max } from 'drizzle-orm';
import type { Database } from '../client';
import { users } from '../schema/users';
import { webhookEvents } from '../schema/webhook-events';

/**
 * Read-only queries for the mirror audit and the metrics: they compare and count the mirror,
 * never change it. Written with the query builder over the schema objects only.
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

/** The audit's and the metrics' queries on `db`: reads only. */
export function createMirrorAuditQueries(db: Database): MirrorAuditQueries {
  return Object.freeze({
    findMirrorVersions: (clerkIds: readonly string[]) => findMirrorVersions(db, clerkIds),
    listLiveMirrorClerkIds: (page: { after?: string; limit: number }) => listLiveMirrorClerkIds(db, page),
    countMirrorUsers: () => countMirrorUsers(db),
    lastAppliedWebhookAt: () => lastAppliedWebhookAt(db),
  });
}

/** What the audit compares with Clerk: which version of a user the mirror holds. */
export interface MirrorVersion {
  clerkId: string;
  /** Clerk's `updated_at` of the last applied event, epoch ms. */
  clerkUpdatedAt: number;
  deleted: boolean;
}

async function findMirrorVersions(db: Database, clerkIds: readonly string[]): Promise<MirrorVersion[]> {
  if (clerkIds.length === 0) return [];
  const rows = await db.orm
    .select({ clerkId: users.clerkId, clerkUpdatedAt: users.clerkUpdatedAt, deletedAt: users.deletedAt })
    .from(users)
    .where(inArray(users.clerkId, [...clerkIds]));
  return rows.map((row) => ({ clerkId: row.clerkId, clerkUpdatedAt: row.clerkUpdatedAt, deleted: row.deletedAt !== null }));
}

/** Served by the unique index on `clerk_id`. */
async function listLiveMirrorClerkIds(db: Database, page: { after?: string; limit: number }): Promise<string[]> {
  const rows = await db.orm
    .select({ clerkId: users.clerkId })
    .from(users)
    .where(page.after === undefined ? isNull(users.deletedAt) : and(isNull(users.deletedAt), gt(users.clerkId, page.after)))
    .orderBy(asc(users.clerkId))
    .limit(page.limit);
  return rows.map((row) => row.clerkId);
}

async function countMirrorUsers(db: Database): Promise<{ live: number; deleted: number }> {
  const [row] = await db.orm.select({ total: count(), deleted: count(users.deletedAt) }).from(users);
  const total = Number(row?.total ?? 0);
  const deleted = Number(row?.deleted ?? 0);
  return { live: total - deleted, deleted };
}

async function lastAppliedWebhookAt(db: Database): Promise<number | null> {
  const [row] = await db.orm
    .select({ at: max(webhookEvents.receivedAt) })
    .from(webhookEvents)
    .where(eq(webhookEvents.outcome, 'applied'));
  return row?.at ?? null;
}
