import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, INTERNAL_ERROR_MESSAGE } from '@expectations/router';
import { loggerSpy, routerHarness, type RouterHarness } from './support/harness';

// The formatter shapes what goes over the wire, so these tests go through tRPC's HTTP handling
// (the fetch adapter: a real Request in, a real Response out) rather than the in-process caller.

let h: RouterHarness;
let clerkUserId: string;
beforeEach(async () => {
  h = await routerHarness();
  clerkUserId = (await h.member()).clerkId;
});
afterEach(async () => {
  development = false;
  await h.destroy();
});

let development = false;

async function call(method: 'GET' | 'POST', path: string, input?: unknown) {
  const url = new URL(`http://api.test/trpc/${path}`);
  if (method === 'GET' && input !== undefined) url.searchParams.set('input', JSON.stringify(input));
  const request = new Request(url, {
    method,
    headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const response = await fetchRequestHandler({
    endpoint: '/trpc',
    req: request,
    router: appRouter,
    createContext: () => h.contextFor(clerkUserId, { log: loggerSpy(), exposeInternalErrors: development }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { message: string; code: number; data: Record<string, unknown> } } };
}

describe('error responses', () => {
  it('BAD_REQUEST from input validation carries the zod issues and a readable message', async () => {
    const { status, body } = await call('POST', 'expectations.create', { title: '', dueOn: '2025-02-30' });
    expect(status).toBe(400);
    expect(body.error?.data).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      issues: [
        { path: ['title'], code: 'too_small', message: 'title must not be empty' },
        { path: ['dueOn'], code: 'invalid_format', message: expect.stringContaining('real calendar date') },
      ],
    });
    expect(body.error?.message).toBe(
      'Invalid input: title: title must not be empty; dueOn: dueOn must be a real calendar date written YYYY-MM-DD, e.g. 2025-03-07',
    );
  });

  it('other errors carry issues: null and keep their own message', async () => {
    const { status, body } = await call('GET', 'expectations.byId', { id: 12345 });
    expect(status).toBe(404);
    expect(body.error?.message).toBe('No expectation with id 12345.');
    expect(body.error?.data).toMatchObject({ code: 'NOT_FOUND', issues: null });
  });

  it('a client error carries no stack trace, even in local development', async () => {
    development = true;
    const { body } = await call('POST', 'expectations.create', { title: '' });
    expect(body.error?.data).not.toHaveProperty('stack');
  });

  it('by default (production, tests): no stack trace, and an internal error’s own message is replaced', async () => {
    development = false;
    const invalid = await call('POST', 'expectations.create', { title: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.data).not.toHaveProperty('stack');
    expect(invalid.body.error?.data.issues).toHaveLength(1);

    await h.db.close(); // every query now fails inside the driver

    const internal = await call('GET', 'expectations.list', {});
    expect(internal.status).toBe(500);
    expect(internal.body.error?.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(internal.body.error?.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(internal.body.error?.data).not.toHaveProperty('stack');
    expect(JSON.stringify(internal.body)).not.toMatch(/database|sqlite|\.ts:/i);
  });

  it('in local development the stack and the internal message help whoever is debugging', async () => {
    development = true;
    await h.db.close();
    const internal = await call('GET', 'expectations.list', {});
    expect(internal.status).toBe(500);
    // The driver's own words: better-sqlite3's, or pg's.
    expect(internal.body.error?.message).toMatch(/database connection is not open|Cannot use a pool after calling end/);
    expect(internal.body.error?.data.stack).toEqual(expect.any(String));
  });
});
