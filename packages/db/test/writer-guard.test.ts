import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyClerkEvent } from '../src/mirror-writer/index';
import {
  clerkUser,
  createTempDatabase,
  findUserByClerkId,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  sqlRows,
  sqlRun,
  testDialect,
  type TempDatabase,
} from '../src/testing/index';
import { refusal, writesToOrganizationsMirror, writesToUsers } from './support/writer-guard';

// Rule 1, at the database: writes to the mirrored tables (users, organizations and their
// memberships) from anywhere but the mirror writer's own transaction fail, with a message that
// says what to do instead.

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(() => db.destroy());

describe('on the connection the product queries use', () => {
  it.each(writesToUsers)('refuses %s on users', async (_kind, statement) => {
    const ada = await mirrorUser(db, { firstName: 'Ada' });
    await expect(sqlRun(db, statement)).rejects.toThrow(refusal);
    expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 1 }]);
  });

  it('refuses them inside an explicit transaction too', async () => {
    await mirrorUser(db, { firstName: 'Ada' });
    const begin = testDialect() === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN';
    await expect(sqlRun(db, `${begin}; UPDATE users SET first_name = 'Forged'; COMMIT`)).rejects.toThrow(refusal);
    if (testDialect() === 'sqlite') await sqlRun(db, 'ROLLBACK'); // PostgreSQL ended it with the error
    expect(await sqlRows(db, 'SELECT first_name FROM users')).toEqual([{ first_name: 'Ada' }]);
  });
});

describe('the organizations mirror, on the connection the product queries use', () => {
  // Rows to update and delete: a row trigger is not asked about a statement that touches none.
  const seed = async () => {
    const ada = await mirrorUser(db, { firstName: 'Ada' });
    const team = await mirrorOrganization(db, { name: 'Analytical Engines' });
    await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId, role: 'org:member' });
  };
  const contents = async () => ({
    organizations: await sqlRows(db, 'SELECT clerk_id, name FROM organizations ORDER BY id'),
    memberships: await sqlRows(db, 'SELECT clerk_id, role FROM organization_memberships ORDER BY id'),
  });

  it.each(writesToOrganizationsMirror)('refuses a raw write to %s (%s)', async (_table, _kind, statement, tableRefusal) => {
    await seed();
    const before = await contents();
    await expect(sqlRun(db, statement)).rejects.toThrow(tableRefusal);
    expect(await contents()).toEqual(before);
    expect(before.organizations).toHaveLength(1);
    expect(before.memberships).toHaveLength(1);
  });
});

describe('the mirror writer', () => {
  it('still writes, and a transaction of its that fails leaves nothing behind, its permission included', async () => {
    const { clerkId } = await mirrorUser(db, { firstName: 'Ada' });
    expect((await findUserByClerkId(db, clerkId))?.firstName).toBe('Ada');
    const data = clerkUser({ clerkId, updatedAt: Date.now() + 1000 });
    // email_addresses: null makes the writer throw half-way, after it was let in.
    const broken = { svixId: 'msg_broken', receivedAt: Date.now(), event: { type: 'user.updated' as const, timestamp: 0, data: { ...data, email_addresses: null as never } } };
    await expect(applyClerkEvent(db, broken)).rejects.toThrow();
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM webhook_events WHERE svix_id = ?', ['msg_broken'])).toEqual([{ n: 0 }]);
    await expect(sqlRun(db, "UPDATE users SET first_name = 'Forged'")).rejects.toThrow(refusal);
    expect((await findUserByClerkId(db, clerkId))?.firstName).toBe('Ada');
  });
});
