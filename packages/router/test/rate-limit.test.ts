import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '@expectations/router';
import { mirrorUser } from '@expectations/db/testing';
import { routerHarness, type RouterHarness, trpcErrorOf } from './support/harness';

describe('the rate limiter', () => {
  it('allows a burst of perMinute, then one per 60/perMinute seconds', () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter({ perMinute: 3, now: () => clock.now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([null, null, null]);
    expect(limiter.take('a')).toBe(20_000);
    expect(limiter.take('b')).toBeNull(); // per key
    clock.now += 19_999;
    expect(limiter.take('a')).toBe(1);
    clock.now += 1;
    expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(20_000);
  });

  it('refuses a nonsensical limit with a message that says what is expected', () => {
    expect(() => createRateLimiter({ perMinute: 0 })).toThrow(/positive integer/);
  });
});

describe('mutations are rate-limited per user', () => {
  let harness: RouterHarness;
  beforeAll(async () => {
    harness = await routerHarness();
  });
  afterAll(() => harness.destroy());

  it('answers TOO_MANY_REQUESTS past the limit, counts per user, and leaves reads alone', async () => {
    const limiter = createRateLimiter({ perMinute: 2 });
    const callerFor = (clerkUserId: string) => harness.callerFor(clerkUserId, { mutationLimiter: limiter });
    const ada = await mirrorUser(harness.db, { firstName: 'Ada' });
    const bob = await mirrorUser(harness.db, { firstName: 'Bob' });
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
});
