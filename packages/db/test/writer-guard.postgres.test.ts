import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTempDatabase, findUserByClerkId, mirrorMembership, mirrorOrganization, mirrorUser, type TempDatabase } from '../src/testing/index';
import { membershipsRefusal, organizationsRefusal, refusal, writesToOrganizationsMirror, writesToUsers } from './support/writer-guard';

let db: TempDatabase;
let plain: pg.Client;
beforeEach(async () => {
  db = await createTempDatabase();
  // A plain connection to the same database, as psql would open it.
  plain = new pg.Client(db.url);
  await plain.connect();
});
afterEach(async () => {
  await plain.end();
  await db.destroy();
});

it.each([...writesToUsers, ['TRUNCATE', 'TRUNCATE users CASCADE']] as const)('refuses %s on users from a plain connection', async (_kind, statement) => {
  const ada = await mirrorUser(db, { firstName: 'Ada' });
  await expect(plain.query(statement)).rejects.toThrow(refusal);
  expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
});

it.each([
  ...writesToOrganizationsMirror,
  // Without CASCADE PostgreSQL refuses first for expectations' foreign key; with it, the guard does.
  ['organizations', 'TRUNCATE', 'TRUNCATE organizations CASCADE', organizationsRefusal],
  ['organization_memberships', 'TRUNCATE', 'TRUNCATE organization_memberships', membershipsRefusal],
] as const)('refuses a write to %s (%s) from a plain connection', async (table, _kind, statement, tableRefusal) => {
  const team = await mirrorOrganization(db, { name: 'Analytical Engines' });
  await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: 'user_ada', role: 'org:member' });
  const before = (await plain.query(`SELECT * FROM ${table} ORDER BY id`)).rows;
  await expect(plain.query(statement)).rejects.toThrow(tableRefusal);
  expect((await plain.query(`SELECT * FROM ${table} ORDER BY id`)).rows).toEqual(before);
  expect(before).toHaveLength(1);
});

it('keeps the writer’s permission inside its own transaction: another connection is refused meanwhile', async () => {
  const ada = await mirrorUser(db, { firstName: 'Ada' });
  const writer = new pg.Client(db.url);
  await writer.connect();
  try {
    await writer.query('BEGIN');
    await writer.query("SELECT set_config('expectations.mirror_writer', 'on', true)");
    await expect(plain.query("UPDATE users SET first_name = 'Forged'")).rejects.toThrow(refusal);
    await writer.query('ROLLBACK');
    // Transaction-local: gone once that transaction ended, on the same connection too.
    await expect(writer.query("UPDATE users SET first_name = 'Forged'")).rejects.toThrow(refusal);
  } finally {
    await writer.end();
  }
  expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
});

it('guards against accidents, not intent: with one role, a session that sets the flag itself gets through (docs/operations.md, "Two roles")', async () => {
  const ada = await mirrorUser(db, { firstName: 'Ada' });
  await plain.query("SELECT set_config('expectations.mirror_writer', 'on', false)");
  await plain.query("UPDATE users SET first_name = 'Forged'");
  expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Forged');
});
