import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { createTempDatabaseUrl, sqlRows, type TempDatabaseUrl } from '@expectations/db/testing';
import { expectCannotRun } from '../src/cannot-run';
import { closedPort, Stack } from '../src/stack';

let stack: Stack;
let empty: TempDatabaseUrl;
beforeAll(async () => {
  stack = await Stack.start({ bapiRateLimit: null });
  // The stack's own database, migrated by the API as in production, and one nothing migrated.
  await stack.startApi();
  empty = await createTempDatabaseUrl();
});
afterAll(async () => {
  await stack.stop();
  await empty.destroy();
});

/** The stack's PostgreSQL URL with another database name and a password the server never asks for. */
function onTheSameServer(database: string): string {
  const url = new URL(stack.database.url);
  url.password = 'hunter2';
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(query: string, parameters: unknown[] = []): Promise<T[]> {
  const db = await openDatabase(stack.database.url, { migrate: false });
  try {
    return await sqlRows<T>(db, query, parameters);
  } finally {
    await db.close();
  }
}

describe('the audit exits 2, saying why and never the password, when DATABASE_URL names no PostgreSQL mirror', () => {
  it('with a database that does not exist on a server that answers, which it does not create', async () => {
    const url = onTheSameServer('no_such_database');
    const { host, username } = new URL(url);
    const run = await expectCannotRun(
      stack,
      [],
      { DATABASE_URL: url },
      new RegExp(`could not connect to PostgreSQL at ${username}@${host.replaceAll('.', '\\.')}/no_such_database: database "no_such_database" does not exist \\(DATABASE_URL\\)`),
    );
    expect(run.stderr).not.toContain('hunter2');
    expect(await onServer("SELECT datname FROM pg_database WHERE datname = 'no_such_database'")).toEqual([]);
  });

  it('with a server that does not answer', async () => {
    const port = await closedPort();
    const run = await expectCannotRun(
      stack,
      [],
      { DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/expectations` },
      new RegExp(`could not connect to PostgreSQL at app@127\\.0\\.0\\.1:${port}/expectations: .*ECONNREFUSED.*is the server running`),
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('with a URL that names no database', async () => {
    const run = await expectCannotRun(stack, [], { DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:5432/' }, /DATABASE_URL names no database on app@127\.0\.0\.1:5432\//);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('with a database that is not the API’s, which it does not migrate', async () => {
    await expectCannotRun(stack, [], { DATABASE_URL: empty.url }, /the database at postgres@127\.0\.0\.1:\d+\/test_\w+ \(DATABASE_URL\) has no users mirror/);
    const db = await openDatabase(empty.url, { migrate: false });
    try {
      expect(await sqlRows(db, "SELECT table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
