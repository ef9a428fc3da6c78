import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { Queries } from '@expectations/db';
import { findUserByClerkId, sqlRows, sqlRun } from '@expectations/db/testing';
import type { Context } from '@expectations/router';
import { routerHarness, type RouterHarness } from './support/harness';

// Rule 1 from the router's side: nothing a procedure can reach writes the users mirror.

let h: RouterHarness;
beforeEach(async () => {
  h = await routerHarness();
});
afterEach(() => h.destroy());

describe('the router’s context', () => {
  it('holds no database handle and no way to write users, by its type', () => {
    expectTypeOf<Context>().not.toHaveProperty('db');
    expectTypeOf<keyof Queries>().toEqualTypeOf<
      | 'listExpectations'
      | 'findExpectationById'
      | 'createExpectation'
      | 'setExpectationStatus'
      | 'findPublicProfileById'
      | 'listUsers'
      | 'findViewer'
    >();
    const context = h.contextFor('user_x');
    // @ts-expect-error the context has no database handle
    expect(context.db).toBeUndefined();
    // @ts-expect-error nor do its queries
    expect(context.queries.orm ?? context.queries.sqlite ?? context.queries.$client).toBeUndefined();
  });

  it('reaches nothing that runs SQL: every object and function reachable from it, prototypes included', () => {
    const reached = reachableFrom(h.contextFor('user_x'));
    const sqlRunners = ['prepare', 'exec', 'execute', 'query', 'run', 'all', 'transaction', 'insert', 'update', '$client', 'session'];
    const offenders = reached.flatMap(({ path, value }) =>
      sqlRunners.filter((name) => Object.prototype.hasOwnProperty.call(value, name) || name in Object(value)).map((name) => `${path}.${name}`),
    );
    expect(offenders).toEqual([]);
    // The walk does see what is there: the query functions and the logger.
    expect(reached.map(({ path }) => path)).toEqual(expect.arrayContaining(['ctx.queries.listUsers', 'ctx.queries.createExpectation', 'ctx.log.error']));
  });

  it('writes nothing to users when every reachable function is called with SQL for input', async () => {
    const ada = await h.member({ firstName: 'Ada', lastName: 'Lovelace' });
    const before = await sqlRows(h.db, 'SELECT * FROM users ORDER BY id');
    const injection = "x'); UPDATE users SET first_name = 'Forged'; DELETE FROM users; --";
    const { queries } = h.contextFor(ada.clerkId);
    await queries.listUsers({ search: injection, limit: 5, after: { sortKey: injection, id: 1 } });
    await queries.findViewer(injection, null);
    await queries.findViewer(injection, injection);
    await queries.findExpectationById(1, { clerkUserId: injection, clerkOrganizationId: injection });
    await queries.listUsers({ limit: 5, clerkOrganizationId: injection });
    await queries.listExpectations({ scope: 'all', limit: 5, status: injection as never });
    await queries.createExpectation({ authorId: ada.id, organizationId: null, assigneeId: null, title: injection, details: injection, dueOn: null });
    expect(await sqlRows(h.db, 'SELECT * FROM users ORDER BY id')).toEqual(before);
    expect((await findUserByClerkId(h.db, ada.clerkId))?.firstName).toBe('Ada');
  });

  it('sits on a connection that the database itself forbids to write users', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    // The very connection the context's queries use, reached here only through the test helpers.
    await expect(sqlRun(h.db, "UPDATE users SET first_name = 'Forged'")).rejects.toThrow(/only the Clerk webhook writes it/);
    await expect(
      sqlRun(h.db, "INSERT INTO users (clerk_id, clerk_updated_at, created_at, updated_at) VALUES ('user_forged', 1, 1, 1)"),
    ).rejects.toThrow(/only the Clerk webhook writes it/);
    expect((await findUserByClerkId(h.db, ada.clerkId))?.firstName).toBe('Ada');
    expect(await findUserByClerkId(h.db, 'user_forged')).toBeUndefined();
  });
});

/** Every object and function reachable through own properties (values, not getters) and prototypes. */
function reachableFrom(root: object): Array<{ path: string; value: object }> {
  const builtIn = new Set<unknown>([Object.prototype, Function.prototype, Array.prototype, Promise.prototype]);
  const seen = new Set<object>();
  const found: Array<{ path: string; value: object }> = [];
  const visit = (value: unknown, path: string) => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value) || builtIn.has(value)) return;
    seen.add(value);
    found.push({ path, value });
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) visit(descriptor.value, `${path}.${String(key)}`);
    }
    visit(Object.getPrototypeOf(value), `${path}.[[Prototype]]`);
  };
  visit(root, 'ctx');
  return found;
}
