import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../client';
import { expectations, type ExpectationStatus } from '../schema/expectations';
import { users } from '../schema/users';
import { preparedOnce } from './prepared';
import { publicProfileColumns, type PublicProfile } from './users';

/** An expectation with its author's and assignee's public profiles. Times are epoch ms. */
export interface ExpectationWithPeople {
  id: number;
  title: string;
  details: string;
  status: ExpectationStatus;
  /** Calendar date `YYYY-MM-DD`, or null. */
  dueOn: string | null;
  createdAt: number;
  updatedAt: number;
  author: PublicProfile;
  assignee: PublicProfile | null;
}

const author = alias(users, 'author');
const assignee = alias(users, 'assignee');

const expectationWithPeopleColumns = {
  id: expectations.id,
  title: expectations.title,
  details: expectations.details,
  status: expectations.status,
  dueOn: expectations.dueOn,
  createdAt: expectations.createdAt,
  updatedAt: expectations.updatedAt,
  author: publicProfileColumns(author),
  // drizzle turns this object into null when the LEFT JOIN found no assignee.
  assignee: publicProfileColumns(assignee),
};

/** One raw row of `expectationWithPeopleColumns`, in select order (author and assignee flattened). */
type RawExpectationRow = [
  number, string, string, ExpectationStatus, string | null, number, number,
  number, string, string | null, number,
  number | null, string | null, string | null, number | null,
];

function expectationFromRawRow(row: unknown[]): ExpectationWithPeople {
  const r = row as RawExpectationRow;
  return {
    id: r[0],
    title: r[1],
    details: r[2],
    status: r[3],
    dueOn: r[4],
    createdAt: r[5],
    updatedAt: r[6],
    author: { id: r[7], displayName: r[8], imageUrl: r[9], deleted: r[10] === 1 },
    assignee: r[11] === null ? null : { id: r[11], displayName: r[12]!, imageUrl: r[13], deleted: r[14] === 1 },
  };
}

/** The expectation row and both user joins: every read of expectations is one statement. */
function selectExpectationsWithPeople(db: Database) {
  return db.orm
    .select(expectationWithPeopleColumns)
    .from(expectations)
    .innerJoin(author, eq(author.id, expectations.authorId))
    .leftJoin(assignee, eq(assignee.id, expectations.assigneeId));
}

export interface ListExpectationsOptions {
  /** Only expectations with a smaller id (older), i.e. after the previous page's last row. */
  beforeId?: number;
  limit: number;
  authorId?: number;
  assigneeId?: number;
  status?: ExpectationStatus;
}

export interface ExpectationPage {
  items: ExpectationWithPeople[];
  /** Pass as `beforeId` to get the next page; null when this was the last one. */
  nextBeforeId: number | null;
}

/**
 * A page of expectations, newest first, with both user joins, in ONE SQL statement.
 *
 * Keyset paging on the id (rowid order = insertion order): a deep page costs what the first does,
 * and rows inserted between two page requests never shift later pages. Each combination of
 * filters gets its own prepared statement, because `(? IS NULL OR col = ?)` would keep SQLite
 * from using the `(filter, id)` indexes.
 */
export async function listExpectations(db: Database, options: ListExpectationsOptions): Promise<ExpectationPage> {
  const has = {
    beforeId: options.beforeId !== undefined,
    authorId: options.authorId !== undefined,
    assigneeId: options.assigneeId !== undefined,
    status: options.status !== undefined,
  };
  // One statement per combination of filters; the key is cheap because this runs on every page.
  const key = `expectations.list:${+has.beforeId}${+has.authorId}${+has.assigneeId}${+has.status}`;

  const statement = preparedOnce(db, key, () => {
    const conditions: SQL[] = [];
    if (has.beforeId) conditions.push(lt(expectations.id, sql.placeholder('beforeId')));
    if (has.authorId) conditions.push(eq(expectations.authorId, sql.placeholder('authorId')));
    if (has.assigneeId) conditions.push(eq(expectations.assigneeId, sql.placeholder('assigneeId')));
    if (has.status) conditions.push(eq(expectations.status, sql.placeholder('status')));
    return selectExpectationsWithPeople(db)
      .where(and(...conditions))
      .orderBy(desc(expectations.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  });

  // One row more than asked tells whether another page exists without a COUNT. Raw rows and a
  // hand-written mapper: drizzle's generic row mapping cost as much CPU as the query itself.
  const rows = statement.values({
    beforeId: options.beforeId,
    authorId: options.authorId,
    assigneeId: options.assigneeId,
    status: options.status,
    limit: options.limit + 1,
  });
  const items = rows.slice(0, options.limit).map(expectationFromRawRow);
  const last = items.at(-1);
  return { items, nextBeforeId: rows.length > options.limit && last ? last.id : null };
}

export async function findExpectationById(db: Database, id: number): Promise<ExpectationWithPeople | undefined> {
  const statement = preparedOnce(db, 'expectations.byId', () =>
    selectExpectationsWithPeople(db)
      .where(eq(expectations.id, sql.placeholder('id')))
      .prepare(),
  );
  return statement.get({ id });
}

export interface NewExpectation {
  authorId: number;
  assigneeId: number | null;
  title: string;
  details: string;
  dueOn: string | null;
  /** Epoch ms; defaults to now. */
  now?: number;
}

export type CreateExpectationResult =
  | { created: true; id: number }
  /** The assignee is not in the mirror, or was deleted. */
  | { created: false; reason: 'assignee_unavailable' };

/**
 * Inserts an expectation. The assignee check and the insert share one transaction, so a user
 * deleted in between cannot end up assigned.
 */
// async only at the boundary: better-sqlite3 rolls back synchronous transactions, not async ones.
export async function createExpectation(db: Database, input: NewExpectation): Promise<CreateExpectationResult> {
  const now = input.now ?? Date.now();
  return db.orm.transaction(
    (tx): CreateExpectationResult => {
      if (input.assigneeId !== null) {
        const target = tx
          .select({ deletedAt: users.deletedAt })
          .from(users)
          .where(eq(users.id, input.assigneeId))
          .get();
        if (!target || target.deletedAt !== null) return { created: false, reason: 'assignee_unavailable' };
      }
      const inserted = tx
        .insert(expectations)
        .values({
          authorId: input.authorId,
          assigneeId: input.assigneeId,
          title: input.title,
          details: input.details,
          dueOn: input.dueOn,
          status: 'open',
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: expectations.id })
        .get();
      return { created: true, id: inserted.id };
    },
    { behavior: 'immediate' },
  );
}

export interface SetExpectationStatusInput {
  id: number;
  /** Mirror id of the user asking; only the author may change the status. */
  actorId: number;
  status: ExpectationStatus;
  /** Epoch ms; defaults to now. */
  now?: number;
}

/** `unchanged`: the expectation already had that status, so `updatedAt` was left alone. */
export type SetExpectationStatusResult = 'updated' | 'unchanged' | 'not_found' | 'not_author';

export async function setExpectationStatus(
  db: Database,
  input: SetExpectationStatusInput,
): Promise<SetExpectationStatusResult> {
  const now = input.now ?? Date.now();
  return db.orm.transaction(
    (tx): SetExpectationStatusResult => {
      const row = tx
        .select({ authorId: expectations.authorId, status: expectations.status })
        .from(expectations)
        .where(eq(expectations.id, input.id))
        .get();
      if (!row) return 'not_found';
      if (row.authorId !== input.actorId) return 'not_author';
      if (row.status === input.status) return 'unchanged';
      tx.update(expectations)
        .set({ status: input.status, updatedAt: now })
        .where(eq(expectations.id, input.id))
        .run();
      return 'updated';
    },
    { behavior: 'immediate' },
  );
}
