import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { sqlRows, sqlRun } from '@expectations/db/testing';
import { expectCannotRun } from '../src/cannot-run';
import { Stack } from '../src/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start({ bapiRateLimit: null });
});
afterAll(() => stack.stop());

describe('the audit exits 2, saying why, when DATABASE_URL names no SQLite mirror', () => {
  it('with a database that does not exist, which it does not create', async () => {
    const path = join(stack.dir, 'nowhere.db');
    await expectCannotRun(stack, [], { DATABASE_URL: `file:${path}` }, /there is no database at .*nowhere\.db \(DATABASE_URL\)/);
    expect(existsSync(path)).toBe(false);
  });

  it('with a file that is not a database', async () => {
    const path = join(stack.dir, 'notes.txt');
    writeFileSync(path, 'not a database, just words '.repeat(200));
    await expectCannotRun(stack, [], { DATABASE_URL: `file:${path}` }, /the database at .*notes\.txt \(DATABASE_URL\) could not be opened: file is not a database/);
  });

  it('with a database that is not the API’s', async () => {
    const other = join(stack.dir, 'other.db');
    const db = await openDatabase(`file:${other}`, { migrate: false });
    await sqlRun(db, 'CREATE TABLE t (x)');
    await db.close();
    await expectCannotRun(stack, [], { DATABASE_URL: `file:${other}` }, /has no users mirror/);
  });

  it('with a users mirror but no organizations mirror, which it does not migrate', async () => {
    const older = join(stack.dir, 'older.db');
    const db = await openDatabase(`file:${older}`, { migrate: false });
    await sqlRun(db, 'CREATE TABLE users (clerk_id TEXT, deleted_at INTEGER)');
    await db.close();
    await expectCannotRun(stack, [], { DATABASE_URL: `file:${older}` }, /\(DATABASE_URL\) has no organizations table: the API creates it when it starts/);
    const after = await openDatabase(`file:${older}`, { migrate: false });
    try {
      expect(await sqlRows(after, "SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([{ name: 'users' }]);
    } finally {
      await after.close();
    }
  });
});
