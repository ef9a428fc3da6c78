import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyClerkEvent } from '../src/mirror-writer/index';
import { clerkUser, createTempDatabase, findUserByClerkId, mirrorUser, sqlRows, sqlRun, testDialect, type TempDatabase } from '../src/testing/index';
import { refusal, writesToUsers } from './support/writer-guard';

// Rule 1, at the database: writes to `users` from anywhere but the mirror writer's own
// transaction fail, with a message that says what to do instead.

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
