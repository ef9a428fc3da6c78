import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteMirroredUser } from '@expectations/db/testing';
import { routerHarness, type RouterHarness, trpcErrorOf } from './support/harness';

let h: RouterHarness;
beforeEach(async () => {
  h = await routerHarness();
});
afterEach(() => h.destroy());

describe('users.byId', () => {
  it('returns a public profile, never the email', async () => {
    const ada = await h.member({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
    const bob = await h.member();
    const profile = await bob.caller.users.byId({ id: ada.id });
    expect(profile).toEqual({ id: ada.id, displayName: 'Ada Lovelace', imageUrl: 'https://img.example.test/avatar.png', deleted: false });
    expect(JSON.stringify(profile)).not.toContain('@');
  });

  it('returns deleted users as "Deleted user" (expectations still point at them)', async () => {
    const gone = await h.member({ firstName: 'Gone', lastName: 'Soon' });
    const bob = await h.member();
    await deleteMirroredUser(h.db, gone.clerkId);
    expect(await bob.caller.users.byId({ id: gone.id })).toEqual({ id: gone.id, displayName: 'Deleted user', imageUrl: null, deleted: true });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const bob = await h.member();
    const error = await trpcErrorOf(bob.caller.users.byId({ id: 5000 }));
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('users.list', () => {
  it('lists users who are not deleted, by name, with public profiles only', async () => {
    const zoe = await h.member({ firstName: 'Zoe', lastName: 'Zed', email: 'zoe@example.test' });
    const ada = await h.member({ firstName: 'Ada', lastName: 'Lovelace' });
    const gone = await h.member({ firstName: 'Aaron', lastName: 'Gone' });
    await deleteMirroredUser(h.db, gone.clerkId);

    const page = await ada.caller.users.list();
    expect(page).toEqual({
      items: [
        { id: ada.id, displayName: 'Ada Lovelace', imageUrl: 'https://img.example.test/avatar.png', deleted: false },
        { id: zoe.id, displayName: 'Zoe Zed', imageUrl: 'https://img.example.test/avatar.png', deleted: false },
      ],
      nextCursor: null,
    });
  });

  it('searches first name, last name and username', async () => {
    const ada = await h.member({ firstName: 'Ada', lastName: 'Lovelace', username: 'countess' });
    const grace = await h.member({ firstName: 'Grace', lastName: 'Hopper', username: 'cobol' });
    const ids = async (query: string) => (await ada.caller.users.list({ query })).items.map((user) => user.id);
    expect(await ids('ada')).toEqual([ada.id]);
    expect(await ids('HOPP')).toEqual([grace.id]);
    expect(await ids('cob')).toEqual([grace.id]);
    expect(await ids('grace hopper')).toEqual([grace.id]);
    expect(await ids('nobody')).toEqual([]);
    expect(await ids('')).toEqual([ada.id, grace.id]);
  });

  it('pages with an opaque cursor, every user exactly once', async () => {
    const members = [];
    for (const name of ['Eve', 'Dan', 'Cy', 'Bea', 'Al', 'Al']) members.push(await h.member({ firstName: name, lastName: 'X' }));
    const caller = members[0]!.caller;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof caller.users.list>> = await caller.users.list({ cursor, limit: 2 });
      seen.push(...page.items.map((user) => user.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([members[4]!.id, members[5]!.id, members[3]!.id, members[2]!.id, members[1]!.id, members[0]!.id]);
  });

  it('refuses a cursor from another list', async () => {
    const ada = await h.member();
    await ada.caller.expectations.create({ title: 'a' });
    await ada.caller.expectations.create({ title: 'b' });
    const { nextCursor } = await ada.caller.expectations.list({ limit: 1 });
    expect(nextCursor).not.toBeNull();
    expect((await trpcErrorOf(ada.caller.users.list({ cursor: nextCursor }))).code).toBe('BAD_REQUEST');
  });
});
