import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DatabaseConnectionError, migrationsFolder, openDatabase, type Database } from '@expectations/db';
import { createTempDatabaseUrl, sqlRows, type TempDatabaseUrl } from '@expectations/db/testing';

const committedMigrations: unknown[] = JSON.parse(readFileSync(join(migrationsFolder('postgres'), 'meta/_journal.json'), 'utf8')).entries;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('names what it could not reach, never the password', async () => {
  const refused = openDatabase('postgres://app:hunter2@127.0.0.1:1/expectations');
  await expect(refused).rejects.toBeInstanceOf(DatabaseConnectionError);
  await expect(refused).rejects.toThrow(/could not connect to PostgreSQL at app@127\.0\.0\.1:1\/expectations: .*ECONNREFUSED/);
  await expect(refused).rejects.not.toThrow(/hunter2/);

  const temp = await createTempDatabaseUrl();
  cleanups.push(() => temp.destroy());
  const missing = new URL(temp.url);
  missing.pathname = '/no_such_database';
  missing.password = 'hunter2';
  await expect(openDatabase(missing.toString())).rejects.toThrow(/no_such_database.*does not exist/);
  await expect(openDatabase(missing.toString())).rejects.not.toThrow(/hunter2/);
});

it('migrates once when several replicas start together on an empty database', async () => {
  const temp: TempDatabaseUrl = await createTempDatabaseUrl();
  cleanups.push(() => temp.destroy());
  const replicas: Database[] = await Promise.all(Array.from({ length: 4 }, () => openDatabase(temp.url, { poolSize: 2 })));
  cleanups.push(async () => {
    for (const replica of replicas) await replica.close();
  });
  const applied = await sqlRows(replicas[0]!, 'SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
  expect(applied).toEqual([{ n: committedMigrations.length }]);
  for (const replica of replicas) await expect(replica.ping()).resolves.toBeUndefined();
});
