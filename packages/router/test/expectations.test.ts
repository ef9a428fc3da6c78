import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteMirroredUser } from '@expectations/db/testing';
import type { Expectation } from '@expectations/router';
import { routerHarness, type RouterHarness, trpcErrorOf, type Member } from './support/harness';
import { recordStatements } from '@expectations/db/testing';

let h: RouterHarness;
beforeEach(async () => {
  h = await routerHarness();
});
afterEach(() => h.destroy());

describe('expectations.create and byId', () => {
  it('creates an open expectation authored by the caller and returns it joined, with ISO times', async () => {
    const ada = await h.member({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
    const bob = await h.member({ firstName: 'Bob', lastName: 'Builder', email: 'bob@example.test', imageUrl: null });
    const before = Date.now();

    const created = await ada.caller.expectations.create({
      title: '  Ship the billing export  ',
      details: 'CSV, monthly',
      assigneeId: bob.id,
      dueOn: '2024-02-29',
    });

    expect(created).toEqual({
      id: expect.any(Number),
      title: 'Ship the billing export',
      details: 'CSV, monthly',
      status: 'open',
      dueOn: '2024-02-29',
      createdAt: created.updatedAt,
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      author: { id: ada.id, displayName: 'Ada Lovelace', imageUrl: 'https://img.example.test/avatar.png', deleted: false },
      assignee: { id: bob.id, displayName: 'Bob Builder', imageUrl: null, deleted: false },
    });
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(await bob.caller.expectations.byId({ id: created.id })).toEqual(created);
    expect(JSON.stringify(created)).not.toMatch(/@example\.test/);
  });

  it('defaults details to "" and assignee and dueOn to null', async () => {
    const ada = await h.member();
    const created = await ada.caller.expectations.create({ title: 'Bare' });
    expect(created).toMatchObject({ details: '', assignee: null, dueOn: null });
    const withNulls = await ada.caller.expectations.create({ title: 'Nulls', details: null, assigneeId: null, dueOn: null });
    expect(withNulls).toMatchObject({ details: '', assignee: null, dueOn: null });
  });

  it('refuses an assignee who is not mirrored or was deleted, with BAD_REQUEST on assigneeId', async () => {
    const ada = await h.member();
    const gone = await h.member();
    await deleteMirroredUser(h.db, gone.clerkId);

    for (const assigneeId of [gone.id, 424242]) {
      const error = await trpcErrorOf(ada.caller.expectations.create({ title: 'For nobody', assigneeId }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toContain(`No active user with id ${assigneeId}`);
    }
    expect((await ada.caller.expectations.list({})).items).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const ada = await h.member();
    const error = await trpcErrorOf(ada.caller.expectations.byId({ id: 99 }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('No expectation with id 99.');
  });

  it('shows a deleted author as "Deleted user" without an avatar', async () => {
    const ada = await h.member();
    const bob = await h.member();
    const created = await ada.caller.expectations.create({ title: 'Orphan', assigneeId: bob.id });
    await deleteMirroredUser(h.db, ada.clerkId);
    const seen = await bob.caller.expectations.byId({ id: created.id });
    expect(seen.author).toEqual({ id: ada.id, displayName: 'Deleted user', imageUrl: null, deleted: true });
  });
});

describe('expectations.setStatus', () => {
  it('lets the author move an expectation through every status and bumps updatedAt', async () => {
    const ada = await h.member();
    const created = await ada.caller.expectations.create({ title: 'Mine' });
    for (const status of ['met', 'missed', 'withdrawn', 'open'] as const) {
      const updated = await ada.caller.expectations.setStatus({ id: created.id, status });
      expect(updated.status).toBe(status);
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      expect(updated.createdAt).toBe(created.createdAt);
    }
  });

  it('is FORBIDDEN to anyone but the author, including the assignee, and changes nothing', async () => {
    const ada = await h.member();
    const bob = await h.member();
    const created = await ada.caller.expectations.create({ title: 'Ada’s', assigneeId: bob.id });
    const error = await trpcErrorOf(bob.caller.expectations.setStatus({ id: created.id, status: 'met' }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/Only the author/);
    expect((await ada.caller.expectations.byId({ id: created.id })).status).toBe('open');
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const ada = await h.member();
    expect((await trpcErrorOf(ada.caller.expectations.setStatus({ id: 77, status: 'met' }))).code).toBe('NOT_FOUND');
  });
});

describe('expectations.list', () => {
  async function createMany(author: Member, count: number, prefix: string): Promise<Expectation[]> {
    const created: Expectation[] = [];
    for (let n = 1; n <= count; n++) created.push(await author.caller.expectations.create({ title: `${prefix} ${n}` }));
    return created;
  }

  it('returns newest first with a default page size of 20', async () => {
    const ada = await h.member();
    const created = await createMany(ada, 22, 't');
    const page = await ada.caller.expectations.list();
    expect(page.items).toHaveLength(20);
    expect(page.items.map((item) => item.id)).toEqual(created.slice(2).reverse().map((item) => item.id));
    expect(typeof page.nextCursor).toBe('string');
  });

  it('pages through everything with no duplicates or gaps while rows are inserted between pages', async () => {
    const ada = await h.member();
    const bob = await h.member();
    const original = await createMany(ada, 17, 'original');

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof ada.caller.expectations.list>> = await bob.caller.expectations.list({ cursor, limit: 4 });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
      await bob.caller.expectations.create({ title: `inserted after page ${pages}` });
    } while (cursor !== null);

    expect(pages).toBe(5);
    expect(seen).toEqual(original.map((item) => item.id).reverse());
    // The inserted rows are there for whoever starts again from the top.
    const fresh = await bob.caller.expectations.list({ limit: 5 });
    expect(fresh.items.map((item) => item.title)).toEqual([5, 4, 3, 2, 1].map((n) => `inserted after page ${n}`));
  });

  it('filters by author, assignee and status, and keeps the filter across pages', async () => {
    const ada = await h.member();
    const bob = await h.member();
    const a1 = await ada.caller.expectations.create({ title: 'a1', assigneeId: bob.id });
    const a2 = await ada.caller.expectations.create({ title: 'a2' });
    const b1 = await bob.caller.expectations.create({ title: 'b1', assigneeId: ada.id });
    const a3 = await ada.caller.expectations.create({ title: 'a3', assigneeId: bob.id });
    await ada.caller.expectations.setStatus({ id: a3.id, status: 'met' });

    const titles = async (input: Parameters<typeof ada.caller.expectations.list>[0]) =>
      (await ada.caller.expectations.list(input)).items.map((item) => item.title);
    expect(await titles({ authorId: ada.id })).toEqual(['a3', 'a2', 'a1']);
    expect(await titles({ authorId: bob.id })).toEqual(['b1']);
    expect(await titles({ assigneeId: bob.id })).toEqual(['a3', 'a1']);
    expect(await titles({ status: 'met' })).toEqual(['a3']);
    expect(await titles({ status: 'open', authorId: ada.id })).toEqual(['a2', 'a1']);
    expect(await titles({ status: 'open', authorId: ada.id, assigneeId: bob.id })).toEqual(['a1']);
    expect(await titles({ status: 'missed' })).toEqual([]);

    const first = await ada.caller.expectations.list({ authorId: ada.id, limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([a3.id, a2.id]);
    const second = await ada.caller.expectations.list({ authorId: ada.id, limit: 2, cursor: first.nextCursor });
    expect(second.items.map((item) => item.id)).toEqual([a1.id]);
    expect(second.nextCursor).toBeNull();
    expect(b1.author.id).toBe(bob.id);
  });

  it('returns an empty last page with a null cursor', async () => {
    const ada = await h.member();
    expect(await ada.caller.expectations.list({})).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a cursor it did not issue with BAD_REQUEST', async () => {
    const ada = await h.member();
    await h.member();
    await createMany(ada, 3, 't');
    const usersCursor = (await ada.caller.users.list({ limit: 1 })).nextCursor;
    expect(usersCursor).toEqual(expect.any(String));
    const garbage = [
      'not a cursor',
      'AAAA',
      Buffer.from('["expectations.list",-5]').toString('base64url'),
      Buffer.from('["expectations.list","7"]').toString('base64url'),
      Buffer.from('{"id":3}').toString('base64url'),
      'x'.repeat(600),
      usersCursor ?? '',
    ];
    for (const cursor of garbage) {
      const error = await trpcErrorOf(ada.caller.expectations.list({ cursor }));
      expect(error.code, cursor).toBe('BAD_REQUEST');
    }
  });

  it('runs exactly one SQL statement per call, whatever the page size and filters', async () => {
    const ada = await h.member();
    const bob = await h.member();
    for (let n = 0; n < 12; n++) {
      await (n % 2 ? ada : bob).caller.expectations.create({ title: `t${n}`, assigneeId: n % 3 ? ada.id : bob.id });
    }

    const recorder = recordStatements(h.db);
    const inputs = [{ limit: 10 }, { limit: 5, authorId: ada.id }, { assigneeId: bob.id, status: 'open' as const }];
    for (const input of inputs) {
      recorder.executed.length = 0;
      const page = await bob.caller.expectations.list(input);
      expect(page.items.length).toBeGreaterThan(1);
      expect(recorder.executed.map((s) => s.sql), JSON.stringify(input)).toHaveLength(1);

      // The recorder does see per-row lookups: fetching each author separately (an N+1) counts N more.
      recorder.executed.length = 0;
      for (const item of page.items) await bob.caller.users.byId({ id: item.author.id });
      expect(recorder.executed).toHaveLength(page.items.length);
    }
    recorder.stop();
  });
});
