import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../src/url';
import { createTempDatabase, mirrorMembership, mirrorOrganization, mirrorUser, sqlRows, sqlRun, type TempDatabase } from '../src/testing/index';
import { refusal, writesToOrganizationsMirror, writesToUsers } from './support/writer-guard';

let db: TempDatabase;
let plain: BetterSqlite3.Database;
beforeEach(async () => {
  db = await createTempDatabase();
  const target = parseDatabaseUrl(db.url);
  if (target.dialect !== 'sqlite') throw new Error('a SQLite test');
  // A plain connection to the same file, as the sqlite3 shell would open it.
  plain = new BetterSqlite3(target.path);
});
afterEach(async () => {
  plain.close();
  await db.destroy();
});

it.each(writesToUsers)('refuses %s on users from a plain connection to the file', async (_kind, statement) => {
  await mirrorUser(db, { firstName: 'Ada' });
  expect(() => plain.prepare(statement).run()).toThrow(refusal);
  expect(plain.prepare('SELECT first_name FROM users').all()).toEqual([{ first_name: 'Ada' }]);
});

it.each(writesToOrganizationsMirror)('refuses a write to %s (%s) from a plain connection to the file', async (table, _kind, statement, tableRefusal) => {
  const team = await mirrorOrganization(db, { name: 'Analytical Engines' });
  await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: 'user_ada', role: 'org:member' });
  const before = plain.prepare(`SELECT * FROM ${table}`).all();
  expect(() => plain.prepare(statement).run()).toThrow(tableRefusal);
  expect(plain.prepare(`SELECT * FROM ${table}`).all()).toEqual(before);
});

it('lets no connection but the writer’s set the flag that lets writes in', async () => {
  expect(() => plain.prepare('INSERT INTO mirror_writer_flag (active) VALUES (1)').run()).toThrow(/no such function: mirror_writer_connection/);
  await expect(sqlRun(db, 'INSERT INTO mirror_writer_flag (active) VALUES (1)')).rejects.toThrow(/no such function: mirror_writer_connection/);
});

it('leaves the flag cleared after every writer transaction', async () => {
  await mirrorUser(db);
  expect(await sqlRows(db, 'SELECT * FROM mirror_writer_flag')).toEqual([]);
});
