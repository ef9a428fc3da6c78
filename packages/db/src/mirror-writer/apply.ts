import { eq, sql } from 'drizzle-orm';
import { run, type QueryEngine, type Statement, type Step, type TransactionBody } from '../queries/engine';
import { assignments, columnsOf, insertInto, p } from '../queries/sql-build';
import type { WebhookDelivery } from './clerk-event';
import { clerkUserIdOf, planMirrorChange, webhookEventRecord, type ApplyResult, type MirrorRowState } from './plan';

/**
 * How an engine lets the writer, and only the writer, change `users` (the guard of
 * migrations/<engine>/0001), and how it keeps deliveries for one user from overlapping.
 */
export interface WriterGuard {
  /** Run first in the writer's transaction. */
  enter(lockKey: string): Generator<Step, unknown, unknown[][]>;
  /** Run last, before COMMIT (a rollback undoes `enter` by itself). */
  leave(): Generator<Step, unknown, unknown[][]>;
}

/** The writer's statements, compiled once per engine. */
export function writerStatements(engine: QueryEngine) {
  const { users, webhookEvents } = engine.tables;
  const userFields = ['email', 'firstName', 'lastName', 'username', 'imageUrl', 'clerkUpdatedAt', 'deletedAt', 'updatedAt'] as const;
  const userColumns = columnsOf(users, userFields);
  const compile = (name: string, query: ReturnType<typeof sql>) => engine.compile(`writer.${name}`, query);
  return {
    // One row always: the user's mirror row (or nulls) and whether this svix id was seen before.
    state: compile(
      'state',
      sql`SELECT ${users.id}, ${users.clerkUpdatedAt}, ${users.deletedAt},
            EXISTS (SELECT 1 FROM ${webhookEvents} WHERE ${webhookEvents.svixId} = ${p('svixId')})
          FROM (SELECT 1) AS one LEFT JOIN ${users} ON ${users.clerkId} = ${p('clerkId')}`,
    ),
    duplicate: compile(
      'duplicate',
      sql`UPDATE ${webhookEvents} SET ${sql.identifier(webhookEvents.duplicateDeliveries.name)} = ${webhookEvents.duplicateDeliveries} + 1,
            ${sql.identifier(webhookEvents.lastDeliveredAt.name)} = ${p('receivedAt')}
          WHERE ${webhookEvents.svixId} = ${p('svixId')}`,
    ),
    insertUser: compile(
      'insertUser',
      sql`${insertInto(users, { ...userColumns, clerkId: users.clerkId, createdAt: users.createdAt })} RETURNING ${sql.identifier(users.id.name)}`,
    ),
    updateUser: compile('updateUser', sql`UPDATE ${users} SET ${assignments(userColumns)} WHERE ${eq(users.id, p('id'))}`),
    insertEvent: compile(
      'insertEvent',
      insertInto(webhookEvents, {
        svixId: webhookEvents.svixId,
        type: webhookEvents.type,
        clerkUserId: webhookEvents.clerkUserId,
        outcome: webhookEvents.outcome,
        clerkUpdatedAt: webhookEvents.clerkUpdatedAt,
        receivedAt: webhookEvents.receivedAt,
        lastDeliveredAt: webhookEvents.lastDeliveredAt,
      }),
    ),
  } satisfies Record<string, Statement>;
}

/**
 * Applies one delivery in one transaction: the mirror change and its `webhook_events` row commit
 * together or not at all. The guard's lock makes deliveries for one user run one after the
 * other, so the second sees what the first committed: a repeated svix id is a duplicate, an
 * older `updated_at` is stale (see planMirrorChange).
 */
export function applyDelivery(
  engine: QueryEngine,
  statements: ReturnType<typeof writerStatements>,
  guard: WriterGuard,
  delivery: WebhookDelivery,
): Promise<ApplyResult> {
  const clerkId = clerkUserIdOf(delivery.event);
  return engine.transaction(function* (): TransactionBody<ApplyResult> {
    yield* guard.enter(clerkId ?? delivery.svixId);
    const [state] = yield* run(statements.state, { clerkId, svixId: delivery.svixId });
    const [id, clerkUpdatedAt, deletedAt, seen] = state!;
    const row: MirrorRowState | undefined =
      id === null ? undefined : { id: Number(id), clerkUpdatedAt: Number(clerkUpdatedAt), deletedAt: deletedAt === null ? null : Number(deletedAt) };

    let result: ApplyResult;
    // PostgreSQL's EXISTS is a boolean, SQLite's 0 or 1.
    if (seen === true || seen === 1) {
      yield* run(statements.duplicate, { svixId: delivery.svixId, receivedAt: delivery.receivedAt });
      result = { outcome: 'duplicate', userId: row?.id ?? null };
    } else {
      const change = planMirrorChange(delivery.event, row, delivery.receivedAt);
      let userId = row?.id ?? null;
      if ('insert' in change) userId = Number((yield* run(statements.insertUser, { ...change.insert }))[0]![0]);
      else if ('update' in change) yield* run(statements.updateUser, { ...change.update, id: row!.id });
      yield* run(statements.insertEvent, webhookEventRecord(delivery, change.outcome));
      result = { outcome: change.outcome, userId };
    }
    yield* guard.leave();
    return result;
  });
}
