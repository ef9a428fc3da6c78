import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { deletedFlagSql, expectationRowMapper, expectationWithPeopleColumns, publicProfileColumns } from '../queries/columns';
import { newExpectationRow, pageOf, statusChange, userListCall, userPageOf, userSearchSql } from '../queries/rules';
import type { CreateExpectationResult, ListExpectationsOptions, Queries, SetExpectationStatusResult } from '../queries/types';
import type { PostgresInternals, PostgresOrm } from '../internals';
import { expectations, users } from './schema/index';
import { preparedRows, type PreparedRows } from './statement';

const author = alias(users, 'author');
const assignee = alias(users, 'assignee');
export const expectationColumns = expectationWithPeopleColumns(expectations, author, assignee);
export const expectationFromRow = expectationRowMapper(expectationColumns);

/** The expectation row and both user joins: every read of expectations is one statement. */
export function selectExpectationsWithPeople(orm: PostgresOrm) {
  return orm
    .select(expectationColumns)
    .from(expectations)
    .innerJoin(author, eq(author.id, expectations.authorId))
    .leftJoin(assignee, eq(assignee.id, expectations.assigneeId));
}

type ListFilters = Record<'beforeId' | 'authorId' | 'assigneeId' | 'status', boolean>;

/**
 * The statement of one combination of `expectations.list` filters. One statement per
 * combination, because `($1 IS NULL OR col = $1)` would keep the planner from the `(filter, id)`
 * indexes. Exported for the benchmarks' floor, which runs this very statement.
 */
export function listExpectationsStatement(orm: PostgresOrm, has: ListFilters): PreparedRows {
  const conditions: SQL[] = [];
  if (has.beforeId) conditions.push(lt(expectations.id, sql.placeholder('beforeId')));
  if (has.authorId) conditions.push(eq(expectations.authorId, sql.placeholder('authorId')));
  if (has.assigneeId) conditions.push(eq(expectations.assigneeId, sql.placeholder('assigneeId')));
  if (has.status) conditions.push(eq(expectations.status, sql.placeholder('status')));
  const name = `expectations.list:${+has.beforeId}${+has.authorId}${+has.assigneeId}${+has.status}`;
  return preparedRows(
    orm.$client,
    name,
    selectExpectationsWithPeople(orm).where(and(...conditions)).orderBy(desc(expectations.id)).limit(sql.placeholder('limit')),
  );
}

export function listFiltersOf(options: ListExpectationsOptions): ListFilters {
  return {
    beforeId: options.beforeId !== undefined,
    authorId: options.authorId !== undefined,
    assigneeId: options.assigneeId !== undefined,
    status: options.status !== undefined,
  };
}

/** The product's queries on PostgreSQL. None of them sets the writer's flag, so none can write `users`. */
export function postgresQueries({ orm }: PostgresInternals): Queries {
  const listStatements = new Map<string, PreparedRows>();
  const byId = preparedRows(orm.$client, 'expectations.byId', selectExpectationsWithPeople(orm).where(eq(expectations.id, sql.placeholder('id'))));
  const publicProfileById = orm
    .select(publicProfileColumns(users))
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare('users.publicProfileById');
  const mirrorStatusByClerkId = orm
    .select({ id: users.id, deleted: deletedFlagSql(users) })
    .from(users)
    .where(eq(users.clerkId, sql.placeholder('clerkId')))
    .prepare('users.mirrorStatusByClerkId');
  const userLists = new Map<string, ReturnType<typeof listUsersStatement>>();

  return {
    async listExpectations(options) {
      const has = listFiltersOf(options);
      const key = `${+has.beforeId}${+has.authorId}${+has.assigneeId}${+has.status}`;
      let statement = listStatements.get(key);
      if (!statement) listStatements.set(key, (statement = listExpectationsStatement(orm, has)));
      // One row more than asked tells whether another page exists without a COUNT.
      const rows = await statement.rows({ ...options, limit: options.limit + 1 });
      const page = pageOf(rows, options.limit);
      const items = page.items.map(expectationFromRow);
      return { items, nextBeforeId: page.more ? items.at(-1)!.id : null };
    },

    async findExpectationById(id) {
      const [row] = await byId.rows({ id });
      return row ? expectationFromRow(row) : undefined;
    },

    async createExpectation(input) {
      return orm.transaction(async (tx): Promise<CreateExpectationResult> => {
        if (input.assigneeId !== null) {
          // FOR SHARE: a deletion of the assignee waits for this insert, or this sees it.
          const [target] = await tx.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, input.assigneeId)).for('share');
          if (!target || target.deletedAt !== null) return { created: false, reason: 'assignee_unavailable' };
        }
        const [inserted] = await tx.insert(expectations).values(newExpectationRow(input)).returning({ id: expectations.id });
        return { created: true, id: inserted!.id };
      });
    },

    async setExpectationStatus(input) {
      const now = input.now ?? Date.now();
      return orm.transaction(async (tx): Promise<SetExpectationStatusResult> => {
        const [row] = await tx
          .select({ authorId: expectations.authorId, status: expectations.status })
          .from(expectations)
          .where(eq(expectations.id, input.id))
          .for('update');
        const change = statusChange(row, input);
        if (change !== 'update') return change;
        await tx.update(expectations).set({ status: input.status, updatedAt: now }).where(eq(expectations.id, input.id));
        return 'updated';
      });
    },

    async findPublicProfileById(id) {
      const [profile] = await publicProfileById.execute({ id });
      return profile;
    },

    async findMirrorStatusByClerkId(clerkId) {
      const [status] = await mirrorStatusByClerkId.execute({ clerkId });
      return status;
    },

    async listUsers(options) {
      const call = userListCall(options);
      let statement = userLists.get(call.form);
      if (!statement) userLists.set(call.form, (statement = listUsersStatement(orm, call)));
      return userPageOf(await statement.execute(call.values), options.limit);
    },
  };
}

/**
 * Users who are not deleted, in display-name order, walking users_list_idx: COLLATE "C" (code
 * point order, as SQLite compares) is the index's collation, so the order and the cursor's
 * comparison can use it. ILIKE is the case-insensitive LIKE of SQLite.
 */
function listUsersStatement(orm: PostgresOrm, { form, search, after }: ReturnType<typeof userListCall>) {
  const sortKey = sql<string>`${users.sortName} COLLATE "C"`;
  const conditions: SQL[] = [isNull(users.deletedAt)];
  if (search) conditions.push(userSearchSql(users, 'ILIKE'));
  if (after) conditions.push(sql`(${sortKey}, ${users.id}) > (${sql.placeholder('afterKey')}, ${sql.placeholder('afterId')})`);
  return orm
    .select({ ...publicProfileColumns(users), sortKey })
    .from(users)
    .where(and(...conditions))
    .orderBy(sortKey, users.id)
    .limit(sql.placeholder('limit'))
    .prepare(`users.list:${form}`);
}
