import { afterEach, beforeEach, expect, it } from 'vitest';
import { createQueries, openDatabase, watchFeedEvents, type Database } from '@expectations/db';
import { createTempDatabase, mirrorUser, type TempDatabase } from '@expectations/db/testing';

// Replicas of the API are separate processes: each opens its own pools, and the in-process
// wake-up cannot reach the others. PostgreSQL's NOTIFY, sent at the commit of every append, must.

let db: TempDatabase;
let replica: Database;
beforeEach(async () => {
  db = await createTempDatabase();
  replica = await openDatabase(db.url);
});
afterEach(async () => {
  await replica.close();
  await db.destroy();
});

it('wakes a watcher on another connection pool when a write through this one commits', async () => {
  const ada = await mirrorUser(db);
  let wakeUp: () => void = () => {};
  let wakes = 0;
  const watch = await watchFeedEvents(replica, () => {
    wakes += 1;
    wakeUp();
  });
  try {
    const woken = () => new Promise<void>((resolve) => (wakeUp = resolve));
    await woken(); // the listener says so once it listens
    const before = wakes;
    const next = woken();
    await createQueries(db).createExpectation({ authorId: ada.id, organizationId: null, assigneeId: null, title: 'committed', details: '', dueOn: null });
    await next;
    expect(wakes - before).toBeGreaterThanOrEqual(1);
  } finally {
    await watch.close();
  }
});
