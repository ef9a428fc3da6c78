import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueries, expectationStatuses, type ListExpectationsOptions, type Queries } from '@expectations/db';
import { createTempDatabase, deleteMirroredUser, mirrorUser, recordStatements, type TempDatabase } from '@expectations/db/testing';
import { listFilters } from './support/list-filters';

let db: TempDatabase;
let q: Queries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
});
afterEach(() => db.destroy());

async function create(authorId: number, title: string, extra: { assigneeId?: number; dueOn?: string } = {}) {
  const result = await q.createExpectation({
    authorId,
    organizationId: null,
    assigneeId: extra.assigneeId ?? null,
    title,
    details: '',
    dueOn: extra.dueOn ?? null,
  });
  if (!result.created) throw new Error(`could not create ${title}: ${result.reason}`);
  return result.id;
}

describe('listExpectations', () => {
  it('joins author and assignee as public profiles, never an email', async () => {
    const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
    const bob = await mirrorUser(db, { firstName: null, lastName: null, username: 'bob', imageUrl: null });
    const id = await create(ada.id, 'Ship the billing export', { assigneeId: bob.id, dueOn: '2025-03-07' });
    await create(bob.id, 'Unassigned');

    const page = await q.listExpectations({ scope: 'all', limit: 10 });
    expect(page.nextBeforeId).toBeNull();
    expect(page.items.map((item) => item.title)).toEqual(['Unassigned', 'Ship the billing export']);
    expect(page.items[1]).toEqual({
      id,
      title: 'Ship the billing export',
      details: '',
      status: 'open',
      dueOn: '2025-03-07',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      author: { id: ada.id, displayName: 'Ada Lovelace', imageUrl: 'https://img.example.test/avatar.png', deleted: false },
      assignee: { id: bob.id, displayName: 'bob', imageUrl: null, deleted: false },
    });
    expect(page.items[0]?.assignee).toBeNull();
    expect(JSON.stringify(page)).not.toContain('@example.test');
  });

  it('applies the display-name rule: names, else username, else "Unknown user"; "Deleted user" once deleted', async () => {
    const firstOnly = await mirrorUser(db, { firstName: 'Cher', lastName: null });
    const lastOnly = await mirrorUser(db, { firstName: '  ', lastName: 'Hopper ' });
    const nameless = await mirrorUser(db, { firstName: null, lastName: null, username: null });
    const gone = await mirrorUser(db, { firstName: 'Gone', lastName: 'Soon', username: 'gone' });
    await create(firstOnly.id, 'a', { assigneeId: gone.id });
    await create(lastOnly.id, 'b', { assigneeId: nameless.id });
    await deleteMirroredUser(db, gone.clerkId);

    const { items } = await q.listExpectations({ scope: 'all', limit: 10 });
    const [b, a] = items;
    expect(a?.author.displayName).toBe('Cher');
    expect(a?.assignee).toEqual({ id: gone.id, displayName: 'Deleted user', imageUrl: null, deleted: true });
    expect(b?.author.displayName).toBe('Hopper');
    expect(b?.assignee?.displayName).toBe('Unknown user');
  });

  it('pages newest first with no duplicates or gaps while rows are inserted between pages', async () => {
    const author = await mirrorUser(db);
    const original: number[] = [];
    for (let n = 1; n <= 23; n++) original.push(await create(author.id, `original ${n}`));

    const seen: number[] = [];
    let beforeId: number | undefined;
    let pages = 0;
    do {
      const page = await q.listExpectations({ scope: 'all', limit: 5, beforeId });
      seen.push(...page.items.map((item) => item.id));
      beforeId = page.nextBeforeId ?? undefined;
      pages++;
      // Newer rows land before the cursor and must not leak into later pages.
      await create(author.id, `inserted after page ${pages}`);
    } while (beforeId !== undefined);

    expect(pages).toBe(5);
    expect(seen).toEqual([...original].reverse());
  });

  it('reports no next page when the last page is exactly full', async () => {
    const author = await mirrorUser(db);
    for (let n = 0; n < 4; n++) await create(author.id, `t${n}`);
    const first = await q.listExpectations({ scope: 'all', limit: 2 });
    expect(first.nextBeforeId).not.toBeNull();
    const second = await q.listExpectations({ scope: 'all', limit: 2, beforeId: first.nextBeforeId ?? undefined });
    expect(second.items).toHaveLength(2);
    expect(second.nextBeforeId).toBeNull();
  });

  it('filters by author, assignee and status, alone and combined', async () => {
    const ada = await mirrorUser(db);
    const bob = await mirrorUser(db);
    const a1 = await create(ada.id, 'ada→bob', { assigneeId: bob.id });
    const a2 = await create(ada.id, 'ada→none');
    const b1 = await create(bob.id, 'bob→ada', { assigneeId: ada.id });
    const b2 = await create(bob.id, 'bob→bob', { assigneeId: bob.id });
    await q.setExpectationStatus({ id: a1, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status: 'met' });
    await q.setExpectationStatus({ id: b2, actorId: bob.id, organizationId: null, actorIsTeamAdmin: false, status: 'met' });

    const ids = async (options: Omit<ListExpectationsOptions, 'scope'>) =>
      (await q.listExpectations({ scope: 'all', ...options })).items.map((item) => item.id);
    expect(await ids({ limit: 10, authorId: ada.id })).toEqual([a2, a1]);
    expect(await ids({ limit: 10, assigneeId: bob.id })).toEqual([b2, a1]);
    expect(await ids({ limit: 10, status: 'met' })).toEqual([b2, a1]);
    expect(await ids({ limit: 10, status: 'open' })).toEqual([b1, a2]);
    expect(await ids({ limit: 10, authorId: bob.id, assigneeId: bob.id })).toEqual([b2]);
    expect(await ids({ limit: 10, authorId: ada.id, status: 'met', assigneeId: bob.id })).toEqual([a1]);
    expect(await ids({ limit: 10, authorId: ada.id, status: 'withdrawn' })).toEqual([]);
    expect(await ids({ limit: 1, authorId: bob.id, beforeId: b2 })).toEqual([b1]);
  });

  it('runs the page and both joins as one statement, for every filter', async () => {
    const ada = await mirrorUser(db);
    const bob = await mirrorUser(db);
    for (let n = 0; n < 30; n++) await create(n % 2 ? ada.id : bob.id, `t${n}`, { assigneeId: n % 3 ? bob.id : undefined });

    const recorder = recordStatements(db);
    for (const filter of listFilters(ada.id, bob.id)) {
      for (const beforeId of [undefined, 20]) {
        recorder.executed.length = 0;
        const page = await q.listExpectations({ scope: 'all', limit: 5, beforeId, ...filter });
        expect(recorder.executed, JSON.stringify(filter)).toHaveLength(1);
        expect(page.items.length).toBeGreaterThan(0);
      }
    }
    recorder.stop();
  });
});

describe('findExpectationById', () => {
  it('returns the joined expectation, or undefined', async () => {
    const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'L' });
    const id = await create(ada.id, 'One');
    expect((await q.findExpectationById(id, 'all'))?.author.displayName).toBe('Ada L');
    expect(await q.findExpectationById(id + 1, 'all')).toBeUndefined();
  });
});

describe('createExpectation', () => {
  it('refuses an assignee who is not mirrored or was deleted, and writes nothing', async () => {
    const ada = await mirrorUser(db);
    const gone = await mirrorUser(db);
    await deleteMirroredUser(db, gone.clerkId);
    const base = { authorId: ada.id, organizationId: null, title: 't', details: '', dueOn: null };
    expect(await q.createExpectation({ ...base, assigneeId: 9999 })).toEqual({
      created: false,
      reason: 'assignee_unavailable',
    });
    expect(await q.createExpectation({ ...base, assigneeId: gone.id })).toEqual({
      created: false,
      reason: 'assignee_unavailable',
    });
    expect((await q.listExpectations({ scope: 'all', limit: 10 })).items).toEqual([]);
  });

  it('stores open status and equal created/updated times', async () => {
    const ada = await mirrorUser(db);
    const result = await q.createExpectation({ authorId: ada.id, organizationId: null, assigneeId: ada.id, title: 'Self', details: 'd', dueOn: null, now: 1_700_000_000_000 });
    if (!result.created) throw new Error('not created');
    const row = await q.findExpectationById(result.id, 'all');
    expect(row).toMatchObject({ status: 'open', details: 'd', createdAt: '2023-11-14T22:13:20.000Z', updatedAt: '2023-11-14T22:13:20.000Z' });
  });
});

describe('setExpectationStatus', () => {
  it('lets only the author change the status, and reports unknown ids', async () => {
    const ada = await mirrorUser(db);
    const bob = await mirrorUser(db);
    const id = await create(ada.id, 'Mine', { assigneeId: bob.id });

    expect(await q.setExpectationStatus({ id, actorId: bob.id, organizationId: null, actorIsTeamAdmin: false, status: 'met' })).toBe('not_author');
    expect(await q.setExpectationStatus({ id: id + 100, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status: 'met' })).toBe('not_found');
    expect((await q.findExpectationById(id, 'all'))?.status).toBe('open');

    for (const status of expectationStatuses.filter((s) => s !== 'open')) {
      expect(await q.setExpectationStatus({ id, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status, now: Date.now() + 1000 })).toBe('updated');
      expect((await q.findExpectationById(id, 'all'))?.status).toBe(status);
    }
  });

  it('leaves updatedAt alone when the status does not change', async () => {
    const ada = await mirrorUser(db);
    const id = await create(ada.id, 'Same');
    const before = await q.findExpectationById(id, 'all');
    expect(await q.setExpectationStatus({ id, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status: 'open', now: Date.now() + 60_000 })).toBe('unchanged');
    expect((await q.findExpectationById(id, 'all'))?.updatedAt).toBe(before?.updatedAt);
  });
});
