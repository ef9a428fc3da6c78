import { initTRPC } from '@trpc/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

// @trpc/server is installed with patches/@trpc__server@11.19.0.patch: the helper its build spreads
// objects with (options and context, several times per middleware) copies with Object.assign.
// These tests pin that the patch is installed and that a spread still means what it meant.

const t = initTRPC.context<Record<string, unknown>>().create();

afterEach(() => vi.restoreAllMocks());

describe('tRPC’s object spreads, as patched', () => {
  it('are in effect: a procedure call copies its options with Object.assign', async () => {
    const caller = t.createCallerFactory(t.router({ ping: t.procedure.query(() => 'pong') }))({});
    const assign = vi.spyOn(Object, 'assign');
    expect(await caller.ping()).toBe('pong');
    const copiedOptions = assign.mock.calls.filter(([, source]) => (source as { path?: unknown } | undefined)?.path === 'ping');
    expect(copiedOptions.length).toBeGreaterThan(0);
  });

  it('carry every context key through the middlewares, later keys over earlier ones', async () => {
    const router = t.router({
      seen: t.procedure
        .use(({ next }) => next({ ctx: { added: 'first', replaced: 'by the middleware' } }))
        .use(({ next }) => next({ ctx: { added: 'second' } }))
        .query(({ ctx }) => ctx),
    });
    const caller = t.createCallerFactory(router)({ kept: 1, replaced: 'by the caller' });
    expect(await caller.seen()).toEqual({ kept: 1, replaced: 'by the middleware', added: 'second' });
  });

  it('keep a context key named "__proto__" as a property and never change the prototype', async () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "kept": 1}') as Record<string, unknown>;
    const router = t.router({
      seen: t.procedure
        .use(({ next }) => next({ ctx: hostile }))
        .query(({ ctx }) => ({
          ownKey: Object.hasOwn(ctx, '__proto__'),
          polluted: (ctx as { polluted?: unknown }).polluted,
          plainPrototype: Object.getPrototypeOf(ctx) === Object.prototype,
          kept: ctx.kept,
        })),
    });
    expect(await t.createCallerFactory(router)({}).seen()).toEqual({ ownKey: true, polluted: undefined, plainPrototype: true, kept: 1 });
  });
});
