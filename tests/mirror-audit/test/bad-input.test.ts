import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { sqlRun } from '@expectations/db/testing';
import { closedPort, Stack } from '../src/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start({ bapiRateLimit: null });
  await stack.startApi();
  await stack.createUser(1);
  await stack.until('the user to reach the mirror', () => stack.clerk.webhookStats().delivered === 1);
});
afterAll(() => stack.stop());

/** Every failure to run exits 2 with one clear message, prints no report and never a secret. */
async function expectCannotRun(args: string[], overrides: Record<string, string>, message: RegExp) {
  const run = await stack.audit(args, overrides);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^mirror:audit could not run: /);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toContain(stack.clerk.config.secretKey);
  expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  return run;
}

describe('the audit exits 2, saying why, when it cannot run', () => {
  it('with a wrong secret key', async () => {
    const wrongKey = 'sk_test_wrongwrongwrongwrong';
    const run = await expectCannotRun(['--json'], { CLERK_SECRET_KEY: wrongKey }, /refused CLERK_SECRET_KEY \(401 authentication_invalid\)/);
    expect(run.stderr).not.toContain(wrongKey);
  });

  it('with an unreachable CLERK_API_URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    await expectCannotRun([], { CLERK_API_URL: url }, new RegExp(`could not reach Clerk's Backend API at ${url} \\(CLERK_API_URL\\) in 4 tries: ECONNREFUSED`));
  });

  it('with credentials in CLERK_API_URL, refused and never shown', async () => {
    const url = `http://admin:hunter2@127.0.0.1:${await closedPort()}`;
    const run = await expectCannotRun([], { CLERK_API_URL: url }, /CLERK_API_URL: must not carry a user name or password/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('with a database that does not exist, which it does not create', async () => {
    const path = join(stack.databasePath, '..', 'nowhere.db');
    await expectCannotRun([], { DATABASE_URL: `file:${path}` }, /there is no database at .*nowhere\.db \(DATABASE_URL\)/);
    expect(existsSync(path)).toBe(false);
  });

  it('with a file that is not a database', async () => {
    const path = join(stack.databasePath, '..', 'notes.txt');
    writeFileSync(path, 'not a database, just words '.repeat(200));
    await expectCannotRun([], { DATABASE_URL: `file:${path}` }, /the database at .*notes\.txt \(DATABASE_URL\) could not be opened: file is not a database/);
  });

  it('with a database that is not the API’s', async () => {
    const other = join(stack.databasePath, '..', 'other.db');
    const db = await openDatabase(`file:${other}`, { migrate: false });
    await sqlRun(db, 'CREATE TABLE t (x)');
    await db.close();
    await expectCannotRun([], { DATABASE_URL: `file:${other}` }, /has no users mirror/);
  });

  it('without CLERK_SECRET_KEY, or with an unknown option', async () => {
    await expectCannotRun([], { CLERK_SECRET_KEY: '' }, /CLERK_SECRET_KEY: is required/);
    await expectCannotRun(['--fix'], {}, /Unknown option '--fix'[\s\S]*Usage:/);
    await expectCannotRun(['--resync', '--wait-seconds', 'soon'], {}, /--wait-seconds must be a whole number/);
  });

  it('and runs (exit 0) with the same environment put right', async () => {
    const run = await stack.audit(['--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ checked: 1, missing: [], stale: [], ghosts: [] });
  });
});
