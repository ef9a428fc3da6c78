import { and, asc, count, eq, gt, inArray, isNull, max } from 'drizzle-orm';
import type { PostgresInternals, PostgresOrm } from '../internals';
import type { MirrorAuditQueries, MirrorVersion } from '../queries/mirror-audit';
import { users, webhookEvents } from './schema/index';

/**
 * The audit's and the metrics' queries on PostgreSQL: reads only, on the shared pool, never in a
 * transaction that sets the mirror writer's flag.
 */
export function postgresMirrorAuditQueries({ orm }: PostgresInternals): MirrorAuditQueries {
  return {
    findMirrorVersions: (clerkIds) => findMirrorVersions(orm, clerkIds),
    listLiveMirrorClerkIds: (page) => listLiveMirrorClerkIds(orm, page),
    countMirrorUsers: () => countMirrorUsers(orm),
    lastAppliedWebhookAt: () => lastAppliedWebhookAt(orm),
  };
}

async function findMirrorVersions(orm: PostgresOrm, clerkIds: readonly string[]): Promise<MirrorVersion[]> {
  if (clerkIds.length === 0) return [];
  const rows = await orm
    .select({ clerkId: users.clerkId, clerkUpdatedAt: users.clerkUpdatedAt, deletedAt: users.deletedAt })
    .from(users)
    .where(inArray(users.clerkId, [...clerkIds]));
  return rows.map((row) => ({ clerkId: row.clerkId, clerkUpdatedAt: row.clerkUpdatedAt, deleted: row.deletedAt !== null }));
}

/**
 * Served by the unique index on `clerk_id`. Its order is the database's collation, not code-point
 * order: the keyset (`> after`) compares in that same collation, so no page skips or repeats an id.
 */
async function listLiveMirrorClerkIds(orm: PostgresOrm, page: { after?: string; limit: number }): Promise<string[]> {
  const rows = await orm
    .select({ clerkId: users.clerkId })
    .from(users)
    .where(page.after === undefined ? isNull(users.deletedAt) : and(isNull(users.deletedAt), gt(users.clerkId, page.after)))
    .orderBy(asc(users.clerkId))
    .limit(page.limit);
  return rows.map((row) => row.clerkId);
}

async function countMirrorUsers(orm: PostgresOrm): Promise<{ live: number; deleted: number }> {
  const [row] = await orm.select({ total: count(), deleted: count(users.deletedAt) }).from(users);
  const total = Number(row?.total ?? 0);
  const deleted = Number(row?.deleted ?? 0);
  return { live: total - deleted, deleted };
}

async function lastAppliedWebhookAt(orm: PostgresOrm): Promise<number | null> {
  const [row] = await orm
    .select({ at: max(webhookEvents.receivedAt) })
    .from(webhookEvents)
    .where(eq(webhookEvents.outcome, 'applied'));
  return row?.at ?? null;
}
