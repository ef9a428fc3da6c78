import { afterEach, beforeEach, expect, it } from 'vitest';
import { createMutationLimiter, openDatabase, type Database } from '@expectations/db';
import { createTempDatabase, type TempDatabase } from '@expectations/db/testing';

let db: TempDatabase;
let second: Database;
beforeEach(async () => {
  db = await createTempDatabase();
  second = await openDatabase(db.url);
});
afterEach(async () => {
  await second.close();
  await db.destroy();
});

// Two pools on one database stand for two API replicas: one user's bucket is shared by both.
it('shares each user’s bucket between replicas, on the database server’s clock', async () => {
  const first = createMutationLimiter(db, { perMinute: 4 });
  const other = createMutationLimiter(second, { perMinute: 4 });
  const answers = await Promise.all([first, other, first, other, first, other].map((limiter) => limiter.take('user_shared')));
  expect(answers.filter((wait) => wait === null)).toHaveLength(4);
  for (const wait of answers.filter((value) => value !== null)) expect(wait).toBeGreaterThan(0);
  expect(await other.take('user_other')).toBeNull();
});
