import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { routerHarness, type RouterHarness, trpcErrorOf, type Member } from './support/harness';

let h: RouterHarness;
let ada: Member;
let bob: Member;
beforeAll(async () => {
  h = await routerHarness();
  ada = await h.member();
  bob = await h.member();
});
afterAll(() => h.destroy());

/** Asserts the call fails input validation, on the given field, and returns the issue messages. */
async function rejects(call: Promise<unknown>, field: string): Promise<string[]> {
  const error = await trpcErrorOf(call);
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.cause).toBeInstanceOf(ZodError);
  const issues = (error.cause as ZodError).issues;
  expect(issues.map((issue) => issue.path.join('.'))).toContain(field);
  return issues.map((issue) => issue.message);
}

describe('expectations.create input', () => {
  it('title: 1–200 characters after trimming', async () => {
    await rejects(ada.caller.expectations.create({ title: '' }), 'title');
    expect(await rejects(ada.caller.expectations.create({ title: '  \n\t ' }), 'title')).toEqual(['title must not be empty']);
    expect(await rejects(ada.caller.expectations.create({ title: 'x'.repeat(201) }), 'title')).toEqual([
      'title must be at most 200 characters',
    ]);
    expect((await ada.caller.expectations.create({ title: 'x'.repeat(200) })).title).toHaveLength(200);
    expect((await ada.caller.expectations.create({ title: `  ${'y'.repeat(200)}  ` })).title).toBe('y'.repeat(200));
    expect((await ada.caller.expectations.create({ title: 'z' })).title).toBe('z');
    // No person types NUL, and PostgreSQL's text cannot hold it: refused on both engines alike.
    expect(await rejects(ada.caller.expectations.create({ title: 'a\u0000b' }), 'title')).toEqual(['title must not contain the NUL character']);
    await rejects(ada.caller.expectations.create({ title: 'ok', details: '\u0000' }), 'details');
    await rejects(ada.caller.users.list({ query: '\u0000' }), 'query');
    // @ts-expect-error title is required
    await rejects(ada.caller.expectations.create({}), 'title');
    // @ts-expect-error title is text
    await rejects(ada.caller.expectations.create({ title: 42 }), 'title');
  });

  it('details: at most 5000 characters', async () => {
    expect((await ada.caller.expectations.create({ title: 't', details: 'd'.repeat(5000) })).details).toHaveLength(5000);
    expect(await rejects(ada.caller.expectations.create({ title: 't', details: 'd'.repeat(5001) }), 'details')).toEqual([
      'details must be at most 5000 characters',
    ]);
  });

  it('dueOn: a real calendar date written YYYY-MM-DD', async () => {
    expect((await ada.caller.expectations.create({ title: 't', dueOn: '2024-02-29' })).dueOn).toBe('2024-02-29');
    expect((await ada.caller.expectations.create({ title: 't', dueOn: '2025-12-31' })).dueOn).toBe('2025-12-31');
    for (const dueOn of ['2025-02-30', '2023-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-1-5', '05/03/2025', '2025-03-07T00:00:00Z', '']) {
      await rejects(ada.caller.expectations.create({ title: 't', dueOn }), 'dueOn');
    }
  });

  it('assigneeId: a positive whole number', async () => {
    for (const assigneeId of [0, -1, 1.5]) await rejects(ada.caller.expectations.create({ title: 't', assigneeId }), 'assigneeId');
    // @ts-expect-error ids are numbers
    await rejects(ada.caller.expectations.create({ title: 't', assigneeId: String(bob.id) }), 'assigneeId');
  });

  it('refuses unknown fields rather than ignoring a typo', async () => {
    // @ts-expect-error not a field
    await rejects(ada.caller.expectations.create({ title: 't', asigneeId: bob.id }), '');
  });
});

describe('expectations.setStatus input', () => {
  it('status: one of open, met, missed, withdrawn', async () => {
    const { id } = await ada.caller.expectations.create({ title: 's' });
    for (const status of ['done', 'OPEN', '', null]) {
      // @ts-expect-error not a status
      expect(await rejects(ada.caller.expectations.setStatus({ id, status }), 'status')).toEqual([
        'status must be one of: open, met, missed, withdrawn',
      ]);
    }
    await rejects(ada.caller.expectations.setStatus({ id: 0, status: 'met' }), 'id');
  });
});

describe('list inputs', () => {
  it('limit: 1–100, whole numbers', async () => {
    for (const limit of [0, 101, -3, 2.5]) {
      await rejects(ada.caller.expectations.list({ limit }), 'limit');
      await rejects(ada.caller.users.list({ limit }), 'limit');
    }
    await expect(ada.caller.expectations.list({ limit: 1 })).resolves.toBeDefined();
    await expect(ada.caller.expectations.list({ limit: 100 })).resolves.toBeDefined();
    await expect(ada.caller.users.list({ limit: 100 })).resolves.toBeDefined();
  });

  it('expectations.list filters: positive ids and a known status', async () => {
    await rejects(ada.caller.expectations.list({ authorId: 0 }), 'authorId');
    await rejects(ada.caller.expectations.list({ assigneeId: -2 }), 'assigneeId');
    // @ts-expect-error not a status
    await rejects(ada.caller.expectations.list({ status: 'closed' }), 'status');
    await expect(ada.caller.expectations.list({ authorId: null, assigneeId: null, status: null, cursor: null })).resolves.toEqual(
      expect.objectContaining({ items: expect.any(Array) }),
    );
  });

  it('users.list query: at most 100 characters', async () => {
    await rejects(ada.caller.users.list({ query: 'q'.repeat(101) }), 'query');
    await expect(ada.caller.users.list({ query: 'q'.repeat(100) })).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('byId: positive whole ids', async () => {
    await rejects(ada.caller.expectations.byId({ id: 0 }), 'id');
    await rejects(ada.caller.users.byId({ id: 3.2 }), 'id');
    await rejects(ada.caller.users.byId({ id: Number.MAX_SAFE_INTEGER + 2 }), 'id');
    await rejects(ada.caller.expectations.byId({ id: 2 ** 31 }), 'id');
    expect((await trpcErrorOf(ada.caller.expectations.byId({ id: 2 ** 31 - 1 }))).code).toBe('NOT_FOUND');
  });
});

describe('paging inputs from @trpc/react-query', () => {
  it('accept and ignore the direction that useInfiniteQuery adds', async () => {
    const h = await routerHarness();
    try {
      const me = await h.member();
      await expect(me.caller.expectations.list({ direction: 'forward' })).resolves.toMatchObject({ items: [] });
      await expect(me.caller.users.list({ direction: 'forward' })).resolves.toMatchObject({ items: [expect.anything()] });
      await expect(me.caller.expectations.list({ direction: 'sideways' } as never)).rejects.toThrow();
    } finally {
      await h.destroy();
    }
  });

  it('refuse backward paging by name: pages are read newest first, forward only', async () => {
    for (const direction of ['backward', 'sideways']) {
      expect(await rejects(ada.caller.expectations.list({ direction } as never), 'direction')).toContain(
        'direction must be "forward": pages are read newest first, by nextCursor',
      );
      expect(await rejects(ada.caller.users.list({ direction } as never), 'direction')).toHaveLength(1);
    }
  });
});
