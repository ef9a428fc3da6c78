import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createQueries, openDatabase, type Database } from '@expectations/db';
import { postgresBinDir } from '../src/testing/postgres-server';
import { createTempDatabase, createTempDatabaseUrl, mirrorUser, sqlRows, sqlRun, type TempDatabase, type TempDatabaseUrl } from '@expectations/db/testing';
import { refusal } from './support/writer-guard';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// What docs/operations.md tells an operator to run: pg_dump -Fc of the live database, then
// pg_restore into an empty one. The copy holds the rows and keeps the writer guard.
it('round-trips through pg_dump -Fc and pg_restore, guard included', async () => {
  const source: TempDatabase = await createTempDatabase();
  cleanups.push(() => source.destroy());
  const ada = await mirrorUser(source, { firstName: 'Ada' });
  await createQueries(source).createExpectation({ authorId: ada.id, organizationId: null, assigneeId: null, title: 'Backed up', details: '', dueOn: null });

  const dir = mkdtempSync(join(tmpdir(), 'expectations-dump-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dump = join(dir, 'expectations.dump');
  const bin = postgresBinDir();
  const run = (tool: string, args: string[]) => {
    const result = spawnSync(join(bin, tool), args, { encoding: 'utf8' });
    expect(result.status, `${tool}: ${result.stderr}`).toBe(0);
  };
  run('pg_dump', ['--format=custom', `--file=${dump}`, `--dbname=${source.url}`]);

  const target: TempDatabaseUrl = await createTempDatabaseUrl();
  cleanups.push(() => target.destroy());
  run('pg_restore', ['--no-owner', `--dbname=${target.url}`, dump]);

  const restored: Database = await openDatabase(target.url);
  cleanups.push(() => restored.close());
  const page = await createQueries(restored).listExpectations({ scope: 'all', limit: 10 });
  expect(page.items.map((item) => [item.title, item.author.displayName])).toEqual([['Backed up', 'Ada User']]);
  expect(await sqlRows(restored, 'SELECT count(*) AS n FROM webhook_events')).toEqual([{ n: 1 }]);
  await expect(sqlRun(restored, "UPDATE users SET first_name = 'Forged'")).rejects.toThrow(refusal);
});
