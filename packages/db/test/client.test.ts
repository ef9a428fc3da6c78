import { afterEach, expect, it } from 'vitest';
import { expectationStatuses, storedWebhookOutcomes } from '../src/constants';
import { openDatabase } from '../src/open';
import { createTempDatabase, mirrorOrganization, mirrorUser, sqlRows, sqlRun, testDialect, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

const dialect = testDialect();
const tableNames = async (on: TempDatabase) =>
  dialect === 'sqlite'
    ? (await sqlRows<{ name: string }>(on, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((row) => row.name)
    : (await sqlRows<{ name: string }>(on, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((row) => row.name);

it('opens a migrated database that answers', async () => {
  db = await createTempDatabase();
  expect(db.dialect).toBe(dialect);
  expect(await tableNames(db)).toEqual(expect.arrayContaining(['expectations', 'users', 'webhook_events']));
  await expect(db.ping()).resolves.toBeUndefined();
});

it('applies migrations once: reopening the same database keeps its rows', async () => {
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
  await expect(insert(999, 'open')).rejects.toThrow(/FOREIGN KEY|foreign key/);
  const author = await mirrorUser(db);
  await expect(insert(author.id, 'done')).rejects.toThrow(/CHECK|check constraint/);
  for (const status of expectationStatuses) await expect(insert(author.id, status)).resolves.toBeUndefined();
});

it('keeps an expectation personal unless it names a team, and refuses a team the mirror does not have', async () => {
  db = await createTempDatabase();
  const author = await mirrorUser(db);
  const team = await mirrorOrganization(db);
  const insert = (title: string, organizationId?: number) =>
    organizationId === undefined
      ? sqlRun(db!, "INSERT INTO expectations (author_id, title, created_at, updated_at) VALUES (?, ?, 1, 1)", [author.id, title])
      : sqlRun(db!, 'INSERT INTO expectations (author_id, title, organization_id, created_at, updated_at) VALUES (?, ?, ?, 1, 1)', [author.id, title, organizationId]);
  await insert('personal');
  await insert('team', team.id);
  await expect(insert('nowhere', team.id + 1000)).rejects.toThrow(/FOREIGN KEY|foreign key/);
  expect(await sqlRows(db, 'SELECT title, organization_id FROM expectations ORDER BY id')).toEqual([
    { title: 'personal', organization_id: null },
    { title: 'team', organization_id: team.id },
  ]);
});

it('has the CHECK lists of the committed schema equal to the constants the code uses', async () => {
  db = await createTempDatabase();
  // SQLite keeps the CREATE TABLE text; PostgreSQL rewrites IN (…) as = ANY (ARRAY['a'::text, …]).
  const allowed = async (table: string, constraint: string) => {
    const text =
      dialect === 'sqlite'
        ? (await sqlRows<{ sql: string }>(db!, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]))[0]!.sql
        : (await sqlRows<{ def: string }>(db!, 'SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = ?', [constraint]))[0]!.def;
    const list = new RegExp(`${constraint}[^(]*CHECK ?\\((.*)\\)`, 's').exec(dialect === 'sqlite' ? text : `${constraint} ${text}`)?.[1] ?? '';
    return [...list.matchAll(/'([^']*)'/g)].map((match) => match[1]);
  };
  expect(await allowed('expectations', 'expectations_status_check')).toEqual([...expectationStatuses]);
  expect(await allowed('webhook_events', 'webhook_events_outcome_check')).toEqual([...storedWebhookOutcomes]);
});
