import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup';
import { openDatabase } from '../src/client';
import { createTempDatabase, mirrorUser, type TempDatabase } from '../src/testing';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

it('copies a live database, with the writes made after it opened, into a file that opens on its own', async () => {
  db = createTempDatabase();
  for (let i = 0; i < 50; i++) await mirrorUser(db, { firstName: `User ${i}` });
  // The API keeps its connection open and its latest commits may still be only in the WAL.
  const destination = join(db.dir, 'backups', 'copy.db');
  const { pages } = await backupDatabase(`file:${db.path}`, destination);
  expect(pages).toBeGreaterThan(0);

  const copy = openDatabase(destination);
  try {
    expect(copy.sqlite.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 50 });
    expect(copy.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    copy.close();
  }
});
