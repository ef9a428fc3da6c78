import { desc } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { internalsOf, type Internals } from '../src/internals';
import { createQueries } from '../src/open';
import * as postgres from '../src/postgres/queries';
import { expectations as postgresExpectations } from '../src/postgres/schema/index';
import { selectedPositions } from '../src/queries/columns';
import * as sqlite from '../src/sqlite/queries';
import { expectations as sqliteExpectations } from '../src/sqlite/schema/index';
import { createTempDatabase, deleteMirroredUser, mirrorUser, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

/** Drizzle's row with its epoch-ms times written as the API writes them. */
const withIsoTimes = <T extends { createdAt: number; updatedAt: number }>(row: T) => ({
  ...row,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

/** The same select, mapped by drizzle and as the raw rows the read path maps itself. */
async function mappedAndRaw(internals: Internals) {
  if (internals.dialect === 'sqlite') {
    const select = sqlite.selectExpectationsWithPeople(internals.queries).orderBy(desc(sqliteExpectations.id));
    return { byDrizzle: select.all().map(withIsoTimes), byHand: select.values().map(sqlite.expectationFromRow) };
  }
  const select = postgres.selectExpectationsWithPeople(internals.orm).orderBy(desc(postgresExpectations.id));
  const { sql: text, params } = select.toSQL();
  const raw = await internals.pool.query<unknown[]>({ text, values: params, rowMode: 'array' });
  return { byDrizzle: (await select).map(withIsoTimes), byHand: raw.rows.map(postgres.expectationFromRow) };
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
    await queries.createExpectation({ authorId: author, assigneeId: assignee, title: `t${author}`, details: 'd', dueOn });
  }
  await deleteMirroredUser(db, gone.clerkId);

  const { byDrizzle, byHand } = await mappedAndRaw(internalsOf(db));
  expect(byDrizzle).toHaveLength(4);
  expect(byHand).toEqual(byDrizzle);
  expect((await queries.listExpectations({ limit: 10 })).items).toEqual(byDrizzle);
});

it('derives each column’s position from the select list, in the order of the SQL', () => {
  for (const columns of [sqlite.expectationColumns, postgres.expectationColumns]) {
    const positions = selectedPositions(columns);
    expect(Object.keys(positions)).toEqual([
      'id', 'title', 'details', 'status', 'dueOn', 'createdAt', 'updatedAt',
      'author.id', 'author.displayName', 'author.imageUrl', 'author.deleted',
      'assignee.id', 'assignee.displayName', 'assignee.imageUrl', 'assignee.deleted',
    ]);
    expect(Object.values(positions)).toEqual([...Array(15).keys()]);
  }
});
