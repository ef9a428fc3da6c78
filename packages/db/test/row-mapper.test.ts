import { desc, eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { internalsOf, type Internals } from '../src/internals';
import { createQueries } from '../src/open';
import { selectedPositions } from '../src/queries/columns';
import { expectationsWithPeople } from '../src/queries/product-queries';
import * as postgresTables from '../src/postgres/schema/index';
import { postgresEngine } from '../src/postgres/engine';
import * as sqliteTables from '../src/sqlite/schema/index';
import { sqliteEngine } from '../src/sqlite/engine';
import { createTempDatabase, deleteMirroredUser, mirrorUser, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

/** Drizzle's row with its epoch-ms times written as the API writes them. */
const withIsoTimes = <T extends { createdAt: number; updatedAt: number }>(row: T) => ({
  ...row,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

type Row = { createdAt: number; updatedAt: number };

/**
 * The same select list, mapped by drizzle's own query builder and as the raw rows of the read
 * path's statement, mapped by hand.
 */
async function mappedAndRaw(internals: Internals) {
  if (internals.dialect === 'sqlite') {
    const tables = sqliteTables;
    const people = expectationsWithPeople(tables);
    const orm = drizzleSqlite(internals.queries.$client);
    const byDrizzle = orm
      .select(people.fields as never)
      .from(tables.expectations as never)
      .innerJoin(people.author as never, eq(people.author.id, tables.expectations.authorId))
      .leftJoin(people.assignee as never, eq(people.assignee.id, tables.expectations.assigneeId))
      .orderBy(desc(tables.expectations.id))
      .all() as Row[];
    const engine = sqliteEngine(internals.queries.$client);
    const raw = await engine.rows(engine.compile('test.select', sql`${people.select} ORDER BY ${desc(tables.expectations.id)}`));
    return { byDrizzle: byDrizzle.map(withIsoTimes), byHand: raw.map(people.fromRow) };
  }
  const tables = postgresTables;
  const people = expectationsWithPeople(tables);
  const orm = drizzlePostgres(internals.pool);
  const byDrizzle = (await orm
    .select(people.fields as never)
    .from(tables.expectations as never)
    .innerJoin(people.author as never, eq(people.author.id, tables.expectations.authorId))
    .leftJoin(people.assignee as never, eq(people.assignee.id, tables.expectations.assigneeId))
    .orderBy(desc(tables.expectations.id))) as Row[];
  const engine = postgresEngine(internals.pool);
  const raw = await engine.rows(engine.compile('test.select', sql`${people.select} ORDER BY ${desc(tables.expectations.id)}`));
  return { byDrizzle: byDrizzle.map(withIsoTimes), byHand: raw.map(people.fromRow) };
}

// The read path maps raw rows by position, for speed, straight to the API's shape (times in
// ISO-8601). This compares it with drizzle's own mapping of the very same select on rows that
// cover every case: if the two ever disagree (a column added, moved or decoded differently),
// this fails.
it('maps raw rows exactly as drizzle maps the same select', async () => {
  db = await createTempDatabase();
  const queries = createQueries(db);
  const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'Lovelace' });
  const bob = await mirrorUser(db, { firstName: null, lastName: null, username: null, imageUrl: null });
  const gone = await mirrorUser(db, { firstName: 'Gone' });
  for (const [author, assignee, dueOn] of [
    [ada.id, null, null],
    [ada.id, bob.id, '2026-01-31'],
    [bob.id, gone.id, null],
    [gone.id, ada.id, '2025-12-01'],
  ] as const) {
    await queries.createExpectation({ authorId: author, organizationId: null, assigneeId: assignee, title: `t${author}`, details: 'd', dueOn });
  }
  await deleteMirroredUser(db, gone.clerkId);

  const { byDrizzle, byHand } = await mappedAndRaw(internalsOf(db));
  expect(byDrizzle).toHaveLength(4);
  expect(byHand).toEqual(byDrizzle);
  expect((await queries.listExpectations({ scope: 'all', limit: 10 })).items).toEqual(byDrizzle);
});

it('derives each column’s position from the select list, in the order of the SQL', () => {
  for (const columns of [expectationsWithPeople(sqliteTables).fields, expectationsWithPeople(postgresTables).fields]) {
    const positions = selectedPositions(columns);
    expect(Object.keys(positions)).toEqual([
      'id', 'title', 'details', 'status', 'dueOn', 'createdAt', 'updatedAt',
      'author.id', 'author.displayName', 'author.imageUrl', 'author.deleted',
      'assignee.id', 'assignee.displayName', 'assignee.imageUrl', 'assignee.deleted',
    ]);
    expect(Object.values(positions)).toEqual([...Array(15).keys()]);
  }
});
