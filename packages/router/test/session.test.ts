import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteMirroredUser, mirrorUser, sqlRows } from '@expectations/db/testing';
import { ACCOUNT_NOT_READY_MESSAGE } from '@expectations/router';
import { routerHarness, type RouterHarness, trpcErrorOf } from './support/harness';

let h: RouterHarness;
beforeEach(async () => {
  h = await routerHarness();
});
afterEach(() => h.destroy());

describe('without a session', () => {
  it('refuses every procedure with UNAUTHORIZED', async () => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['users.ensureExists', () => h.anonymous.users.ensureExists()],
      ['users.byId', () => h.anonymous.users.byId({ id: 1 })],
      ['users.list', () => h.anonymous.users.list({})],
      ['expectations.list', () => h.anonymous.expectations.list({})],
      ['expectations.byId', () => h.anonymous.expectations.byId({ id: 1 })],
      ['expectations.create', () => h.anonymous.expectations.create({ title: 'x' })],
      ['expectations.setStatus', () => h.anonymous.expectations.setStatus({ id: 1, status: 'met' })],
    ];
    for (const [name, call] of calls) {
      const error = await trpcErrorOf(call());
      expect(error.code, name).toBe('UNAUTHORIZED');
      expect(error.message, name).toMatch(/Authorization: Bearer/);
    }
  });
});

describe('a signed-in user whose mirror row has not arrived', () => {
  const clerkUserId = 'user_2webhookNotHereYet';

  it('gets PRECONDITION_FAILED from users.ensureExists, and the server logs why, naming the Clerk user', async () => {
    const error = await trpcErrorOf(h.callerFor(clerkUserId).users.ensureExists());
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(ACCOUNT_NOT_READY_MESSAGE);
    expect(error.message).not.toContain(clerkUserId);

    expect(h.log.error).toHaveBeenCalledTimes(1);
    const [details, message] = h.log.error.mock.calls[0] ?? [];
    expect(details).toEqual({ clerkUserId });
    expect(message).toContain(clerkUserId);
    expect(message).toMatch(/webhook has probably not arrived yet or failed/);
  });

  it('cannot act as themselves (create, setStatus), and no users row is ever created', async () => {
    const caller = h.callerFor(clerkUserId);
    expect((await trpcErrorOf(caller.expectations.create({ title: 'Hello' }))).code).toBe('PRECONDITION_FAILED');
    expect((await trpcErrorOf(caller.expectations.setStatus({ id: 1, status: 'met' }))).code).toBe('PRECONDITION_FAILED');
    expect(h.log.error).toHaveBeenCalledTimes(2);

    expect(await sqlRows(h.db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }]);
    expect((await h.queries.listExpectations({ scope: 'all', limit: 10 })).items).toEqual([]);
  });

  it('succeeds once the webhook has landed', async () => {
    const caller = h.callerFor(clerkUserId, {}, null);
    expect((await trpcErrorOf(caller.users.ensureExists())).code).toBe('PRECONDITION_FAILED');
    const row = await mirrorUser(h.db, { clerkId: clerkUserId });
    expect(await caller.users.ensureExists()).toEqual({ id: row.id });
  });

  it('cannot read the team’s expectations either: the list and byId answer PRECONDITION_FAILED', async () => {
    const ada = await h.member();
    const { id } = await ada.caller.expectations.create({ title: 'Not yet visible' });
    const caller = h.callerFor(clerkUserId);
    expect((await trpcErrorOf(caller.expectations.list({}))).message).toBe(ACCOUNT_NOT_READY_MESSAGE);
    expect((await trpcErrorOf(caller.expectations.byId({ id }))).code).toBe('PRECONDITION_FAILED');
  });
});

describe('a deleted user with a still-valid session', () => {
  it('is refused with FORBIDDEN when acting as themselves', async () => {
    const gone = await h.member();
    await deleteMirroredUser(h.db, gone.clerkId);
    expect((await trpcErrorOf(gone.caller.users.ensureExists())).code).toBe('FORBIDDEN');
    expect((await trpcErrorOf(gone.caller.expectations.create({ title: 'x' }))).code).toBe('FORBIDDEN');
  });
});

describe('users.ensureExists', () => {
  it('returns the caller’s own mirror row id', async () => {
    const ada = await h.member();
    await h.member();
    expect(await ada.caller.users.ensureExists()).toEqual({ id: ada.id });
    expect(h.log.error).not.toHaveBeenCalled();
  });
});
