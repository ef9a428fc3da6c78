import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { expectationRowMapper, expectationWithPeopleColumns, publicProfileColumns, deletedFlagSql } from '../queries/columns';
import { newExpectationRow, pageOf, statusChange, userListCall, userPageOf, userSearchSql } from '../queries/rules';
import type { CreateExpectationResult, Queries, SetExpectationStatusResult } from '../queries/types';
import type { SqliteInternals } from '../internals';
import { preparedOnce } from './prepared';
import { expectations, users } from './schema/index';

const author = alias(users, 'author');
const assignee = alias(users, 'assignee');
export const expectationColumns = expectationWithPeopleColumns(expectations, author, assignee);
export const expectationFromRow = expectationRowMapper(expectationColumns);

/** The expectation row and both user joins: every read of expectations is one statement. */
export function selectExpectationsWithPeople(orm: SqliteInternals['queries']) {
  return orm
    .select(expectationColumns)
    .from(expectations)
    .innerJoin(author, eq(author.id, expectations.authorId))
    .leftJoin(assignee, eq(assignee.id, expectations.assigneeId));
}

/** The product's queries on SQLite, all on the query connection (which cannot write `users`). */
export function sqliteQueries({ queries: orm }: SqliteInternals): Queries {
  const connection = orm.$client;

  return {
    async listExpectations(options) {
      const has = {
        beforeId: options.beforeId !== undefined,
        authorId: options.authorId !== undefined,
        assigneeId: options.assigneeId !== undefined,
        status: options.status !== undefined,
      };
      // One statement per combination of filters, because `(? IS NULL OR col = ?)` would keep
      // SQLite from using the `(filter, id)` indexes. The key is cheap: this runs on every page.
      const key = `expectations.list:${+has.beforeId}${+has.authorId}${+has.assigneeId}${+has.status}`;
      const statement = preparedOnce(connection, key, () => {
        const conditions: SQL[] = [];
        if (has.beforeId) conditions.push(lt(expectations.id, sql.placeholder('beforeId')));
        if (has.authorId) conditions.push(eq(expectations.authorId, sql.placeholder('authorId')));
        if (has.assigneeId) conditions.push(eq(expectations.assigneeId, sql.placeholder('assigneeId')));
        if (has.status) conditions.push(eq(expectations.status, sql.placeholder('status')));
        return selectExpectationsWithPeople(orm)
          .where(and(...conditions))
          .orderBy(desc(expectations.id))
          .limit(sql.placeholder('limit'))
          .prepare();
      });
      // One row more than asked tells whether another page exists without a COUNT.
      const rows = statement.values({
        beforeId: options.beforeId,
        authorId: options.authorId,
        assigneeId: options.assigneeId,
        status: options.status,
        limit: options.limit + 1,
      });
      const page = pageOf(rows, options.limit);
      const items = page.items.map(expectationFromRow);
      return { items, nextBeforeId: page.more ? items.at(-1)!.id : null };
    },

    async findExpectationById(id) {
      const statement = preparedOnce(connection, 'expectations.byId', () =>
        selectExpectationsWithPeople(orm)
          .where(eq(expectations.id, sql.placeholder('id')))
          .prepare(),
      );
      const [row] = statement.values({ id });
      return row ? expectationFromRow(row) : undefined;
    },

    // async only at the boundary: better-sqlite3 rolls back synchronous transactions, not async ones.
    async createExpectation(input) {
      return orm.transaction(
        (tx): CreateExpectationResult => {
          if (input.assigneeId !== null) {
            const target = tx.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, input.assigneeId)).get();
            if (!target || target.deletedAt !== null) return { created: false, reason: 'assignee_unavailable' };
          }
          const inserted = tx.insert(expectations).values(newExpectationRow(input)).returning({ id: expectations.id }).get();
          return { created: true, id: inserted.id };
        },
        { behavior: 'immediate' },
      );
    },

    async setExpectationStatus(input) {
      const now = input.now ?? Date.now();
      return orm.transaction(
        (tx): SetExpectationStatusResult => {
          const row = tx
            .select({ authorId: expectations.authorId, status: expectations.status })
            .from(expectations)
            .where(eq(expectations.id, input.id))
            .get();
          const change = statusChange(row, input);
          if (change !== 'update') return change;
          tx.update(expectations).set({ status: input.status, updatedAt: now }).where(eq(expectations.id, input.id)).run();
          return 'updated';
        },
        { behavior: 'immediate' },
      );
    },

    async findPublicProfileById(id) {
      const statement = preparedOnce(connection, 'users.publicProfileById', () =>
        orm
          .select(publicProfileColumns(users))
          .from(users)
          .where(eq(users.id, sql.placeholder('id')))
          .prepare(),
      );
      return statement.get({ id });
    },

    async findMirrorStatusByClerkId(clerkId) {
      const statement = preparedOnce(connection, 'users.mirrorStatusByClerkId', () =>
        orm
          .select({ id: users.id, deleted: deletedFlagSql(users) })
          .from(users)
          .where(eq(users.clerkId, sql.placeholder('clerkId')))
          .prepare(),
      );
      return statement.get({ clerkId });
    },

    // Walks users_list_idx in order: without a search, a page costs the same for ten users or 100,000.
    async listUsers(options) {
      const call = userListCall(options);
      const statement = preparedOnce(connection, `users.list:${call.form}`, () => {
        // SQLite's LIKE is case-insensitive for ASCII letters.
        const conditions: SQL[] = [isNull(users.deletedAt)];
        if (call.search) conditions.push(userSearchSql(users, 'LIKE'));
        if (call.after) {
          conditions.push(sql`(${users.sortName}, ${users.id}) > (${sql.placeholder('afterKey')}, ${sql.placeholder('afterId')})`);
        }
        return orm
          .select({ ...publicProfileColumns(users), sortKey: users.sortName })
          .from(users)
          .where(and(...conditions))
          .orderBy(users.sortName, users.id)
          .limit(sql.placeholder('limit'))
          .prepare();
      });
      return userPageOf(statement.all(call.values), options.limit);
    },
  };
}
