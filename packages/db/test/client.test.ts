import { afterEach, expect, it } from 'vitest';
import { expectationStatuses, storedWebhookOutcomes } from '../src/constants';
import { openDatabase } from '../src/open';
import { sqlitePathFromUrl } from '../src/sqlite/connection';
import { createTempDatabase, mirrorUser, sqlRows, sqlRun, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

it('opens a durable, migrated SQLite file', async () => {
  db = await createTempDatabase();
  const pragma = async (name: string) => Object.values((await sqlRows(db!, `PRAGMA ${name}`))[0] ?? {})[0];
  expect(await pragma('journal_mode')).toBe('wal');
  expect(await pragma('synchronous')).toBe(2); // FULL
  expect(await pragma('foreign_keys')).toBe(1);
  expect(await pragma('busy_timeout')).toBe(5000);
  const tables = await sqlRows<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  expect(tables.map((row) => row.name)).toEqual(expect.arrayContaining(['expectations', 'users', 'webhook_events']));
  await expect(db.ping()).resolves.toBeUndefined();
});

it('applies migrations once: reopening the same file keeps its rows', async () => {
  db = await createTempDatabase();
  await sqlRun(db, "INSERT INTO webhook_events (svix_id, type, outcome, received_at, last_delivered_at) VALUES ('msg_1', 't', 'ignored', 1, 1)");
  const again = await openDatabase(db.url);
  expect(await sqlRows(again, 'SELECT count(*) AS n FROM webhook_events')).toEqual([{ n: 1 }]);
  await again.close();
});

it('enforces the status values and the author reference in the schema itself', async () => {
  db = await createTempDatabase();
  const insert = (authorId: number, status: string) =>
    sqlRun(db!, "INSERT INTO expectations (author_id, title, status, created_at, updated_at) VALUES (?, 't', ?, 1, 1)", [authorId, status]);
  await expect(insert(999, 'open')).rejects.toThrow(/FOREIGN KEY/);
  const author = await mirrorUser(db);
  await expect(insert(author.id, 'done')).rejects.toThrow(/CHECK/);
  for (const status of expectationStatuses) await expect(insert(author.id, status)).resolves.toBeUndefined();
});

it('has the CHECK lists of the committed schema equal to the constants the code uses', async () => {
  db = await createTempDatabase();
  const tableSql = async (name: string) =>
    (await sqlRows<{ sql: string }>(db!, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name]))[0]!.sql;
  const listIn = (text: string, column: string) => {
    const match = new RegExp(`"${column}" IN \\(([^)]*)\\)`).exec(text);
    return match?.[1]?.split(',').map((literal) => literal.trim().replace(/^'|'$/g, ''));
  };
  expect(listIn(await tableSql('expectations'), 'status')).toEqual([...expectationStatuses]);
  expect(listIn(await tableSql('webhook_events'), 'outcome')).toEqual([...storedWebhookOutcomes]);
});

it.each([
  ['file:/tmp/x/app.db', '/tmp/x/app.db'],
  ['/tmp/y.db', '/tmp/y.db'],
])('reads %s as %s', (url, path) => {
  expect(sqlitePathFromUrl(url)).toBe(path);
});

it('refuses a URL that names no file, or an in-memory database, with a message that says what to write', () => {
  expect(() => sqlitePathFromUrl('file:')).toThrow(/DATABASE_URL names no file/);
  expect(() => sqlitePathFromUrl(':memory:')).toThrow(/name a file/);
});
