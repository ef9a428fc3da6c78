import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup';
import { openDatabase } from '../src/open';
import { createTempDatabase, mirrorUser, sqlRows, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

it('copies a live database, with the writes made after it opened, into a file that opens on its own', async () => {
  db = await createTempDatabase();
  for (let i = 0; i < 50; i++) await mirrorUser(db, { firstName: `User ${i}` });
  // The API keeps its connection open and its latest commits may still be only in the WAL.
  const destination = join(db.location, '..', 'backups', 'copy.db');
  const { pages } = await backupDatabase(db.url, destination);
  expect(pages).toBeGreaterThan(0);

  const copy = await openDatabase(destination);
  try {
    expect(await sqlRows(copy, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 50 }]);
    expect(await sqlRows(copy, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  } finally {
    await copy.close();
  }
});
