import { sql } from 'drizzle-orm';
import type { FeedEventKind } from '../constants';
import { run, type QueryEngine, type Statement, type Step } from '../queries/engine';
import { columnsOf, insertInto, p } from '../queries/sql-build';

/** A `feed_events` row to append, in the transaction of the change it records. */
export interface NewFeedEvent {
  kind: Exclude<FeedEventKind, 'membership.ended'>;
  organizationId: number | null;
  expectationId: number | null;
  userId: number | null;
  createdAt: number;
}

/** The statements that append to the feed on `engine`, compiled once per engine. */
export function feedAppendStatements(engine: QueryEngine) {
  const { feedEvents, organizations, users } = engine.tables;
  return {
    lock: engine.feedEventsAppendLock && engine.compile('feedEvents.appendLock', engine.feedEventsAppendLock),
    append: engine.compile('feedEvents.append', insertInto(feedEvents, columnsOf(feedEvents, ['kind', 'organizationId', 'expectationId', 'userId', 'createdAt'] as const))),
    // Membership events name Clerk ids, and either mirror row may not have arrived yet: then no
    // open feed can be in that team as that user, and the NULL they leave matches none.
    appendMembershipEnded: engine.compile(
      'feedEvents.appendMembershipEnded',
      sql`INSERT INTO ${feedEvents} (${sql.identifier(feedEvents.kind.name)}, ${sql.identifier(feedEvents.organizationId.name)}, ${sql.identifier(feedEvents.userId.name)}, ${sql.identifier(feedEvents.createdAt.name)})
          VALUES ('membership.ended',
            (SELECT ${organizations.id} FROM ${organizations} WHERE ${organizations.clerkId} = ${p('clerkOrganizationId')}),
            (SELECT ${users.id} FROM ${users} WHERE ${users.clerkId} = ${p('clerkUserId')}),
            ${p('createdAt')})`,
    ),
  } satisfies Record<string, Statement | null>;
}

export type FeedAppendStatements = ReturnType<typeof feedAppendStatements>;

type Appends = Generator<Step, void, unknown[][]>;

/** Appends one event inside a transaction body (`yield* appendFeedEvent(…)`), after its engine's lock. */
export function* appendFeedEvent(statements: FeedAppendStatements, event: NewFeedEvent): Appends {
  if (statements.lock) yield* run(statements.lock);
  yield* run(statements.append, { ...event });
}

/**
 * Appends that a membership ended (`clerkUserId` null: every membership of a deleted team), by
 * Clerk ids: open feeds of that team, or of that member in it, check their access again.
 */
export function* appendMembershipEnded(
  statements: FeedAppendStatements,
  ended: { clerkOrganizationId: string; clerkUserId: string | null; createdAt: number },
): Appends {
  if (statements.lock) yield* run(statements.lock);
  yield* run(statements.appendMembershipEnded, { ...ended });
}
