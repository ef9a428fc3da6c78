import { and, eq, sql } from 'drizzle-orm';
import { appendFeedEvent, appendMembershipEnded, feedAppendStatements } from '../feed/append';
import { run, type QueryEngine, type Statement, type Step, type TransactionBody } from '../queries/engine';
import { assignments, columnsOf, insertInto, p } from '../queries/sql-build';
import type {
  ClerkOrganizationEvent,
  ClerkOrganizationMembershipEvent,
  ClerkOtherEvent,
  ClerkUserEvent,
  WebhookDelivery,
} from './clerk-event';
import {
  mirrorKeyOf,
  planMembershipChange,
  planOrganizationChange,
  planUserChange,
  webhookEventRecord,
  type ApplyResult,
  type MembershipRowState,
  type MirrorChange,
  type MirrorRowState,
} from './plan';

/**
 * How an engine lets the writer, and only the writer, change the mirrored tables (the guards of
 * migrations/<engine>/0001 and the organizations' guard after it), and how it keeps deliveries
 * for one mirror row from overlapping.
 */
export interface WriterGuard {
  /** Run first in the writer's transaction. */
  enter(lockKey: string): Generator<Step, unknown, unknown[][]>;
  /** Run last, before COMMIT (a rollback undoes `enter` by itself). */
  leave(): Generator<Step, unknown, unknown[][]>;
}

type Writes = Generator<Step, void, unknown[][]>;

/**
 * What applying one delivery did, and whether it appended to the live feed (src/feed/append.ts).
 * Only an applied change appends: a duplicate or stale event changes nothing, so no open feed hears of it.
 */
type Applied = [ApplyResult, boolean];

/** The writer's statements, compiled once per engine. */
export function writerStatements(engine: QueryEngine) {
  const { users, organizations, organizationMemberships: memberships, webhookEvents } = engine.tables;
  const userColumns = columnsOf(users, ['email', 'firstName', 'lastName', 'username', 'imageUrl', 'clerkUpdatedAt', 'deletedAt', 'updatedAt'] as const);
  const organizationColumns = columnsOf(organizations, ['name', 'slug', 'imageUrl', 'clerkUpdatedAt', 'deletedAt', 'updatedAt'] as const);
  const membershipColumns = columnsOf(memberships, ['clerkId', 'role', 'clerkCreatedAt', 'clerkUpdatedAt', 'deletedAt', 'updatedAt'] as const);
  const compile = (name: string, query: ReturnType<typeof sql>) => engine.compile(`writer.${name}`, query);
  const seen = sql`EXISTS (SELECT 1 FROM ${webhookEvents} WHERE ${webhookEvents.svixId} = ${p('svixId')})`;
  return {
    // Each state statement returns one row always: the mirror row (or nulls) and whether this
    // svix id was seen before.
    userState: compile(
      'userState',
      sql`SELECT ${users.id}, ${users.clerkUpdatedAt}, ${users.deletedAt}, ${seen}
          FROM (SELECT 1) AS one LEFT JOIN ${users} ON ${users.clerkId} = ${p('clerkId')}`,
    ),
    organizationState: compile(
      'organizationState',
      sql`SELECT ${organizations.id}, ${organizations.clerkUpdatedAt}, ${organizations.deletedAt}, ${seen}
          FROM (SELECT 1) AS one LEFT JOIN ${organizations} ON ${organizations.clerkId} = ${p('clerkId')}`,
    ),
    membershipState: compile(
      'membershipState',
      sql`SELECT ${memberships.id}, ${memberships.clerkId}, ${memberships.clerkCreatedAt}, ${memberships.clerkUpdatedAt}, ${memberships.deletedAt}, ${seen}
          FROM (SELECT 1) AS one LEFT JOIN ${memberships}
            ON ${and(eq(memberships.clerkOrganizationId, p('clerkOrganizationId')), eq(memberships.clerkUserId, p('clerkUserId')))}`,
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
    insertOrganization: compile('insertOrganization', insertInto(organizations, { ...organizationColumns, clerkId: organizations.clerkId, createdAt: organizations.createdAt })),
    updateOrganization: compile('updateOrganization', sql`UPDATE ${organizations} SET ${assignments(organizationColumns)} WHERE ${eq(organizations.id, p('id'))}`),
    insertMembership: compile(
      'insertMembership',
      insertInto(memberships, {
        ...membershipColumns,
        clerkOrganizationId: memberships.clerkOrganizationId,
        clerkUserId: memberships.clerkUserId,
        createdAt: memberships.createdAt,
      }),
    ),
    updateMembership: compile('updateMembership', sql`UPDATE ${memberships} SET ${assignments(membershipColumns)} WHERE ${eq(memberships.id, p('id'))}`),
    feed: feedAppendStatements(engine),
    insertEvent: compile(
      'insertEvent',
      insertInto(webhookEvents, {
        svixId: webhookEvents.svixId,
        type: webhookEvents.type,
        clerkUserId: webhookEvents.clerkUserId,
        clerkOrganizationId: webhookEvents.clerkOrganizationId,
        outcome: webhookEvents.outcome,
        clerkUpdatedAt: webhookEvents.clerkUpdatedAt,
        receivedAt: webhookEvents.receivedAt,
        lastDeliveredAt: webhookEvents.lastDeliveredAt,
      }),
    ),
  } satisfies Record<string, Statement | ReturnType<typeof feedAppendStatements>>;
}

type WriterStatements = ReturnType<typeof writerStatements>;

/**
 * Applies one delivery in one transaction: the mirror change and its `webhook_events` row commit
 * together or not at all. The guard's lock makes deliveries for one mirror row run one after the
 * other, so the second sees what the first committed: a repeated svix id is a duplicate, an
 * older `updated_at` is stale (see plan.ts). Each delivery takes exactly one lock, on one
 * connection, and holds it only for its own transaction: deliveries cannot wait on each other in
 * a cycle, nor hold a pooled connection while waiting for another.
 */
export async function applyDelivery(
  engine: QueryEngine,
  statements: WriterStatements,
  guard: WriterGuard,
  delivery: WebhookDelivery,
  feedEventsAppended: () => void,
): Promise<ApplyResult> {
  const { event } = delivery;
  let appended = false;
  const result = await engine.transaction(function* (): TransactionBody<ApplyResult> {
    yield* guard.enter(mirrorKeyOf(event) ?? delivery.svixId);
    let applied: Applied;
    switch (event.type) {
      case 'organization.created':
      case 'organization.updated':
      case 'organization.deleted':
        applied = yield* applyOrganizationEvent(statements, delivery, event);
        break;
      case 'organizationMembership.created':
      case 'organizationMembership.updated':
      case 'organizationMembership.deleted':
        applied = yield* applyMembershipEvent(statements, delivery, event);
        break;
      default:
        applied = yield* applyUserEvent(statements, delivery, event);
    }
    const [result, feedEvent] = applied;
    appended = feedEvent;
    yield* guard.leave();
    return result;
  });
  if (appended) feedEventsAppended();
  return result;
}


// PostgreSQL's EXISTS is a boolean, SQLite's 0 or 1.
const isTrue = (value: unknown) => value === true || value === 1;

const epochMsOrNull = (value: unknown) => (value === null ? null : Number(value));

/** A repeated svix id: counted on its first delivery's row, nothing else changes. */
function* recordDuplicate(statements: WriterStatements, delivery: WebhookDelivery): Writes {
  yield* run(statements.duplicate, { svixId: delivery.svixId, receivedAt: delivery.receivedAt });
}

/** Runs a planned change's write (if any) and records the delivery. */
function* write<Change extends MirrorChange<object, object>>(
  statements: WriterStatements,
  delivery: WebhookDelivery,
  change: Change,
  insert: Statement,
  update: Statement,
  rowId: number | undefined,
): Generator<Step, unknown[][] | undefined, unknown[][]> {
  let inserted: unknown[][] | undefined;
  if ('insert' in change) inserted = yield* run(insert, { ...change.insert });
  else if ('update' in change) yield* run(update, { ...change.update, id: rowId });
  yield* run(statements.insertEvent, webhookEventRecord(delivery, change.outcome));
  return inserted;
}

/** A changed profile of a user already mirrored appends `profile.updated`: a new row is in no expectation yet, so no feed shows it. */
function* applyUserEvent(
  statements: WriterStatements,
  delivery: WebhookDelivery,
  event: ClerkUserEvent | ClerkOtherEvent,
): TransactionBody<Applied> {
  const clerkId = event.type === 'other' ? event.clerkUserId : event.data.id;
  const [state] = yield* run(statements.userState, { clerkId, svixId: delivery.svixId });
  const [id, clerkUpdatedAt, deletedAt, seen] = state!;
  const row: MirrorRowState | undefined =
    id === null ? undefined : { id: Number(id), clerkUpdatedAt: Number(clerkUpdatedAt), deletedAt: epochMsOrNull(deletedAt) };
  if (isTrue(seen)) {
    yield* recordDuplicate(statements, delivery);
    return [{ outcome: 'duplicate', userId: row?.id ?? null }, false];
  }
  const change = planUserChange(event, row, delivery.receivedAt);
  const inserted = yield* write(statements, delivery, change, statements.insertUser, statements.updateUser, row?.id);
  if (row && 'update' in change) {
    yield* appendFeedEvent(statements.feed, { kind: 'profile.updated', organizationId: null, expectationId: null, userId: row.id, createdAt: delivery.receivedAt });
    return [{ outcome: change.outcome, userId: row.id }, true];
  }
  return [{ outcome: change.outcome, userId: inserted ? Number(inserted[0]![0]) : (row?.id ?? null) }, false];
}

/** A deleted team that was mirrored appends `membership.ended` for all its members: their open feeds end. */
function* applyOrganizationEvent(statements: WriterStatements, delivery: WebhookDelivery, event: ClerkOrganizationEvent): TransactionBody<Applied> {
  const [state] = yield* run(statements.organizationState, { clerkId: event.data.id, svixId: delivery.svixId });
  const [id, clerkUpdatedAt, deletedAt, seen] = state!;
  const row: MirrorRowState | undefined =
    id === null ? undefined : { id: Number(id), clerkUpdatedAt: Number(clerkUpdatedAt), deletedAt: epochMsOrNull(deletedAt) };
  if (isTrue(seen)) {
    yield* recordDuplicate(statements, delivery);
    return [{ outcome: 'duplicate', userId: null }, false];
  }
  const change = planOrganizationChange(event, row, delivery.receivedAt);
  yield* write(statements, delivery, change, statements.insertOrganization, statements.updateOrganization, row?.id);
  if (event.type === 'organization.deleted' && 'update' in change) {
    yield* appendMembershipEnded(statements.feed, { clerkOrganizationId: event.data.id, clerkUserId: null, createdAt: delivery.receivedAt });
    return [{ outcome: change.outcome, userId: null }, true];
  }
  return [{ outcome: change.outcome, userId: null }, false];
}

/** A membership row that the change marks ended appends `membership.ended`: that member's open feeds of the team end. */
function* applyMembershipEvent(statements: WriterStatements, delivery: WebhookDelivery, event: ClerkOrganizationMembershipEvent): TransactionBody<Applied> {
  const pair = { clerkOrganizationId: event.data.organization.id, clerkUserId: event.data.public_user_data.user_id };
  const [state] = yield* run(statements.membershipState, { ...pair, svixId: delivery.svixId });
  const [id, clerkId, clerkCreatedAt, clerkUpdatedAt, deletedAt, seen] = state!;
  const row: MembershipRowState | undefined =
    id === null
      ? undefined
      : {
          id: Number(id),
          clerkId: clerkId as string,
          clerkCreatedAt: Number(clerkCreatedAt),
          clerkUpdatedAt: Number(clerkUpdatedAt),
          deletedAt: epochMsOrNull(deletedAt),
        };
  if (isTrue(seen)) {
    yield* recordDuplicate(statements, delivery);
    return [{ outcome: 'duplicate', userId: null }, false];
  }
  const change = planMembershipChange(event, row, delivery.receivedAt);
  yield* write(statements, delivery, change, statements.insertMembership, statements.updateMembership, row?.id);
  if ('update' in change && change.update.deletedAt !== null && row?.deletedAt === null) {
    yield* appendMembershipEnded(statements.feed, { clerkOrganizationId: pair.clerkOrganizationId, clerkUserId: pair.clerkUserId, createdAt: delivery.receivedAt });
    return [{ outcome: change.outcome, userId: null }, true];
  }
  return [{ outcome: change.outcome, userId: null }, false];
}
