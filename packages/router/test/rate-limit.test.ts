import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationLimiter } from '@expectations/db';
import { routerHarness, type RouterHarness, trpcErrorOf } from './support/harness';

// The bucket itself is tested in the db package (mutation-limiter.test.ts), on both engines.
describe('mutations are rate-limited per user', () => {
  let harness: RouterHarness;
  beforeAll(async () => {
    harness = await routerHarness();
  });
  afterAll(() => harness.destroy());

  it('answers TOO_MANY_REQUESTS past the limit, counts per user, and leaves reads alone', async () => {
    const limiter = createMutationLimiter(harness.db, { perMinute: 2 });
    const callerFor = (clerkUserId: string) => harness.callerFor(clerkUserId, { mutationLimiter: limiter });
    const ada = await harness.member({ firstName: 'Ada' });
    const bob = await harness.member({ firstName: 'Bob' });
    const asAda = callerFor(ada.clerkId);

    const first = await asAda.expectations.create({ title: 'one' });
    await asAda.expectations.setStatus({ id: first.id, status: 'met' });
    const error = await trpcErrorOf(asAda.expectations.create({ title: 'three' }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/at most 2 a minute\)\. Try again in \d+ s\./);
    expect(harness.log.warn).toHaveBeenCalledWith(expect.objectContaining({ clerkUserId: ada.clerkId }), 'mutation rate limit reached');

    // Nothing was written by the refused call, Bob has his own allowance, and reads go on.
    expect((await asAda.expectations.list({})).items.map((item) => item.title)).toEqual(['one']);
    await expect(callerFor(bob.clerkId).expectations.create({ title: 'bob' })).resolves.toMatchObject({ title: 'bob' });
    await expect(asAda.expectations.list({})).resolves.toBeDefined();
  });

  it('charges no token for refused input: it changes nothing, the bucket included', async () => {
    const limiter = createMutationLimiter(harness.db, { perMinute: 1 });
    const carol = await harness.member({ firstName: 'Carol' });
    const asCarol = harness.callerFor(carol.clerkId, { mutationLimiter: limiter });
    for (let i = 0; i < 3; i++) expect((await trpcErrorOf(asCarol.expectations.create({ title: '' }))).code).toBe('BAD_REQUEST');
    await expect(asCarol.expectations.create({ title: 'the one allowed' })).resolves.toMatchObject({ title: 'the one allowed' });
    expect((await trpcErrorOf(asCarol.expectations.create({ title: 'one too many' }))).code).toBe('TOO_MANY_REQUESTS');
  });
});
