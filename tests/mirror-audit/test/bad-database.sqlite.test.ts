import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { sqlRun } from '@expectations/db/testing';
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
});
