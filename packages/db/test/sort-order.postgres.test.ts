import { afterEach, expect, it } from 'vitest';
import { createQueries, type Queries, type UserListPosition } from '@expectations/db';
import { createTempDatabase, mirrorUser, type TempDatabase } from '@expectations/db/testing';

// users.list must list people in the same order whichever engine the API runs on. This runs in
// the PostgreSQL project (it needs the run's server) and opens a SQLite file beside it.

const opened: TempDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

const names = ['Zoë', 'émile', 'Bob', 'ßen', 'Émile', 'Zoe', 'adam', 'Ådne', 'zoe'];

/** Every page of users.list, two names a page, so that the cursor's comparison is used too. */
async function listedNames(queries: Queries): Promise<string[]> {
  const listed: string[] = [];
  let after: UserListPosition | undefined;
  do {
    const page = await queries.listUsers({ limit: 2, after });
    listed.push(...page.items.map((profile) => profile.displayName));
    after = page.next ?? undefined;
  } while (after);
  return listed;
}

it('lists non-ASCII names in the same order on SQLite and PostgreSQL', async () => {
  const orders: string[][] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const db = await createTempDatabase({ dialect });
    opened.push(db);
    for (const name of names) await mirrorUser(db, { firstName: name, lastName: null });
    orders.push(await listedNames(createQueries(db)));
  }
  // ASCII letters fold to lower case on both engines; every other character keeps its code point
  // (SQLite's lower() folds ASCII only), and keys compare in code-point order; ties go by id.
  expect(orders[0]).toEqual(['adam', 'Bob', 'Zoe', 'zoe', 'Zoë', 'Ådne', 'Émile', 'ßen', 'émile']);
  expect(orders[1]).toEqual(orders[0]);
});
