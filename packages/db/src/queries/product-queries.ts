import { aliasedTable, and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { ORGANIZATION_ADMIN_ROLE, type ExpectationStatus } from '../constants';
import type { Tables } from '../schema/tables';
import {
  deletedFlagSql,
  expectationRowMapper,
  expectationWithPeopleColumns,
  profileFromRow,
  publicProfileColumns,
  selectedPositions,
} from './columns';
import { appendFeedEvent, feedAppendStatements } from '../feed/append';
import { run, type QueryEngine, type TransactionBody } from './engine';
import { newExpectationRow, pageOf, statusChange, userListCall, userPageOf, userSearchSql } from './rules';
import { assignments, columnsOf, insertInto, p, selectList, where } from './sql-build';
import type {
  CreateExpectationResult,
  ExpectationScope,
  ListExpectationsOptions,
  Queries,
  SetExpectationStatusResult,
  TeamMembershipState,
} from './types';

// Every query of the product, once, for both engines: SQL built with drizzle's `sql` tag from the
// engine's tables, run through the engine's statement API (src/sqlite/engine.ts,
// src/postgres/engine.ts). Reads are prepared once per connection and their rows mapped by hand.

/** The expectation row with both user joins: every read of expectations is one statement. */
export function expectationsWithPeople({ users, expectations }: Tables) {
  const author = aliasedTable(users, 'author');
  const assignee = aliasedTable(users, 'assignee');
  const fields = expectationWithPeopleColumns(expectations, author, assignee);
  const from = sql`${expectations} INNER JOIN ${users} ${author} ON ${author.id} = ${expectations.authorId}
    LEFT JOIN ${users} ${assignee} ON ${assignee.id} = ${expectations.assigneeId}`;
  return { author, assignee, fields, from, select: sql`SELECT ${selectList(fields)} FROM ${from}`, fromRow: expectationRowMapper(fields) };
}

/** The columns newExpectationRow() fills, by the key of its value. */
const newExpectationColumns = ['authorId', 'assigneeId', 'organizationId', 'title', 'details', 'status', 'dueOn', 'createdAt', 'updatedAt'] as const;

type ScopeKind = 'team' | 'personal' | 'all';

function scopeKindOf(scope: ExpectationScope): ScopeKind {
  if (scope === 'all') return 'all';
  return scope.clerkOrganizationId === null ? 'personal' : 'team';
}

/** The values scopeSql()'s placeholders take. */
function scopeValues(scope: ExpectationScope) {
  return scope === 'all' ? {} : { scopeUser: scope.clerkUserId, scopeOrganization: scope.clerkOrganizationId };
}

/**
 * The condition that keeps a read of expectations inside its scope, checked by the read's own
 * statement: each subquery is uncorrelated, so both engines run it once, by unique indexes, and
 * then walk the expectations' `(organization_id, …, id)` indexes with its answer. A membership,
 * team or caller that is not live makes it NULL, and the read finds nothing.
 */
function scopeSql({ users, expectations, organizations, organizationMemberships: memberships }: Tables, kind: ScopeKind): SQL | undefined {
  if (kind === 'all') return undefined;
  if (kind === 'personal') {
    const caller = sql`(SELECT ${users.id} FROM ${users} WHERE ${and(eq(users.clerkId, p('scopeUser')), isNull(users.deletedAt))})`;
    return sql`${isNull(expectations.organizationId)} AND ${caller} IN (${expectations.authorId}, ${expectations.assigneeId})`;
  }
  const team = sql`(SELECT ${organizations.id} FROM ${organizations}
      INNER JOIN ${memberships} ON ${memberships.clerkOrganizationId} = ${organizations.clerkId}
      INNER JOIN ${users} ON ${users.clerkId} = ${memberships.clerkUserId}
    WHERE ${and(
      eq(organizations.clerkId, p('scopeOrganization')),
      eq(memberships.clerkUserId, p('scopeUser')),
      isNull(organizations.deletedAt),
      isNull(memberships.deletedAt),
      isNull(users.deletedAt),
    )})`;
  return sql`${expectations.organizationId} = ${team}`;
}

export type ListFilters = Record<'beforeId' | 'authorId' | 'assigneeId' | 'status', boolean> & { scope: ScopeKind };

export function listFiltersOf(options: ListExpectationsOptions): ListFilters {
  return {
    scope: scopeKindOf(options.scope),
    beforeId: options.beforeId !== undefined,
    authorId: options.authorId !== undefined,
    assigneeId: options.assigneeId !== undefined,
    status: options.status !== undefined,
  };
}

/**
 * The statement of one combination of expectations.list's filters. One statement per
 * combination, because `(? IS NULL OR col = ?)` would keep either engine from the
 * `(filter, id)` indexes.
 */
function listExpectationsSql(tables: Tables, select: SQL, has: ListFilters): SQL {
  const { expectations } = tables;
  const inScope = scopeSql(tables, has.scope);
  const conditions: SQL[] = inScope ? [inScope] : [];
  if (has.beforeId) conditions.push(lt(expectations.id, p('beforeId')));
  if (has.authorId) conditions.push(eq(expectations.authorId, p('authorId')));
  if (has.assigneeId) conditions.push(eq(expectations.assigneeId, p('assigneeId')));
  if (has.status) conditions.push(eq(expectations.status, p('status')));
  return sql`${select}${where(conditions)} ORDER BY ${desc(expectations.id)} LIMIT ${p('limit')}`;
}

/**
 * users.list: users who are not deleted, in sort_name order, walking users_list_idx, whose
 * collation (code-point order) the order and the cursor's comparison use too.
 */
function listUsersSql(engine: QueryEngine, call: ReturnType<typeof userListCall>): SQL {
  const { users } = engine.tables;
  const sortKey = engine.kit.byteOrder(users.sortName);
  const conditions: SQL[] = [isNull(users.deletedAt)];
  if (call.team) {
    const { organizationMemberships: memberships } = engine.tables;
    conditions.push(sql`EXISTS (SELECT 1 FROM ${memberships} WHERE ${and(
      eq(memberships.clerkOrganizationId, p('clerkOrganizationId')),
      eq(memberships.clerkUserId, users.clerkId),
      isNull(memberships.deletedAt),
    )})`);
  }
  if (call.search) conditions.push(userSearchSql(users, engine.caseInsensitiveLike));
  if (call.after) conditions.push(sql`(${sortKey}, ${users.id}) > (${p('afterKey')}, ${p('afterId')})`);
  return sql`SELECT ${selectList(publicProfileColumns(users))}, ${sortKey} FROM ${users}${where(conditions)}
    ORDER BY ${sortKey}, ${users.id} LIMIT ${p('limit')}`;
}

/**
 * The product's queries on `engine`. None of them can write `users`: see the writer guard,
 * migrations/<engine>/0001. Each expectation write appends its `feed_events` row in its own
 * transaction; `feedEventsAppended` is told after such a transaction committed.
 */
export function productQueries(engine: QueryEngine, feedEventsAppended: () => void = () => {}): Queries {
  const { users, expectations, organizations, organizationMemberships: memberships } = engine.tables;
  const withPeople = expectationsWithPeople(engine.tables);
  const profileAt = selectedPositions(publicProfileColumns(users));
  const sortKeyAt = Object.keys(profileAt).length;

  const byIdStatements = {
    team: engine.compile('expectations.byId:team', sql`${withPeople.select} WHERE ${eq(expectations.id, p('id'))} AND ${scopeSql(engine.tables, 'team')}`),
    personal: engine.compile('expectations.byId:personal', sql`${withPeople.select} WHERE ${eq(expectations.id, p('id'))} AND ${scopeSql(engine.tables, 'personal')}`),
    all: engine.compile('expectations.byId:all', sql`${withPeople.select} WHERE ${eq(expectations.id, p('id'))}`),
  };
  const feed = feedAppendStatements(engine);
  const listStatements = new Map<string, ReturnType<QueryEngine['compile']>>();
  const userListStatements = new Map<string, ReturnType<QueryEngine['compile']>>();
  const statements = {
    publicProfileById: engine.compile(
      'users.publicProfileById',
      sql`SELECT ${selectList(publicProfileColumns(users))} FROM ${users} WHERE ${eq(users.id, p('id'))}`,
    ),
    mirrorStatusByClerkId: engine.compile(
      'users.mirrorStatusByClerkId',
      sql`SELECT ${users.id}, ${deletedFlagSql(users)} FROM ${users} WHERE ${eq(users.clerkId, p('clerkId'))}`,
    ),
    // The caller's row by its Clerk id, and their membership of the team and the team by their
    // unique indexes: one statement, whatever the number of teams.
    viewerInTeam: engine.compile(
      'users.viewerInTeam',
      sql`SELECT ${users.id}, ${deletedFlagSql(users)}, ${memberships.id}, ${deletedFlagSql(memberships)}, ${memberships.role},
            ${organizations.id}, ${deletedFlagSql(organizations)}
          FROM ${users}
            LEFT JOIN ${memberships} ON ${memberships.clerkUserId} = ${users.clerkId} AND ${eq(memberships.clerkOrganizationId, p('clerkOrganizationId'))}
            LEFT JOIN ${organizations} ON ${eq(organizations.clerkId, p('clerkOrganizationId'))}
          WHERE ${eq(users.clerkId, p('clerkUserId'))}`,
    ),
    assigneeLock:
      engine.mirrorUserLock &&
      engine.compile('expectations.create.assigneeLock', sql`SELECT ${engine.mirrorUserLock(users.clerkId)} FROM ${users} WHERE ${eq(users.id, p('id'))}`),
    assigneeDeletedAt: engine.compile('expectations.create.assignee', sql`SELECT ${users.deletedAt} FROM ${users} WHERE ${eq(users.id, p('id'))}`),
    // The assignee's row, and whether they are a live member of the team: a NULL membership id when not.
    assigneeInTeam: engine.compile(
      'expectations.create.assigneeInTeam',
      sql`SELECT ${users.deletedAt}, ${memberships.id} FROM ${users}
            LEFT JOIN ${organizations} ON ${eq(organizations.id, p('organizationId'))}
            LEFT JOIN ${memberships} ON ${memberships.clerkOrganizationId} = ${organizations.clerkId}
              AND ${memberships.clerkUserId} = ${users.clerkId} AND ${isNull(memberships.deletedAt)}
          WHERE ${eq(users.id, p('id'))}`,
    ),
    insertExpectation: engine.compile(
      'expectations.create.insert',
      sql`${insertInto(expectations, columnsOf(expectations, newExpectationColumns))} RETURNING ${sql.identifier(expectations.id.name)}`,
    ),
    expectationAuthorAndStatus: engine.compile(
      'expectations.setStatus.read',
      sql`SELECT ${expectations.authorId}, ${expectations.assigneeId}, ${expectations.organizationId}, ${expectations.status} FROM ${expectations} WHERE ${eq(expectations.id, p('id'))}${engine.lockForUpdate}`,
    ),
    updateExpectationStatus: engine.compile(
      'expectations.setStatus.update',
      sql`UPDATE ${expectations} SET ${assignments({ status: expectations.status, updatedAt: expectations.updatedAt })} WHERE ${eq(expectations.id, p('id'))}`,
    ),
  };

  return {
    async listExpectations(options) {
      const has = listFiltersOf(options);
      // The key is cheap on purpose: this runs on every page.
      const name = `expectations.list:${has.scope}:${+has.beforeId}${+has.authorId}${+has.assigneeId}${+has.status}`;
      let statement = listStatements.get(name);
      if (!statement) listStatements.set(name, (statement = engine.compile(name, listExpectationsSql(engine.tables, withPeople.select, has))));
      // One row more than asked tells whether another page exists without a COUNT.
      const rows = await engine.rows(statement, {
        ...scopeValues(options.scope),
        beforeId: options.beforeId,
        authorId: options.authorId,
        assigneeId: options.assigneeId,
        status: options.status,
        limit: options.limit + 1,
      });
      const page = pageOf(rows, options.limit);
      const items = page.items.map(withPeople.fromRow);
      return { items, nextBeforeId: page.more ? items.at(-1)!.id : null };
    },

    async findExpectationById(id, scope) {
      const [row] = await engine.rows(byIdStatements[scopeKindOf(scope)], { id, ...scopeValues(scope) });
      return row ? withPeople.fromRow(row) : undefined;
    },

    async createExpectation(input) {
      const row = newExpectationRow(input);
      const result = await engine.transaction(function* (): TransactionBody<CreateExpectationResult> {
        if (input.assigneeId !== null) {
          // A deletion of the assignee waits for this insert, or this waits for it and then sees it
          // (on PostgreSQL the read after the lock takes a fresh snapshot: READ COMMITTED).
          if (statements.assigneeLock) yield* run(statements.assigneeLock, { id: input.assigneeId });
          const [target] =
            input.organizationId === null
              ? yield* run(statements.assigneeDeletedAt, { id: input.assigneeId })
              : yield* run(statements.assigneeInTeam, { id: input.assigneeId, organizationId: input.organizationId });
          if (!target || target[0] !== null) return { created: false, reason: 'assignee_unavailable' };
          if (input.organizationId !== null && target[1] === null) return { created: false, reason: 'assignee_not_member' };
        }
        const [inserted] = yield* run(statements.insertExpectation, row);
        const id = Number(inserted![0]);
        yield* appendFeedEvent(feed, { kind: 'expectation.created', organizationId: input.organizationId, expectationId: id, userId: null, createdAt: row.createdAt });
        return { created: true, id };
      });
      if (result.created) feedEventsAppended();
      return result;
    },

    async setExpectationStatus(input) {
      const now = input.now ?? Date.now();
      const result = await engine.transaction(function* (): TransactionBody<SetExpectationStatusResult> {
        const [row] = yield* run(statements.expectationAuthorAndStatus, { id: input.id });
        const change = statusChange(
          row && {
            authorId: Number(row[0]),
            assigneeId: row[1] === null ? null : Number(row[1]),
            organizationId: row[2] === null ? null : Number(row[2]),
            status: row[3] as ExpectationStatus,
          },
          input,
        );
        if (change !== 'update') return change;
        yield* run(statements.updateExpectationStatus, { id: input.id, status: input.status, updatedAt: now });
        yield* appendFeedEvent(feed, { kind: 'expectation.updated', organizationId: input.organizationId, expectationId: input.id, userId: null, createdAt: now });
        return 'updated';
      });
      if (result === 'updated') feedEventsAppended();
      return result;
    },

    async findPublicProfileById(id) {
      const [row] = await engine.rows(statements.publicProfileById, { id });
      return row ? profileFromRow(row, profileAt) : undefined;
    },

    async findViewer(clerkUserId, clerkOrganizationId) {
      if (clerkOrganizationId === null) {
        const [row] = await engine.rows(statements.mirrorStatusByClerkId, { clerkId: clerkUserId });
        return row ? { id: Number(row[0]), deleted: Number(row[1]) === 1, team: null } : undefined;
      }
      const [row] = await engine.rows(statements.viewerInTeam, { clerkUserId, clerkOrganizationId });
      return row ? { id: Number(row[0]), deleted: Number(row[1]) === 1, team: teamMembershipOf(row) } : undefined;
    },

    // Walks users_list_idx in order: without a search, a page costs the same for ten users or 100,000.
    async listUsers(options) {
      const call = userListCall(options);
      const name = `users.list:${call.form}`;
      let statement = userListStatements.get(name);
      if (!statement) userListStatements.set(name, (statement = engine.compile(name, listUsersSql(engine, call))));
      const rows = await engine.rows(statement, call.values);
      return userPageOf(
        rows.map((row) => ({
          id: row[profileAt.id] as number,
          displayName: row[profileAt.displayName] as string,
          imageUrl: row[profileAt.imageUrl] as string | null,
          deleted: Number(row[profileAt.deleted]) === 1,
          sortKey: row[sortKeyAt] as string,
        })),
        options.limit,
      );
    },
  };
}

/** The team part of a viewerInTeam row: membership id, deleted, role, organization id, deleted. */
function teamMembershipOf(row: unknown[]): TeamMembershipState {
  const [, , membershipId, membershipDeleted, role, organizationId, organizationDeleted] = row;
  // A deletion is final, so it outranks a part that has not arrived yet.
  if (Number(membershipDeleted) === 1 || Number(organizationDeleted) === 1) return { state: 'ended' };
  if (membershipId === null || organizationId === null) return { state: 'not_mirrored' };
  return { state: 'member', organizationId: Number(organizationId), isAdmin: role === ORGANIZATION_ADMIN_ROLE };
}
