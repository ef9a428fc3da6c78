import { desc } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { createQueries } from '../src/open';
import { internalsOf } from '../src/internals';
import { selectedPositions } from '../src/queries/columns';
import { expectationColumns, expectationFromRow, selectExpectationsWithPeople } from '../src/sqlite/queries';
import { expectations } from '../src/sqlite/schema/index';
import { createTempDatabase, deleteMirroredUser, mirrorUser, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

// The read path maps raw rows by position, for speed. This compares it with drizzle's own
// mapping of the very same select on rows that cover every case: if the two ever disagree
// (a column added, moved or decoded differently), this fails.
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

  const select = selectExpectationsWithPeople(internalsOf(db).queries).orderBy(desc(expectations.id));
  const mappedByDrizzle = select.all();
  expect(mappedByDrizzle).toHaveLength(4);
  expect(select.values().map(expectationFromRow)).toEqual(mappedByDrizzle);
  expect((await queries.listExpectations({ limit: 10 })).items).toEqual(mappedByDrizzle);
});

it('derives each column’s position from the select list, in the order of the SQL', () => {
  const positions = selectedPositions(expectationColumns);
  expect(Object.keys(positions)).toEqual([
    'id', 'title', 'details', 'status', 'dueOn', 'createdAt', 'updatedAt',
    'author.id', 'author.displayName', 'author.imageUrl', 'author.deleted',
    'assignee.id', 'assignee.displayName', 'assignee.imageUrl', 'assignee.deleted',
  ]);
  expect(Object.values(positions)).toEqual([...Array(15).keys()]);
});
