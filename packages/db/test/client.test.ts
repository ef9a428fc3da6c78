import { afterEach, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../src/testing';
import { openDatabase, sqlitePathFromUrl } from '../src/client';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

it('opens a durable, migrated SQLite file', () => {
  db = createTempDatabase();
  expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
  expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  const tables = db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  expect(tables.map((row) => (row as { name: string }).name)).toEqual(
    expect.arrayContaining(['expectations', 'users', 'webhook_events']),
  );
});

it('applies migrations once: reopening the same file keeps its rows', () => {
  db = createTempDatabase();
  db.sqlite
    .prepare("INSERT INTO webhook_events (svix_id, type, outcome, received_at, last_delivered_at) VALUES ('msg_1', 't', 'ignored', 1, 1)")
    .run();
  db.close();
  const again = openDatabase(db.path);
  expect(again.sqlite.prepare('SELECT count(*) AS n FROM webhook_events').get()).toEqual({ n: 1 });
  again.close();
});

it('enforces the status values and the author reference in the schema itself', () => {
  db = createTempDatabase();
  const insert = (authorId: number, status: string) =>
    db!.sqlite
      .prepare("INSERT INTO expectations (author_id, title, status, created_at, updated_at) VALUES (?, 't', ?, 1, 1)")
      .run(authorId, status);
  expect(() => insert(999, 'open')).toThrow(/FOREIGN KEY/);
  db.sqlite
    .prepare("INSERT INTO users (clerk_id, clerk_updated_at, created_at, updated_at) VALUES ('user_a', 1, 1, 1)")
    .run();
  expect(() => insert(1, 'done')).toThrow(/CHECK/);
  expect(() => insert(1, 'met')).not.toThrow();
});

it.each([
  ['file:/tmp/x/app.db', '/tmp/x/app.db'],
  ['/tmp/y.db', '/tmp/y.db'],
])('reads %s as %s', (url, path) => {
  expect(sqlitePathFromUrl(url)).toBe(path);
});

it('refuses a URL that names no file, with a message that says what to write', () => {
  expect(() => sqlitePathFromUrl('file:')).toThrow(/DATABASE_URL names no file/);
});
