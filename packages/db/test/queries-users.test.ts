import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueries, type Queries, type UserListPosition } from '@expectations/db';
import { createTempDatabase, deleteMirroredUser, mirrorUser, type TempDatabase, recordStatements } from '@expectations/db/testing';

let db: TempDatabase;
let q: Queries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
});
afterEach(() => db.destroy());

describe('findPublicProfileById', () => {
  it('returns the public profile only, and "Deleted user" without avatar once deleted', async () => {
    const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
    expect(await q.findPublicProfileById(ada.id)).toEqual({
      id: ada.id,
      displayName: 'Ada Lovelace',
      imageUrl: 'https://img.example.test/avatar.png',
      deleted: false,
    });
    await deleteMirroredUser(db, ada.clerkId);
    expect(await q.findPublicProfileById(ada.id)).toEqual({ id: ada.id, displayName: 'Deleted user', imageUrl: null, deleted: true });
    expect(await q.findPublicProfileById(ada.id + 1)).toBeUndefined();
  });
});

describe('findViewer with no team', () => {
  it('finds the mirror row and whether it is deleted', async () => {
    const ada = await mirrorUser(db);
    expect(await q.findViewer(ada.clerkId, null)).toEqual({ id: ada.id, deleted: false, team: null });
    await deleteMirroredUser(db, ada.clerkId);
    expect(await q.findViewer(ada.clerkId, null)).toEqual({ id: ada.id, deleted: true, team: null });
    expect(await q.findViewer('user_missing', null)).toBeUndefined();
  });
});

describe('listUsers', () => {
  it('lists users who are not deleted, by display name, case-insensitively', async () => {
    const zed = await mirrorUser(db, { firstName: 'zed', lastName: 'Zulu' });
    const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'Lovelace' });
    const bob = await mirrorUser(db, { firstName: null, lastName: null, username: 'bob' });
    const gone = await mirrorUser(db, { firstName: 'Aaron', lastName: 'Gone' });
    await deleteMirroredUser(db, gone.clerkId);

    const page = await q.listUsers({ limit: 10 });
    expect(page.items.map((user) => user.id)).toEqual([ada.id, bob.id, zed.id]);
    expect(page.next).toBeNull();
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(['deleted', 'displayName', 'id', 'imageUrl']);
  });

  it('searches first name, last name, full name and username; LIKE wildcards are literal', async () => {
    const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'Lovelace', username: 'countess' });
    const grace = await mirrorUser(db, { firstName: 'Grace', lastName: 'Hopper', username: 'amazing_grace' });
    await mirrorUser(db, { firstName: 'Alan', lastName: 'Turing', username: 'alan100' });

    const search = async (text: string) => (await q.listUsers({ search: text, limit: 10 })).items.map((u) => u.id);
    expect(await search('love')).toEqual([ada.id]);
    expect(await search('ADA')).toEqual([ada.id]);
    expect(await search('ada lov')).toEqual([ada.id]);
    expect(await search('countess')).toEqual([ada.id]);
    expect(await search('hopper')).toEqual([grace.id]);
    expect(await search('a_a')).toEqual([]);
    expect(await search('_grace')).toEqual([grace.id]);
    expect(await search('%')).toEqual([]);
    expect(await search('   ')).toHaveLength(3);
  });

  it('pages through every user exactly once, including users with the same name', async () => {
    const ids: number[] = [];
    for (let n = 0; n < 7; n++) ids.push((await mirrorUser(db, { firstName: 'Sam', lastName: 'Same' })).id);
    ids.push((await mirrorUser(db, { firstName: 'Abe', lastName: 'First' })).id);

    const recorder = recordStatements(db);
    const seen: number[] = [];
    let after: UserListPosition | undefined;
    do {
      recorder.executed.length = 0;
      const page = await q.listUsers({ limit: 3, after });
      expect(recorder.executed).toHaveLength(1);
      seen.push(...page.items.map((user) => user.id));
      after = page.next ?? undefined;
    } while (after);
    recorder.stop();

    expect(seen).toEqual([ids[7], ...ids.slice(0, 7)]);
  });
});
