import { aliasedTable, and, asc, eq, gt, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { FeedEventKind } from '../constants';
import { expectationRowMapper, expectationWithPeopleColumns, profileFromRow, publicProfileColumns, selectedPositions } from '../queries/columns';
import type { QueryEngine } from '../queries/engine';
import { p, selectList } from '../queries/sql-build';
import type { FeedQueries, FeedRecord, FeedScope } from './types';

const EXPECTATION_KINDS = sql.raw(`'expectation.created', 'expectation.updated'`);

/**
 * The live feed's reads of `feed_events` on `engine`: each event with the current state of what
 * it names, joined in the same statement; a scope's replay filtered by the same statement.
 */
export function feedQueries(engine: QueryEngine): FeedQueries {
  const { feedEvents: feed, expectations, users, organizations, organizationMemberships: memberships } = engine.tables;
  const author = aliasedTable(users, 'author');
  const assignee = aliasedTable(users, 'assignee');
  const subject = aliasedTable(users, 'subject');
  const member = aliasedTable(users, 'member');
  const other = aliasedTable(expectations, 'other');

  const fields = {
    event: { id: feed.id, kind: feed.kind, organizationId: feed.organizationId, userId: feed.userId },
    expectation: expectationWithPeopleColumns(expectations, author, assignee),
    subject: publicProfileColumns(subject),
  };
  const at = selectedPositions(fields);
  const expectationOf = expectationRowMapper(fields.expectation);
  // The expectation's columns in a row start here; its mapper counts from its own first column.
  const expectationStart = at['expectation.id'];
  const subjectAt = { id: at['subject.id'], displayName: at['subject.displayName'], imageUrl: at['subject.imageUrl'], deleted: at['subject.deleted'] };
  const select = sql`SELECT ${selectList(fields)} FROM ${feed}
      LEFT JOIN ${expectations} ON ${eq(expectations.id, feed.expectationId)}
      LEFT JOIN ${users} ${author} ON ${eq(author.id, expectations.authorId)}
      LEFT JOIN ${users} ${assignee} ON ${eq(assignee.id, expectations.assigneeId)}
      LEFT JOIN ${users} ${subject} ON ${eq(subject.id, feed.userId)}`;

  const isExpectationEvent = sql`${feed.kind} IN (${EXPECTATION_KINDS})`;
  const isProfileEvent = sql`${feed.kind} = 'profile.updated'`;
  // A profile shows in a team's feed when its owner is a live member or appears in one of the team's expectations.
  const teamScope = sql`((${isExpectationEvent} AND ${eq(feed.organizationId, p('organizationId'))}) OR (${isProfileEvent} AND (
      EXISTS (SELECT 1 FROM ${users} ${member}
        INNER JOIN ${memberships} ON ${eq(memberships.clerkUserId, member.clerkId)}
        INNER JOIN ${organizations} ON ${eq(organizations.clerkId, memberships.clerkOrganizationId)}
        WHERE ${and(eq(member.id, feed.userId), eq(organizations.id, p('organizationId')), isNull(memberships.deletedAt))})
      OR EXISTS (SELECT 1 FROM ${expectations} ${other} WHERE ${and(eq(other.organizationId, p('organizationId')), eq(other.authorId, feed.userId))})
      OR EXISTS (SELECT 1 FROM ${expectations} ${other} WHERE ${and(eq(other.organizationId, p('organizationId')), eq(other.assigneeId, feed.userId))}))))`;
  // A personal feed: the caller's personal expectations, and the profiles of the people they share one with.
  const personalScope = sql`((${isExpectationEvent} AND ${isNull(feed.organizationId)} AND ${p('userId')} IN (${expectations.authorId}, ${expectations.assigneeId})) OR (${isProfileEvent} AND (
      ${eq(feed.userId, p('userId'))}
      OR EXISTS (SELECT 1 FROM ${expectations} ${other} WHERE ${and(isNull(other.organizationId), eq(other.authorId, p('userId')), eq(other.assigneeId, feed.userId))})
      OR EXISTS (SELECT 1 FROM ${expectations} ${other} WHERE ${and(isNull(other.organizationId), eq(other.assigneeId, p('userId')), eq(other.authorId, feed.userId))}))))`;

  const page = (where: SQL) => sql`${select} WHERE ${where} ORDER BY ${asc(feed.id)} LIMIT ${p('limit')}`;
  const inRange = and(gt(feed.id, p('afterId')), lte(feed.id, p('throughId')))!;
  const statements = {
    read: engine.compile('feed.read', page(gt(feed.id, p('afterId')))),
    replayTeam: engine.compile('feed.replay:team', page(sql`${inRange} AND ${teamScope}`)),
    replayPersonal: engine.compile('feed.replay:personal', page(sql`${inRange} AND ${personalScope}`)),
    bounds: engine.compile('feed.bounds', sql`SELECT min(${feed.id}), max(${feed.id}) FROM ${feed}`),
    // (team, null) and (null, user) rows; CAST gives both engines one column type across the UNION.
    profileAudience: engine.compile(
      'feed.profileAudience',
      sql`SELECT ${organizations.id}, CAST(NULL AS integer) FROM ${users} ${member}
            INNER JOIN ${memberships} ON ${eq(memberships.clerkUserId, member.clerkId)}
            INNER JOIN ${organizations} ON ${eq(organizations.clerkId, memberships.clerkOrganizationId)}
          WHERE ${and(eq(member.id, p('userId')), isNull(memberships.deletedAt), isNull(organizations.deletedAt))}
          UNION SELECT ${other.organizationId}, CAST(NULL AS integer) FROM ${expectations} ${other} WHERE ${eq(other.authorId, p('userId'))} AND ${other.organizationId} IS NOT NULL
          UNION SELECT ${other.organizationId}, CAST(NULL AS integer) FROM ${expectations} ${other} WHERE ${eq(other.assigneeId, p('userId'))} AND ${other.organizationId} IS NOT NULL
          UNION SELECT CAST(NULL AS integer), ${other.assigneeId} FROM ${expectations} ${other} WHERE ${and(isNull(other.organizationId), eq(other.authorId, p('userId')))} AND ${other.assigneeId} IS NOT NULL
          UNION SELECT CAST(NULL AS integer), ${other.authorId} FROM ${expectations} ${other} WHERE ${and(isNull(other.organizationId), eq(other.assigneeId, p('userId')))}`,
    ),
  };

  const idOrNull = (value: unknown) => (value === null ? null : Number(value));
  function recordOf(row: unknown[]): FeedRecord | null {
    const id = Number(row[at['event.id']]);
    const kind = row[at['event.kind']] as FeedEventKind;
    switch (kind) {
      case 'expectation.created':
      case 'expectation.updated':
        // Expectations are never deleted; a missing one would be a row of another database.
        return row[expectationStart] === null
          ? null
          : { id, kind, organizationId: idOrNull(row[at['event.organizationId']]), expectation: expectationOf(row.slice(expectationStart)) };
      case 'profile.updated':
        return row[subjectAt.id] === null ? null : { id, kind, profile: profileFromRow(row, subjectAt) };
      case 'membership.ended':
        return { id, kind, organizationId: idOrNull(row[at['event.organizationId']]), userId: idOrNull(row[at['event.userId']]) };
    }
  }
  const recordsOf = (rows: unknown[][]) => rows.map(recordOf).filter((record): record is FeedRecord => record !== null);

  return {
    async readFeedEvents(afterId, limit) {
      return recordsOf(await engine.rows(statements.read, { afterId, limit }));
    },
    async replayFeedEvents(scope: FeedScope, afterId, throughId, limit) {
      const rows =
        'organizationId' in scope
          ? await engine.rows(statements.replayTeam, { afterId, throughId, limit, organizationId: scope.organizationId })
          : await engine.rows(statements.replayPersonal, { afterId, throughId, limit, userId: scope.personalUserId });
      return recordsOf(rows);
    },
    async profileAudience(userId) {
      const rows = await engine.rows(statements.profileAudience, { userId });
      const organizationIds = new Set<number>();
      const personalUserIds = new Set<number>([userId]);
      for (const [organizationId, personalUserId] of rows) {
        if (organizationId !== null) organizationIds.add(Number(organizationId));
        if (personalUserId !== null) personalUserIds.add(Number(personalUserId));
      }
      return { organizationIds: [...organizationIds], personalUserIds: [...personalUserIds] };
    },
    async feedBounds() {
      const [row] = await engine.rows(statements.bounds);
      return { oldestId: idOrNull(row?.[0] ?? null), newestId: idOrNull(row?.[1] ?? null) };
    },
  };
}
