import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyClerkEvent } from '../src/mirror-writer/index';
import { clerkUser, createTempDatabase, findUserByClerkId, mirrorUser, sqlRows, sqlRun, type TempDatabase } from '../src/testing/index';

// Rule 1, at the database: writes to `users` from anywhere but the mirror writer's own
// transaction fail, with a message that says what to do instead.
const refusal = /users is a read-only mirror of Clerk: only the Clerk webhook writes it .* Change the user in Clerk/;

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(() => db.destroy());

const writes = [
  ['INSERT', "INSERT INTO users (clerk_id, clerk_updated_at, created_at, updated_at) VALUES ('user_forged', 1, 1, 1)"],
  ['UPDATE', "UPDATE users SET first_name = 'Forged'"],
  ['DELETE', 'DELETE FROM users'],
] as const;

describe('on the connection the product queries use', () => {
  it.each(writes)('refuses %s on users', async (_kind, statement) => {
    const ada = await mirrorUser(db, { firstName: 'Ada' });
    await expect(sqlRun(db, statement)).rejects.toThrow(refusal);
    expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 1 }]);
  });

  it('refuses them inside a transaction too, and cannot set the writer’s flag', async () => {
    await mirrorUser(db);
    await expect(sqlRun(db, "BEGIN IMMEDIATE; UPDATE users SET first_name = 'Forged'; COMMIT")).rejects.toThrow(refusal);
    await sqlRun(db, 'ROLLBACK');
    await expect(sqlRun(db, 'INSERT INTO mirror_writer_flag (active) VALUES (1)')).rejects.toThrow(/no such function: mirror_writer_connection/);
  });
});

describe('on a plain connection to the same file, as the sqlite3 shell would open it', () => {
  let plain: BetterSqlite3.Database;
  beforeEach(() => {
    plain = new BetterSqlite3(db.location);
  });
  afterEach(() => plain.close());

  it.each(writes)('refuses %s on users', async (_kind, statement) => {
    await mirrorUser(db, { firstName: 'Ada' });
    expect(() => plain.prepare(statement).run()).toThrow(refusal);
    expect(plain.prepare('SELECT first_name FROM users').all()).toEqual([{ first_name: 'Ada' }]);
  });

  it('cannot set the writer’s flag to get around it', () => {
    expect(() => plain.prepare('INSERT INTO mirror_writer_flag (active) VALUES (1)').run()).toThrow(/no such function/);
  });
});

describe('the mirror writer', () => {
  it('still writes, and leaves its flag cleared after every transaction', async () => {
    const { clerkId } = await mirrorUser(db, { firstName: 'Ada' });
    expect((await findUserByClerkId(db, clerkId))?.firstName).toBe('Ada');
    expect(await sqlRows(db, 'SELECT * FROM mirror_writer_flag')).toEqual([]);
    // A transaction that fails half-way rolls the flag back with everything else.
    const data = clerkUser({ clerkId, updatedAt: Date.now() + 1000 });
    const broken = { svixId: 'msg_broken', receivedAt: Date.now(), event: { type: 'user.updated' as const, timestamp: 0, data: { ...data, email_addresses: null as never } } };
    await expect(applyClerkEvent(db, broken)).rejects.toThrow();
    expect(await sqlRows(db, 'SELECT * FROM mirror_writer_flag')).toEqual([]);
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM webhook_events WHERE svix_id = ?', ['msg_broken'])).toEqual([{ n: 0 }]);
    await expect(sqlRun(db, "UPDATE users SET first_name = 'Forged'")).rejects.toThrow(refusal);
  });
});
